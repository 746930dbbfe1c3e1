import { join } from 'node:path';
import { writeTextAtomic } from './atomicWrite.ts';
import { indexHtml, readRunSummaries } from './indexPage.ts';
import { junitXml } from './junitXml.ts';
import { prettyJson } from './prettyJson.ts';
import { runReportHtml } from './runPage.ts';
import type { RunReport } from './runReport.ts';

export interface WrittenReport {
  htmlPath: string;
  jsonPath: string;
  junitPath: string;
  indexPath: string;
}

const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Writes one run's report — reports/runs/<runId>/report.json (every figure), report.html (self-contained)
 * and junit.xml — each atomically, then regenerates reports/index.html from every run folder.
 * Pure in its input: it renders the RunReport it is given, whatever its status, so the runner may call it
 * after every scenario and a crash keeps everything measured so far. The JSON is written first, so the
 * page and the index never show a figure the JSON does not hold.
 */
export async function writeRunReport(report: RunReport, reportsDir = 'reports'): Promise<WrittenReport> {
  if (!SAFE_RUN_ID.test(report.runId)) {
    throw new Error(`writeRunReport: runId '${report.runId}' cannot name a folder (expected letters, digits, '.', '_' or '-', starting with a letter or digit)`);
  }
  const runDir = join(reportsDir, 'runs', report.runId);
  const jsonPath = join(runDir, 'report.json');
  const htmlPath = join(runDir, 'report.html');
  const junitPath = join(runDir, 'junit.xml');
  const indexPath = join(reportsDir, 'index.html');
  const [html, junit] = await Promise.all([runReportHtml(report), Promise.resolve(junitXml(report))]);
  await writeTextAtomic(jsonPath, `${prettyJson(report)}\n`);
  await writeTextAtomic(htmlPath, html);
  await writeTextAtomic(junitPath, junit);
  await writeIndex(reportsDir);
  return { htmlPath, jsonPath, junitPath, indexPath };
}

/** Regenerates reports/index.html from reports/runs/*\/report.json. */
export async function writeIndex(reportsDir = 'reports'): Promise<string> {
  const { runs, skipped } = await readRunSummaries(reportsDir);
  const indexPath = join(reportsDir, 'index.html');
  await writeTextAtomic(indexPath, await indexHtml(runs, skipped));
  return indexPath;
}
