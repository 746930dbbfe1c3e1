import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { lineChartSvg } from '../../src/plot/lineChart.ts';
import { badge, esc, figure, page } from './html.ts';
import { failureCount, shownStatus } from './runStatus.ts';
import type { RunReport, RunStatus } from './runReport.ts';
import { safeChart } from './scenarioSection.ts';

/**
 * reports/index.html: every run found in reports/runs/<folder>/report.json, newest first, with trends
 * across runs (p99 latency per scenario, dropouts, failures). A folder whose report.json is missing,
 * half-written or not a run report is listed as skipped with the reason; it never stops the index.
 */
export interface RunSummary {
  folder: string;
  runId: string;
  startedAt: string;
  status: RunStatus;
  rigName: string;
  /** Highest p99 of the run's scenarios and its JSON path in that run's report.json. */
  worstP99: { ms: number; path: string } | null;
  p99MsByScenario: Record<string, number | null>;
  dropoutCount: number;
  failureCount: number;
}

export interface SkippedRun {
  folder: string;
  reason: string;
}

/** The part of a run report the index reads; everything else may be absent or newer. */
const indexedReport = z.object({
  runId: z.string(),
  startedAt: z.string(),
  status: z.enum(['passed', 'failed', 'interrupted', 'crashed', 'running']),
  rig: z.object({ name: z.string() }),
  calibration: z.object({ channels: z.array(z.object({ status: z.string() })) }),
  scenarios: z.array(z.object({
    name: z.string(),
    status: z.string(),
    latency: z.object({ p99Ms: z.number().nullable() }),
    budgets: z.array(z.object({ passed: z.boolean() })),
    expectations: z.array(z.object({ passed: z.boolean() })),
    dropouts: z.array(z.unknown()),
  })),
});

export function summarise(folder: string, report: RunReport): RunSummary {
  let worstP99: RunSummary['worstP99'] = null;
  report.scenarios.forEach((s, i) => {
    const v = s.latency.p99Ms;
    if (v !== null && Number.isFinite(v) && (worstP99 === null || v > worstP99.ms)) worstP99 = { ms: v, path: `scenarios[${i}].latency.p99Ms` };
  });
  return {
    folder, runId: report.runId, startedAt: report.startedAt, status: shownStatus(report), rigName: report.rig.name, worstP99,
    p99MsByScenario: Object.fromEntries(report.scenarios.map((s) => [s.name, s.latency.p99Ms])),
    dropoutCount: report.scenarios.reduce((n, s) => n + s.dropouts.length, 0),
    failureCount: failureCount(report),
  };
}

/** Reads every run folder; newest first (by startedAt, then folder name). */
export async function readRunSummaries(reportsDir: string): Promise<{ runs: RunSummary[]; skipped: SkippedRun[] }> {
  const runsDir = join(reportsDir, 'runs');
  const folders = await readdir(runsDir, { withFileTypes: true }).then((d) => d.filter((e) => e.isDirectory()).map((e) => e.name), () => [] as string[]);
  const runs: RunSummary[] = [], skipped: SkippedRun[] = [];
  for (const folder of folders) {
    const path = join(runsDir, folder, 'report.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      skipped.push({ folder, reason: 'no report.json' });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      skipped.push({ folder, reason: `report.json is not valid JSON (${(error as Error).message})` });
      continue;
    }
    const parsed = indexedReport.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      skipped.push({ folder, reason: `report.json is not a run report: ${issue.path.join('.') || '(root)'}: ${issue.message}` });
      continue;
    }
    runs.push(summarise(folder, json as RunReport));
  }
  runs.sort((a, b) => (a.startedAt === b.startedAt ? b.folder.localeCompare(a.folder) : b.startedAt.localeCompare(a.startedAt)));
  return { runs, skipped };
}

const MAX_TREND_RUNS = 60;

async function trends(runs: RunSummary[]): Promise<string> {
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
  const counts = [
    { name: 'dropouts', points: chronological.map((r, i) => ({ x: labels[i], y: r.dropoutCount })) },
    { name: 'failures', points: chronological.map((r, i) => ({ x: labels[i], y: r.failureCount })) },
  ];
  const common = { xTitle: 'Run (start, UTC)', xType: 'ordinal' as const, width: 460, height: 200 };
  const charts = await Promise.all([
    safeChart(p99Series.length > 0, 'No latency measured yet.', () => lineChartSvg({ ...common, series: p99Series, yTitle: 'p99 latency (ms)', limits: [{ value: 5, label: 'budget 5 ms' }] }), 'p99 event-to-transducer latency per scenario'),
    safeChart(chronological.length > 0, 'No run yet.', () => lineChartSvg({ ...common, series: counts, yTitle: 'Count per run', yZero: true }), 'Dropouts and failures (budgets, expectations, calibration, errors) per run'),
  ]);
  return `<div class="charts">${charts.join('')}</div>`;
}

export async function indexHtml(runs: RunSummary[], skipped: SkippedRun[]): Promise<string> {
  const rows = runs.map((r) => {
    const json = `runs/${encodeURIComponent(r.folder)}/report.json`;
    return `<tr data-json="${esc(json)}" class="${r.status === 'passed' ? '' : 'fail'}"><td class="l"><a href="runs/${esc(encodeURIComponent(r.folder))}/report.html">${esc(r.runId)}</a></td><td class="l">${badge(r.status)}</td><td class="l">${esc(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td><td class="l">${esc(r.rigName)}</td><td>${r.worstP99 ? figure(r.worstP99.path, r.worstP99.ms, 3, 'ms') : '—'}</td><td>${r.dropoutCount}</td><td>${r.failureCount}</td></tr>`;
  });
  const table = runs.length
    ? `<table><tr><th class="l">run</th><th class="l">status</th><th class="l">started (UTC)</th><th class="l">rig</th><th>worst p99</th><th>dropouts</th><th>failures</th></tr>\n${rows.join('\n')}</table>`
    : '<p class="muted">No run report found in runs/.</p>';
  const skippedNote = skipped.length
    ? `<div class="skipped"><h3>Skipped run folders</h3><ul>${skipped.map((s) => `<li><code>runs/${esc(s.folder)}</code>: ${esc(s.reason)}</li>`).join('')}</ul></div>`
    : '';
  const body = `<h1>HIL runs</h1><p class="muted">${runs.length} run(s), newest first. Worst p99 is the highest scenario p99 of the run; budget 5 ms.</p>
<h2>Trends</h2>${await trends(runs)}
<h2>Runs</h2>${table}${skippedNote}`;
  return page('HIL runs', body);
}
