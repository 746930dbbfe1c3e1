import type { TopLevelSpec } from 'vega-lite';

/**
 * vega and vega-lite, loaded on the first chart: they take ~0.4–0.5 s to load, and most code that imports
 * a chart module (the HIL runner, the report, the CLI commands) draws no chart in a given run.
 */
let modules: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/**
 * Renders a Vega-Lite specification to an SVG string in Node, with no canvas or browser:
 * vega-lite compiles it to Vega, a headless View (renderer 'none') lays it out and serialises the scene.
 * A typical report chart takes 20–70 ms once the modules are loaded (first call ~100 ms more, and the load).
 */
export function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  let key: string;
  try {
    key = JSON.stringify(spec, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? `number:${v}` : v));
  } catch {
    return renderUncached(spec); // not JSON (a cycle): drawn, not kept
  }
  const cached = drawn.get(key);
  if (cached) {
    drawn.delete(key); // newest last: the oldest go first
    drawn.set(key, cached);
    return cached.svg;
  }
  const svg = renderUncached(spec);
  const entry = { svg, chars: key.length };
  drawn.set(key, entry);
  svg.then((text) => {
    if (drawn.get(key) !== entry) return;
    entry.chars += text.length;
    drawnChars += text.length;
    for (const [k, e] of drawn) {
      if (drawnChars <= CHART_CACHE_LIMIT_CHARS) break;
      drawn.delete(k); // this one too, if it alone is past the limit
      drawnChars -= e.chars;
    }
  }, () => {
    if (drawn.get(key) !== entry) return;
    drawn.delete(key); // a failure is not kept: the next call tries again
    drawnChars -= entry.chars;
  });
  drawnChars += key.length;
  return svg;
}

/**
 * Charts drawn before, by their specification as JSON (non-finite numbers spelled out, which JSON would
 * make null): `rig hil` writes its report again after every scenario, and each write drew every earlier
 * scenario's charts again (20–70 ms each). Vega's SVG is a function of the specification — no ids, no
 * clock; renderVegaLite.test.ts draws one twice — so the same specification gives the same text. The
 * oldest go first once the keys and pictures pass CHART_CACHE_LIMIT_CHARS.
 */
const drawn = new Map<string, { svg: Promise<string>; chars: number }>();
let drawnChars = 0;
export const CHART_CACHE_LIMIT_CHARS = 16 * 2 ** 20;

/** How many charts are kept, and their keys' and pictures' characters (for the tests). */
export const chartCacheSize = () => ({ charts: drawn.size, chars: drawnChars });

async function renderUncached(spec: TopLevelSpec): Promise<string> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, { compile }] = await modules;
  const view = new vega.View(vega.parse(compile({ ...spec, config: { ...REPORT_CONFIG, ...spec.config } } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One look for every report picture: white background, readable axis and legend text, light grid. */
export const REPORT_CONFIG = {
  background: 'white',
  padding: 8,
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 14, anchor: 'start', offset: 8 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: '#ccc' },
} as const;

