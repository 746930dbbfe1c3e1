/**
 * Writes the reports the Playwright test opens, from the fixture: an older run and the failing fixture
 * run (the newest, the one the test opens).
 * Usage: node --import tsx e2e/writeFixtureReports.ts <reportsDir>
 */
import { fixtureRunReport } from '../hil/report/fixtureReport.ts';
import { writeRunReport } from '../hil/report/writeRunReport.ts';

const reportsDir = process.argv[2];
if (!reportsDir) throw new Error('usage: writeFixtureReports.ts <reportsDir>');
await writeRunReport(await fixtureRunReport({ runId: 'nightly-2026-11-20', startedAt: '2026-11-20T02:00:00.000Z', seed: 11, latencyScale: 0.92, scenarioCount: 1 }), reportsDir);
await writeRunReport(await fixtureRunReport({ runId: 'nightly-2026-11-21' }), reportsDir);
