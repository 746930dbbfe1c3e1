/**
 * Screenshots of the fixture report, an interrupted run and the index, to look at the pages:
 *   node --import tsx e2e/screenshots.ts [outDir]   (default test-results/screenshots)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { fixtureRunReport } from '../hil/report/fixtureReport.ts';
import { writeRunReport } from '../hil/report/writeRunReport.ts';
import { serveDirectory } from './staticServer.ts';

const outDir = process.argv[2] ?? 'test-results/screenshots';
const reportsDir = await mkdtemp(join(tmpdir(), 'studio-rig-shots-'));
execFileSync('node', ['--import', 'tsx', 'e2e/writeFixtureReports.ts', reportsDir], { stdio: 'inherit' });
await writeRunReport(await fixtureRunReport({ runId: 'interrupted', status: 'interrupted', scenarioCount: 2, startedAt: '2026-11-19T02:00:00.000Z' }), reportsDir);
const server = await serveDirectory(reportsDir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  for (const [name, path] of [['report', 'runs/nightly-2026-11-21/report.html'], ['interrupted', 'runs/interrupted/report.html'], ['index', 'index.html']]) {
    await page.goto(`${server.url}/${path}`);
    await page.screenshot({ path: join(outDir, `${name}-top.png`) });
    await page.screenshot({ path: join(outDir, `${name}-full.png`), fullPage: true });
  }
  console.log(`screenshots in ${outDir}, reports in ${reportsDir}`);
} finally {
  await browser.close();
  await server.close();
}
