import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunReport } from './runReport.ts';
import { upgradeRunReport } from './upgradeRunReport.ts';
import { failureCount, shownStatus } from './runStatus.ts';

/** The few figures of a run the index shows, written beside its report.json. */
export const RUN_SUMMARY_FILE = 'summary.json';
export const RUN_SUMMARY_FORMAT_VERSION = 1;

const runStatus = z.enum(['passed', 'failed', 'interrupted', 'crashed', 'running']);

export const runSummarySchema = z.object({
  formatVersion: z.literal(RUN_SUMMARY_FORMAT_VERSION),
  folder: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: runStatus,
  statusDetail: z.string().optional(),
  rigName: z.string(),
  /** Highest p99 of the run's scenarios and its JSON path in that run's report.json. */
  worstP99: z.object({ ms: z.number(), path: z.string() }).nullable(),
  p99MsByScenario: z.record(z.string(), z.number().nullable()),
  /** Each scenario's own p99 budget (null: it has none), so trends draw the budget each line is held to. */
  p99BudgetMsByScenario: z.record(z.string(), z.number().nullable()),
  /** Scenarios that failed a budget or expectation, errored or were interrupted. */
  failingScenarios: z.array(z.string()),
  dropoutCount: z.number(),
  failureCount: z.number(),
  /** Start to finish of the whole run (calibration, playing, analysis, writing); null while unfinished. */
  wallSeconds: z.number().nullable(),
  /** Of which analysing the captures (summed over scenarios); null when not recorded. */
  analysisSeconds: z.number().nullable(),
  harness: z.object({ pid: z.number(), host: z.string() }).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export interface SkippedRun {
  folder: string;
  reason: string;
}

/** The part of a run report the index needs to summarise it; everything else may be absent or newer. */
const indexedReport = z.object({
  runId: z.string(),
  startedAt: z.string(),
  status: runStatus,
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
  const analysed = report.scenarios.map((s) => s.analysisSeconds).filter((v): v is number => typeof v === 'number');
  return {
    formatVersion: RUN_SUMMARY_FORMAT_VERSION,
    folder, runId: report.runId, startedAt: report.startedAt, finishedAt: report.finishedAt, status: shownStatus(report),
    ...(report.statusDetail ? { statusDetail: report.statusDetail } : {}),
    rigName: report.rig.name, worstP99,
    p99MsByScenario: Object.fromEntries(report.scenarios.map((s) => [s.name, s.latency.p99Ms])),
    p99BudgetMsByScenario: Object.fromEntries(report.scenarios.map((s) => [s.name, s.budgets.find((b) => b.key === 'p99Ms')?.limit ?? null])),
    failingScenarios: report.scenarios.filter((s) => s.status === 'failed' || s.status === 'interrupted' || s.error !== undefined).map((s) => s.name),
    dropoutCount: report.scenarios.reduce((n, s) => n + s.dropouts.length, 0),
    failureCount: failureCount(report),
    wallSeconds: report.finishedAt ? (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000 : null,
    analysisSeconds: analysed.length ? analysed.reduce((a, b) => a + b, 0) : null,
    ...(report.harness ? { harness: report.harness } : {}),
  };
}

/**
 * True when a run still says 'running' but the process that wrote it is gone: same host, and no process
 * with its pid (killed with SIGKILL, or the machine went down). A run from another host is left alone.
 */
export function isHarnessGone(s: Pick<RunSummary, 'status' | 'harness'>, isAlive: (pid: number) => boolean = processExists): boolean {
  if (s.status !== 'running' || !s.harness || s.harness.host !== hostname()) return false;
  return !isAlive(s.harness.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a run folder's summary.json, or summarises its report.json when there is none (older runs). */
async function readOne(runDir: string, folder: string): Promise<RunSummary | SkippedRun> {
  const summary = await readFile(join(runDir, RUN_SUMMARY_FILE), 'utf8').then((t) => runSummarySchema.safeParse(JSON.parse(t)), () => null);
  if (summary?.success) return { ...summary.data, folder };
  let text: string;
  try {
    text = await readFile(join(runDir, 'report.json'), 'utf8');
  } catch {
    return { folder, reason: 'no report.json' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { folder, reason: `report.json is not valid JSON (${(error as Error).message})` };
  }
  const parsed = indexedReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { folder, reason: `report.json is not a run report: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return summarise(folder, upgradeRunReport(json));
}

/** Reads every run folder's summary; newest first (by startedAt, then folder name). */
export async function readRunSummaries(reportsDir: string): Promise<{ runs: RunSummary[]; skipped: SkippedRun[] }> {
  const runsDir = join(reportsDir, 'runs');
  const folders = await readdir(runsDir, { withFileTypes: true }).then((d) => d.filter((e) => e.isDirectory()).map((e) => e.name), () => [] as string[]);
  const runs: RunSummary[] = [], skipped: SkippedRun[] = [];
  for (const folder of folders) {
    const one = await readOne(join(runsDir, folder), folder);
    if ('reason' in one) skipped.push(one);
    else runs.push(one);
  }
  runs.sort((a, b) => (a.startedAt === b.startedAt ? b.folder.localeCompare(a.folder) : b.startedAt.localeCompare(a.startedAt)));
  return { runs, skipped };
}
