import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import type { DevServer } from '../src/browser/devServer/devServer.ts';
import { DEFAULT_OUT_DIR } from '../src/browser/devServer/buildPage.ts';
import { attachScreenshot, devServer } from './devHarness.ts';
import { serveDirectory } from './staticServer.ts';
import { watchPage } from './pageChecks.ts';

/**
 * The development page served by `rig dev` (in-process here): the panel generated from the engine's
 * schema, two tabs kept in sync through the server, a restarted server found again with the page's
 * parameters given back to it, no console error and no request beyond the server.
 */
test.describe('the dev page', () => {
  test.describe.configure({ mode: 'serial' });
  let server: DevServer;
  test.beforeAll(async () => { server = await devServer(); });
  test.afterAll(async () => server?.close());

  test('draws the reverb panel from its schema and keeps two tabs in sync, with no console error and nothing requested elsewhere', async ({ browser }, testInfo) => {
    const context = await browser.newContext();
    const a = await context.newPage();
    const b = await context.newPage();
    const watchA = await watchPage(a, server.url.replace(/\/$/, ''));
    for (const p of [a, b]) {
      await p.goto(`${server.url}?engine=reverb`);
      await expect(p.locator('#connection')).toHaveAttribute('data-state', 'connected');
    }
    // Units and ranges from the zod schema; an enum as a select; per-line damping as an array slider.
    await expect(a.locator('[data-param="rt60Seconds"] output')).toContainText('s');
    await expect(a.locator('[data-param="wetDry"] input[type=range]')).toHaveAttribute('max', '1');
    await expect(a.locator('[data-param="matrix"] select option')).toHaveCount(3);
    await expect(a.locator('[data-param="modRateHz"] output')).toContainText('Hz');

    await a.locator('[data-param="wetDry"] input[type=range]').fill('0.8');
    await expect(b.locator('[data-param="wetDry"] output')).toHaveText('0.8000');
    await expect(b.locator('[data-param="wetDry"] input[type=range]')).toHaveValue('0.8');
    await b.locator('[data-param="matrix"] select').selectOption('householder');
    await expect(a.locator('[data-param="matrix"] select')).toHaveValue('householder');

    await attachScreenshot(a, testInfo, 'dev page');
    expect(watchA.consoleErrors).toEqual([]);
    expect(watchA.foreignRequests).toEqual([]);
    await context.close();
  });

  test('finds a restarted server again and gives it the page\'s parameters', async ({ browser }) => {
    const page = await browser.newPage();
    await page.goto(`${server.url}?engine=lossy`);
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'connected');
    await page.locator('[data-param="outputGainDb"] input[type=range]').fill('-12');
    const port = server.port;
    await server.close();
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'offline');
    server = await devServer(port);
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'connected', { timeout: 6000 });
    // Asked by another client: the new server now holds the page's value.
    const value = await new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://localhost:${port}/rpc`, { origin: `http://localhost:${port}` });
      ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getParameter', params: { engine: 'lossy', name: 'outputGainDb' } })));
      ws.on('message', (d) => { resolve(JSON.parse(d.toString()).result?.value); ws.close(); });
      ws.on('error', reject);
    });
    expect(value).toBe(-12);
    await page.close();
  });

  test('runs without the dev server: the panel from engines.json, a preset from the list, the link offline and retried', async ({ browser }) => {
    const files = await serveDirectory(DEFAULT_OUT_DIR);
    const page = await browser.newPage();
    try {
      await page.goto(`${files.url}/index.html?engine=lossy`);
      await expect(page.locator('#connection')).toHaveAttribute('data-state', 'offline');
      await expect(page.locator('[data-param="outputGainDb"] output')).toHaveText('0 dB');
      await page.locator('#preset').selectOption('walkie-talkie');
      await expect(page.locator('[data-param="bitcrush.enabled"] input')).toBeChecked();
      await page.locator('[data-param="outputGainDb"] input[type=range]').fill('-6');
      await expect(page.locator('[data-param="outputGainDb"] output')).toHaveText('-6 dB');
    } finally {
      await page.close();
      await files.close();
    }
  });
});
