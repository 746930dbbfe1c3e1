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
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
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

