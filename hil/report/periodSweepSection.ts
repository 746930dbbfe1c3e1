import type { RunReport } from './runReport.ts';
import { badge, esc, figure } from './html.ts';

/** The latency budget table over period sizes (report.periodSweep), or nothing when the run has none. */
export function periodSweepSection(report: RunReport): string {
  const sweep = report.periodSweep;
  if (!sweep) return '';
  const rows = sweep.rows.map((r, i) => {
    const p = `periodSweep.rows[${i}]`;
    const b = r.breakdown;
    return `<tr><td>${figure(`${p}.periodFrames`, r.periodFrames, 0)}</td><td>${figure(`${p}.periodMs`, r.periodMs, 2)}</td>
<td>${figure(`${p}.p50Ms`, r.p50Ms, 2)}</td><td>${figure(`${p}.p99Ms`, r.p99Ms, 2)}</td><td>${figure(`${p}.maxMs`, r.maxMs, 2)}</td><td>${figure(`${p}.jitterMs`, r.jitterMs, 3)}</td>
<td>${figure(`${p}.breakdown.transportMs`, b.transportMs, 2)}</td><td>${figure(`${p}.breakdown.schedulingMs`, b.schedulingMs, 2)}</td><td>${figure(`${p}.breakdown.bufferingMs`, b.bufferingMs, 2)}</td><td>${figure(`${p}.breakdown.pathMs`, b.pathMs, 2)}</td>
<td>${figure(`${p}.onsetCount`, r.onsetCount, 0)}</td><td class="l">${badge(r.meetsBudget ? 'passed' : 'failed')}</td></tr>`;
  }).join('\n');
  return `<section id="period-sweep"><h2>Latency budget by period size</h2>
<p>Scenario <code>${esc(sweep.scenario)}</code> at each period size against its p99 budget of ${figure('periodSweep.budgetMs', sweep.budgetMs, 1, 'ms')} (${esc(sweep.model)}). An event without a timestamp waits up to one period for the next block, then a period of buffering, then half the device loop: the p99 grows by about 2.5 periods.</p>
<table><tr><th>period frames</th><th>period ms</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>jitter σ ms</th><th>transport ms</th><th>scheduling ms</th><th>buffering ms</th><th>path ms</th><th>onsets</th><th class="l">p99 within budget</th></tr>
${rows}</table></section>`;
}
