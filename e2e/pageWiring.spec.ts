import { expect, type Page, test } from '@playwright/test';
import type { DevServer } from '../src/browser/devServer/devServer.ts';
import { devServer } from './devHarness.ts';

/**
 * No control of a page takes a click before the page's script has wired it (src/browser/page/wiredControls.ts): the
 * static page is drawn first, its module script loads and runs after (the dev page's after fetching its catalog
 * too), and a click in that gap reached no handler and was lost without a word. Each test holds the page's script
 * back, finds every button and file input of the page (and the selects whose change it handles) disabled meanwhile,
 * then clicks one at once — the click waits for the enabled control (Playwright's actionability) and is answered.
 * Shown red with the controls enabled in the HTML: the click lands in the gap and the status never changes.
 */
const HOLD_MS = 1500;

async function openHeld(page: Page, url: string, script: string): Promise<void> {
  await page.route(`**/page/${script}`, async (route) => {
    await new Promise((r) => setTimeout(r, HOLD_MS));
    await route.continue();
  });
  await page.goto(url, { waitUntil: 'commit' });
  await expect(page.locator('button').first()).toBeVisible();
}

/** The page's actions enabled now (ids): its buttons and file inputs, and the selects whose change it handles (engine, preset). */
const enabledActions = (page: Page) => page.locator('button:enabled, input[type=file]:enabled, select#engine:enabled, select#preset:enabled')
  .evaluateAll((els) => els.map((e) => e.id));

test.describe('the pages before their script has wired them', () => {
  test.describe.configure({ mode: 'serial' });
  let server: DevServer;
  test.beforeAll(async () => { server = await devServer(); });
  test.afterAll(async () => server?.close());

  test('the dev page: every control waits disabled, and Stop source clicked at once is answered', async ({ page }) => {
    await openHeld(page, `${server.url}?engine=lossy`, 'main.js');
    expect(await enabledActions(page)).toEqual([]);
    await page.locator('#stop-source').click();
    await expect(page.locator('#audio-status')).toHaveText('source stopped');
    // Wired: every control that waited is enabled (the Native section's Load and Unload wait for a companion).
    expect(await enabledActions(page)).toEqual(expect.arrayContaining(['engine', 'preset', 'save', 'start-audio', 'play-tone', 'file', 'microphone', 'note', 'stop-source', 'native-detect']));
    await expect(page.locator('[data-until-wired]')).toHaveCount(0);
  });

  test('the sources page: every control waits disabled, and Start audio clicked at once is answered', async ({ page }) => {
    await openHeld(page, `${server.url}sources.html`, 'sourcesPage.js');
    expect(await enabledActions(page)).toEqual([]);
    await page.locator('#start').click();
    await expect(page.locator('#engine-status')).not.toHaveText('stopped');
    await expect(page.locator('[data-until-wired]')).toHaveCount(0);
  });

  test('the live dashboard: every control waits disabled, and Panic clicked at once is answered', async ({ page }) => {
    await openHeld(page, `${server.url}dashboard`, 'dashboard.js');
    expect(await enabledActions(page)).toEqual([]);
    await page.locator('#panic').click();
    // No rig attached to this dev server: the answer is the refusal, shown.
    await expect(page.locator('#play-result')).toContainText('panic');
    await expect(page.locator('[data-until-wired]')).toHaveCount(0);
  });
});
