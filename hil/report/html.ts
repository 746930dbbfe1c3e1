/** Small HTML helpers for the self-contained reports: escaping, and figures tied to their JSON path. */
export function esc(text: unknown): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Formats a number the way every report shows it (the Playwright test formats the JSON the same way). */
export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return value.toFixed(digits);
}

/**
 * A figure on the page, tagged with the path of its value in the run's JSON (`scenarios[0].latency.p99Ms`,
 * `scenarios[1].dropouts.length`) and the digits shown, so a test can check that what the page shows is
 * what was measured. `valueAtPath(json, path)` resolves the same paths.
 */
export function figure(path: string, value: number | null | undefined, digits = 2, unit = ''): string {
  return `<span class="fig" data-figure="${esc(path)}" data-digits="${digits}">${fmt(value, digits)}</span>${unit ? `&nbsp;${esc(unit)}` : ''}`;
}

/** The value at a figure path: dot-separated keys and [index] steps, e.g. `a.b[2].c` or `a.list.length`. */
export function valueAtPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(/[.[\]]+/).filter((k) => k.length > 0)) {
    if (node === null || node === undefined) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function badge(status: string): string {
  return `<span class="badge ${esc(status)}">${esc(status.toUpperCase())}</span>`;
}

/** A chart in a figure with a caption; an SVG string from src/plot is inlined as it is. */
export function chart(svg: string, caption: string): string {
  return `<figure class="chart">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** A complete self-contained page: inline CSS, a data-URI favicon (so the browser asks the server for nothing). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(title)}</title><style>${REPORT_CSS}</style></head>
<body>
${body}
</body></html>
`;
}

export const REPORT_CSS = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fafafa}
body{max-width:1280px;margin:0 auto;padding:16px 24px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.25rem;margin-top:2em;border-bottom:2px solid #d0d7de;padding-bottom:4px}
h3{font-size:1.05rem;margin:1.4em 0 .4em}
a{color:#0969da}
table{border-collapse:collapse;margin:.5em 0;font-size:.88rem;background:#fff}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right;vertical-align:top}th{background:#f0f3f6}td.l,th.l{text-align:left}
tr.fail td{background:#fff1f0}td.over{background:#ffebe9;color:#a40e26;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:600;color:#fff;font-size:.8rem;white-space:nowrap}
.badge.passed,.badge.ok{background:#1a7f37}.badge.failed{background:#cf222e}.badge.interrupted,.badge.crashed,.badge.running{background:#9a6700}
.badge.skipped{background:#6e7781}.badge.inverted,.badge.no-signal,.badge.clipped,.badge.miswired{background:#cf222e}
.summary{font-size:1.05rem;padding:10px 14px;border-radius:6px;margin:10px 0;border:1px solid #d0d7de}
.summary .badge{font-size:1.1rem;padding:3px 12px;margin-right:10px}
.summary.passed{background:#dafbe1}.summary.failed{background:#ffebe9}.summary.interrupted,.summary.crashed,.summary.running{background:#fff8c5}
.unfinished{font-weight:600;color:#7d4e00}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure.chart{margin:0;background:#fff;border:1px solid #e1e4e8;border-radius:4px;padding:4px}
figure.chart svg{display:block;max-width:100%;height:auto}
figcaption{font-size:.8rem;color:#57606a;padding:2px 4px}
.muted{color:#57606a;font-size:.85rem}
.cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.scenario{border-top:1px solid #d0d7de;margin-top:2em}
.error{background:#ffebe9;border:1px solid #cf222e;padding:6px 10px;border-radius:4px;font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap}
details summary{cursor:pointer;color:#0969da;margin:.4em 0}
nav.toc{font-size:.9rem}nav.toc a{margin-right:12px}
dl.kv{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:.9rem}dl.kv dt{color:#57606a}dl.kv dd{margin:0}
`;
