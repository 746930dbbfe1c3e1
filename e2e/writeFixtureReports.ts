/**
 * Writes the reports the Playwright test opens, from the fixture: an older passing run, the failing
 * fixture run (the newest, the one the test opens), and a folder with a half-written report.json.
 * Usage: node --import tsx e2e/writeFixtureReports.ts <reportsDir>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureRunReport } from '../hil/report/fixtureReport.ts';
import { writeRunReport } from '../hil/report/writeRunReport.ts';

const reportsDir = process.argv[2];
if (!reportsDir) throw new Error('usage: writeFixtureReports.ts <reportsDir>');
await mkdir(join(reportsDir, 'runs', 'half-written'), { recursive: true });
await writeFile(join(reportsDir, 'runs', 'half-written', 'report.json'), '{"formatVersion":1,"runId":"half-wri');
await writeRunReport(await fixtureRunReport({ runId: 'nightly-2026-11-20', startedAt: '2026-11-20T02:00:00.000Z', seed: 11, latencyScale: 0.92, scenarioCount: 1 }), reportsDir);
await writeRunReport(await fixtureRunReport({ runId: 'nightly-2026-11-21' }), reportsDir);
