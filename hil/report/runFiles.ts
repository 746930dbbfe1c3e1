import { join, resolve } from 'node:path';
import { writeTextAtomic } from './atomicWrite.ts';
import { junitXml } from './junitXml.ts';
import { prettyJson } from './prettyJson.ts';
import { runReportHtml } from './runPage.ts';
import type { RunReport } from './runReport.ts';
import { RUN_SUMMARY_FILE, summarise } from './runSummary.ts';

export interface RunFiles {
  htmlPath: string;
  jsonPath: string;
  junitPath: string;
  summaryPath: string;
}

const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** reports/runs/<runId>, after checking that the runId can name a folder (never a path). */
export function runFolder(reportsDir: string, runId: string): string {
  if (!SAFE_RUN_ID.test(runId)) {
    throw new Error(`writeRunReport: runId '${runId}' cannot name a folder (expected letters, digits, '.', '_' or '-', starting with a letter or digit)`);
  }
  return join(reportsDir, 'runs', runId);
}

/**
 * Writes one run's own files, each atomically: report.json (every figure) first, so the page and the
 * index never show a figure the JSON does not hold; then report.html, junit.xml and summary.json (the
 * few figures the index reads, so it never re-parses a 9 MB soak report).
 */
export async function writeRunFiles(report: RunReport, reportsDir: string): Promise<RunFiles> {
  const runDir = runFolder(reportsDir, report.runId);
  const files = { jsonPath: join(runDir, 'report.json'), htmlPath: join(runDir, 'report.html'), junitPath: join(runDir, 'junit.xml'), summaryPath: join(runDir, RUN_SUMMARY_FILE) };
  const [html, junit] = await Promise.all([runReportHtml(report), Promise.resolve(junitXml(report, { reportHref: resolve(files.htmlPath) }))]);
  await writeTextAtomic(files.jsonPath, `${prettyJson(report)}\n`);
  await writeTextAtomic(files.htmlPath, html);
  await writeTextAtomic(files.junitPath, junit);
  await writeTextAtomic(files.summaryPath, `${JSON.stringify(summarise(report.runId, report), null, 2)}\n`);
  return files;
}
