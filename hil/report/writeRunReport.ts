import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeTextAtomic } from './atomicWrite.ts';
import { indexHtml } from './indexPage.ts';
import { runFolder, writeRunFiles } from './runFiles.ts';
import type { RunReport } from './runReport.ts';
import { upgradeRunReport } from './upgradeRunReport.ts';
import { isHarnessGone, readRunSummaries } from './runSummary.ts';

export interface WrittenReport {
  htmlPath: string;
  jsonPath: string;
  junitPath: string;
  indexPath: string;
}

export interface WriteReportOptions {
  /** Keep only the newest N runs: older run folders are deleted after this one is written. */
  keep?: number;
  /** Also copy junit.xml here (`rig hil --junit <file>`); reports/latest/junit.xml is always written. */
  junitPath?: string;
}

/** The stable path of the newest run's JUnit XML, for CI configurations that cannot guess a run id. */
export const latestJunitPath = (reportsDir: string) => join(reportsDir, 'latest', 'junit.xml');

/**
 * Writes one run's report — reports/runs/<runId>/report.json (every figure), report.html (self-contained),
 * junit.xml and summary.json — each atomically, copies the JUnit XML to reports/latest/junit.xml (and
 * `junitPath`), applies `keep`, then regenerates reports/index.html from every run folder.
 * Pure in its input: it renders the RunReport it is given, whatever its status, so the runner may call it
 * after every scenario and a crash keeps everything measured so far.
 */
export async function writeRunReport(report: RunReport, reportsDir = 'reports', options: WriteReportOptions = {}): Promise<WrittenReport> {
  const files = await writeRunFiles(report, reportsDir);
  for (const target of [latestJunitPath(reportsDir), options.junitPath].filter((p): p is string => Boolean(p))) {
    await mkdir(dirname(target), { recursive: true });
    await writeTextAtomic(target, await readFile(files.junitPath, 'utf8'));
  }
  if (options.keep !== undefined) await keepNewestRuns(reportsDir, options.keep, report.runId);
  const indexPath = await writeIndex(reportsDir);
  return { htmlPath: files.htmlPath, jsonPath: files.jsonPath, junitPath: files.junitPath, indexPath };
}

/**
 * Deletes all but the newest `keep` run folders (by start time), never `currentRunId`. Only folders the
 * index recognises as runs are touched; anything else in reports/runs is left alone.
 */
export async function keepNewestRuns(reportsDir: string, keep: number, currentRunId: string): Promise<string[]> {
  const { runs } = await readRunSummaries(reportsDir);
  const doomed = runs.filter((r) => r.runId !== currentRunId).slice(Math.max(0, keep - 1));
  for (const r of doomed) await rm(runFolder(reportsDir, r.folder), { recursive: true, force: true });
  return doomed.map((r) => r.folder);
}

/**
 * Regenerates reports/index.html from reports/runs/*. A run still marked 'running' whose harness process
 * is gone (SIGKILL, power loss) is rewritten first as 'interrupted' — its report.json, page, JUnit XML
 * and summary — so neither it nor the index says "running" forever.
 */
export async function writeIndex(reportsDir = 'reports'): Promise<string> {
  let { runs, skipped } = await readRunSummaries(reportsDir);
  const stale = runs.filter((r) => isHarnessGone(r));
  for (const r of stale) await markInterrupted(reportsDir, r.folder);
  if (stale.length) ({ runs, skipped } = await readRunSummaries(reportsDir));
  const indexPath = join(reportsDir, 'index.html');
  await writeTextAtomic(indexPath, await indexHtml(runs, skipped));
  return indexPath;
}

async function markInterrupted(reportsDir: string, folder: string): Promise<void> {
  const path = join(runFolder(reportsDir, folder), 'report.json');
  const report = upgradeRunReport(JSON.parse(await readFile(path, 'utf8')));
  if (report.status !== 'running') return;
  report.status = 'interrupted';
  report.statusDetail = `the harness process (pid ${report.harness?.pid} on ${report.harness?.host}) ended without finishing the run — killed (e.g. SIGKILL) or the machine went down`;
  for (const s of report.scenarios) if (s.status === 'interrupted' && !s.error) s.error = 'not finished: the harness process ended';
  await writeRunFiles(report, reportsDir);
}
