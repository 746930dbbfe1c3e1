import { lineChartSvg } from '../../src/plot/lineChart.ts';
import { badge, esc, figure, page } from './html.ts';
import { RUN_SUMMARY_FILE, type RunSummary, type SkippedRun } from './runSummary.ts';
import { safeChart } from './scenarioSection.ts';

export type { RunSummary, SkippedRun } from './runSummary.ts';

/**
 * reports/index.html: every run found in reports/runs/<folder>/ (its summary.json, or its report.json for
 * older runs), newest first, naming the scenarios that failed, with the run's wall time and the part of
 * it spent analysing; trends across runs drawn per rig (a virtual and a JACK run are not one series),
 * each scenario's line against its own p99 budget. A folder whose files are missing, half-written or
 * foreign is listed as skipped with the reason; it never stops the index.
 */

const MAX_TREND_RUNS = 60;

/** One rule per distinct p99 budget among the scenarios drawn, labelled with the scenarios it holds. */
function budgetLimits(runs: RunSummary[], names: string[]): { value: number; label: string }[] {
  const byBudget = new Map<number, Set<string>>();
  for (const r of runs) {
    for (const name of names) {
      const budget = r.p99BudgetMsByScenario?.[name];
      if (typeof budget === 'number') byBudget.set(budget, (byBudget.get(budget) ?? new Set()).add(name));
    }
  }
  return [...byBudget].sort(([a], [b]) => a - b).map(([value, set]) => ({ value, label: `budget ${value} ms: ${[...set].join(', ')}` }));
}

async function rigTrends(rigName: string, runs: RunSummary[]): Promise<string> {
  const chronological = runs.slice(0, MAX_TREND_RUNS).reverse();
  const seen = new Map<string, number>();
  const labels = chronological.map((r) => {
    const base = r.startedAt.slice(0, 16).replace('T', ' ');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n > 1 ? `${base} #${n}` : base;
  });
  const names = [...new Set(chronological.flatMap((r) => Object.keys(r.p99MsByScenario)))];
  const p99Series = names.map((name) => ({
    name,
    points: chronological.flatMap((r, i) => { const v = r.p99MsByScenario[name]; return v === null || v === undefined || !Number.isFinite(v) ? [] : [{ x: labels[i], y: v }]; }),
  })).filter((s) => s.points.length > 0);
  const limits = budgetLimits(chronological, p99Series.map((s) => s.name));
  const counts = [
    { name: 'dropouts', points: chronological.map((r, i) => ({ x: labels[i], y: r.dropoutCount })) },
    { name: 'failures', points: chronological.map((r, i) => ({ x: labels[i], y: r.failureCount })) },
  ];
  const common = { xTitle: 'Run (start, UTC)', xType: 'ordinal' as const, width: 460, height: 200 };
  const charts = await Promise.all([
    safeChart(p99Series.length > 0, `No latency measured on ${rigName} yet.`, () => lineChartSvg({ ...common, series: p99Series, yTitle: 'p99 latency (ms)', limits }), `${rigName}: p99 event-to-transducer latency per scenario${limits.length ? ', each against its own budget' : ' (no scenario has a latency budget)'}`),
    safeChart(chronological.length > 0, 'No run yet.', () => lineChartSvg({ ...common, series: counts, yTitle: 'Count per run', yZero: true }), `${rigName}: dropouts and failures (budgets, expectations, calibration, errors) per run`),
  ]);
  return `<h3>Rig ${esc(rigName)}</h3><div class="charts">${charts.join('')}</div>`;
}

async function trends(runs: RunSummary[]): Promise<string> {
  if (runs.length === 0) return '<p class="muted">No run yet.</p>';
  const rigs = [...new Set(runs.map((r) => r.rigName))].sort();
  return (await Promise.all(rigs.map((rig) => rigTrends(rig, runs.filter((r) => r.rigName === rig))))).join('');
}

const seconds = (json: string, key: 'wallSeconds' | 'analysisSeconds', value: number | null) =>
  `<td data-json="${esc(json)}">${value === null ? '—' : figure(key, value, 1, 's')}</td>`;

export async function indexHtml(runs: RunSummary[], skipped: SkippedRun[]): Promise<string> {
  const rows = runs.map((r) => {
    const folder = encodeURIComponent(r.folder);
    const json = `runs/${folder}/report.json`;
    const summaryJson = `runs/${folder}/${RUN_SUMMARY_FILE}`;
    const failing = r.failingScenarios?.length ? r.failingScenarios.map((n) => esc(n)).join(', ') : '<span class="muted">none</span>';
    const detail = r.statusDetail && r.status === 'interrupted' ? `<div class="muted">${esc(r.statusDetail)}</div>` : '';
    return `<tr data-json="${esc(json)}" class="${r.status === 'passed' ? '' : 'fail'}"><td class="l"><a href="runs/${esc(folder)}/report.html">${esc(r.runId)}</a></td><td class="l">${badge(r.status)}${detail}</td><td class="l">${esc(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td><td class="l">${esc(r.rigName)}</td><td class="l failing">${failing}</td><td>${r.worstP99 ? figure(r.worstP99.path, r.worstP99.ms, 3, 'ms') : '—'}</td><td>${r.dropoutCount}</td><td>${r.failureCount}</td>${seconds(summaryJson, 'wallSeconds', r.wallSeconds ?? null)}${seconds(summaryJson, 'analysisSeconds', r.analysisSeconds ?? null)}</tr>`;
  });
  const table = runs.length
    ? `<table><tr><th class="l">run</th><th class="l">status</th><th class="l">started (UTC)</th><th class="l">rig</th><th class="l">failing scenarios</th><th>worst p99</th><th>dropouts</th><th>failures</th><th>wall time (whole run)</th><th>of which analysis</th></tr>\n${rows.join('\n')}</table>`
    : '<p class="muted">No run report found in runs/.</p>';
  const skippedNote = skipped.length
    ? `<div class="skipped"><h3>Skipped run folders</h3><ul>${skipped.map((s) => `<li><code>runs/${esc(s.folder)}</code>: ${esc(s.reason)}</li>`).join('')}</ul></div>`
    : '';
  const body = `<h1>HIL runs</h1><p class="muted">${runs.length} run(s), newest first. Worst p99 is the highest scenario p99 of the run; each scenario has its own budget (see its report). Wall time runs from start to finish (calibration, playing, analysis, writing); analysis is the part spent measuring the captures.</p>
<h2>Trends per rig</h2>${await trends(runs)}
<h2>Runs</h2>${table}${skippedNote}`;
  return page('HIL runs', body);
}
