import { expect, test, type Page } from '@playwright/test';
import type { RunReport } from '../hil/report/runReport.ts';
import { shownStatus } from '../hil/report/runStatus.ts';
import { HALF_WRITTEN_FOLDER } from './globalSetup.ts';
import { figureMismatches, pictureSizes, shownFigures, watchPage } from './pageChecks.ts';

/**
 * Opens a generated HIL report and the index over http from localhost (see globalSetup.ts) and checks
 * that every figure shown equals the JSON value at its path, every picture renders with a size, the
 * console stays clean and nothing is requested from anywhere but the report server. Each page is loaded
 * once (beforeAll) and the checks read it; the last group tampers with a page to prove the checks fail.
 */
const baseUrl = () => {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run through `npx playwright test` (globalSetup serves the reports)');
  return url;
};
const runPath = () => process.env.E2E_RUN_PATH ?? 'runs/missing/report.html';
const loadJson = (page: Page) => async (url: string) => (await page.request.get(url)).json();

const PAGES: { name: string; path: () => string; minFigures: number; minPictures: number; says: { what: string; check: (page: Page) => Promise<void> } }[] = [
  {
    name: 'run report', path: runPath, minFigures: 100, minPictures: 5,
    says: {
      what: "the run's status at the top",
      check: async (page) => {
        const report = (await loadJson(page)(new URL('report.json', page.url()).href)) as RunReport;
        await expect(page.locator('.summary .badge').first()).toHaveText(shownStatus(report).toUpperCase());
      },
    },
  },
  {
    name: 'index', path: () => 'index.html', minFigures: 1, minPictures: 2,
    says: { what: 'which half-written run folder it skipped', check: async (page) => expect(page.locator('.skipped')).toContainText(`runs/${HALF_WRITTEN_FOLDER}`) },
  },
];

for (const p of PAGES) {
  test.describe(p.name, () => {
    test.describe.configure({ mode: 'serial' });
    let page: Page;
    let watch: Awaited<ReturnType<typeof watchPage>>;

    test.beforeAll(async ({ browser }) => {
      page = await browser.newPage();
      watch = await watchPage(page, baseUrl());
      await page.goto(`${baseUrl()}/${p.path()}`, { waitUntil: 'networkidle' });
    });
    test.afterAll(async () => page.close());

    test(`every figure on the ${p.name} equals its JSON value`, async () => {
      const figures = await shownFigures(page);
      const mismatches = await figureMismatches(figures, loadJson(page));
      expect(figures.length).toBeGreaterThanOrEqual(p.minFigures);
      expect(mismatches).toEqual([]);
    });

    test(`every picture on the ${p.name} renders with a non-zero size`, async () => {
      const pictures = await pictureSizes(page);
      expect(pictures.length).toBeGreaterThanOrEqual(p.minPictures);
      expect(pictures.filter((x) => !(x.width > 0 && x.height > 0 && x.decoded))).toEqual([]);
    });

    test(`the ${p.name} loaded with no console error`, async () => {
      expect(watch.consoleErrors).toEqual([]);
    });

    test(`the ${p.name} requested nothing beyond the local report server`, async () => {
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.requests.length).toBeGreaterThan(0);
      expect(watch.requests.filter((url) => !url.startsWith(`${baseUrl()}/`))).toEqual([]);
    });

    test(`the ${p.name} says ${p.says.what}`, async () => {
      await p.says.check(page);
    });
  });
}

test.describe('what a person reads at a glance', () => {
  test('each breakdown chart names its scenario\'s own p99 budget, or says it has none', async ({ page }) => {
    await page.goto(`${baseUrl()}/${runPath()}`, { waitUntil: 'networkidle' });
    const report = (await loadJson(page)(new URL('report.json', page.url()).href)) as RunReport;
    let checked = 0;
    for (const [i, s] of report.scenarios.entries()) {
      const budget = s.budgets.find((b) => b.key === 'p99Ms')?.limit;
      for (const caption of await page.locator(`#scenario-${i} figcaption`, { hasText: 'Stages of the event-to-transducer path' }).allTextContents()) {
        expect(caption).toContain(budget === undefined ? '(no latency budget)' : `p99 budget, ${budget} ms`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('the latency histogram has readable ticks and no percentile labels printed over each other', async ({ page }) => {
    await page.goto(`${baseUrl()}/${runPath()}`, { waitUntil: 'networkidle' });
    const histogram = page.locator('figure.chart', { hasText: 'Latency of every onset' }).first();
    const texts = await histogram.locator('svg text').allTextContents();
    const ticks = texts.filter((t) => /^\d+\.\d+$/.test(t));
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.filter((t) => t.length > 7)).toEqual([]);
    const labels = texts.filter((t) => /^P\d+(\/P\d+)*$/.test(t));
    expect(labels.join('/').split('/').sort()).toEqual(['P50', 'P95', 'P99']);
  });

  test('the index names the failing scenarios of each run and draws trends per rig', async ({ page }) => {
    await page.goto(`${baseUrl()}/index.html`, { waitUntil: 'networkidle' });
    const row = page.locator('tr', { has: page.locator('a[href="runs/nightly-2026-11-21/report.html"]') });
    await expect(row.locator('td.failing')).toHaveText('mpe-glide');
    await expect(page.locator('h3', { hasText: /^Rig virtual$/ })).toHaveCount(1);
    await expect(page.locator('th', { hasText: 'of which analysis' })).toHaveCount(1);
    await expect(page.locator('figcaption', { hasText: 'each against its own budget' }).first()).toBeVisible();
  });
});

test.describe('the checks themselves can fail', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let watch: Awaited<ReturnType<typeof watchPage>>;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    watch = await watchPage(page, baseUrl());
    await page.goto(`${baseUrl()}/${runPath()}`);
  });
  test.afterAll(async () => page.close());

  test('a figure changed on the page is reported as a mismatch', async () => {
    const figure = page.locator('[data-figure$="latency.p99Ms"]').first();
    const path = await figure.getAttribute('data-figure');
    await figure.evaluate((e) => { e.textContent = '1234.000'; });
    const mismatches = await figureMismatches(await shownFigures(page), loadJson(page));
    expect(mismatches.map((m) => m.path)).toEqual([path]);
  });

  test('a picture with no size is reported', async () => {
    await page.locator('figure.chart svg').first().evaluate((e) => { (e as SVGElement).style.display = 'none'; });
    const pictures = await pictureSizes(page);
    expect(pictures.filter((x) => !(x.width > 0 && x.height > 0)).length).toBe(1);
  });

  test('a request to another host is caught and blocked', async () => {
    await page.evaluate(() => fetch('http://example.invalid/beacon').catch(() => undefined));
    expect(watch.foreignRequests).toEqual(['http://example.invalid/beacon']);
  });

  test('a console error is caught', async () => {
    await page.evaluate(() => console.error('injected'));
    expect(watch.consoleErrors).toContain('injected');
  });
});
