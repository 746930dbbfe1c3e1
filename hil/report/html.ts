/** Small HTML helpers for the self-contained reports: escaping, and figures tied to their JSON key. */
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
 * A figure on the page, tagged with the JSON path of its value in the run's JSON and the digits shown,
 * so a test can check that what the page shows is what was measured.
 */
export function figure(path: string, value: number | null | undefined, digits = 2, unit = ''): string {
  return `<span class="fig" data-figure="${esc(path)}" data-digits="${digits}">${fmt(value, digits)}</span>${unit ? `&nbsp;${esc(unit)}` : ''}`;
}

export function badge(status: string): string {
  return `<span class="badge ${esc(status)}">${esc(status.toUpperCase())}</span>`;
}

export const REPORT_CSS = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fafafa}
body{max-width:1200px;margin:0 auto;padding:16px 24px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.2rem;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:1.05rem;margin-top:1.4em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}th{background:#f0f3f6}td.l,th.l{text-align:left}
.badge{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff;font-size:.85rem}
.badge.passed,.badge.ok{background:#1a7f37}.badge.failed{background:#cf222e}.badge.interrupted,.badge.crashed,.badge.running{background:#9a6700}
.badge.skipped{background:#6e7781}.badge.inverted,.badge.no-signal,.badge.clipped,.badge.miswired{background:#cf222e}
.summary{font-size:1.1rem;padding:10px 14px;border-radius:6px;margin:10px 0}
.summary.passed{background:#dafbe1}.summary.failed{background:#ffebe9}.summary.interrupted,.summary.crashed,.summary.running{background:#fff8c5}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.charts figure{margin:0}
figcaption{font-size:.8rem;color:#57606a}
.muted{color:#57606a;font-size:.85rem}
`;
