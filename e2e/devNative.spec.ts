import { expect, test } from '@playwright/test';
import type { DevServer } from '../src/browser/devServer/devServer.ts';
import { BridgeClient } from '../src/bridge/bridgeClient.ts';
import { type BridgeProcess, startBridgeProcess } from '../src/bridge/bridgeProcess.ts';
import { attachScreenshot, devServer } from './devHarness.ts';
import { watchPage } from './pageChecks.ts';

/**
 * The dev page's Native section against a real companion (`rig bridge` in its own process, allowing the
 * dev page's origin): the sandbox warning; detection refused without the pairing token and accepted
 * with it; the companion's engines listed; the reverb loaded into the page's audio graph through
 * NativePluginNode (the page's tone → its engine → the bridge → the speakers), its knobs generated from
 * the parameter metadata, a knob reaching the bridge, unload releasing the instance.
 */
test.describe('the dev page\'s Native section', () => {
  test.describe.configure({ mode: 'serial' });
  let server: DevServer;
  let bridge: BridgeProcess;
  let client: BridgeClient;
  test.beforeAll(async () => {
    server = await devServer();
    bridge = await startBridgeProcess(['--allow-origin', new URL(server.url).origin, '--seconds', '300']);
    client = await BridgeClient.connect(bridge.wsUrl, { token: bridge.token });
  });
  test.afterAll(async () => {
    await client?.close();
    await bridge?.stop();
    await server?.close();
  });

  test('detects the companion, lists its engines, loads the reverb into the audio graph with knobs from its metadata', async ({ page }, testInfo) => {
    test.setTimeout(60_000);
    const watch = await watchPage(page, server.url.replace(/\/$/, ''));
    await page.goto(`${server.url}?engine=lossy`);
    await expect(page.locator('#native-warning')).toContainText("Native processing runs outside the browser's sandbox");
    await page.locator('#native-url').fill(bridge.wsUrl);

    // Another origin than the bridge's own page: the pairing token is required.
    await page.locator('#native-detect').click();
    await expect(page.locator('#native-status')).toContainText('token-required');
    await expect(page.locator('#native-status')).toHaveAttribute('data-state', 'offline');

    await page.locator('#native-token').fill(bridge.token);
    await page.locator('#native-detect').click();
    await expect(page.locator('#native-status')).toHaveAttribute('data-state', 'connected');
    const { engines } = await client.listPlugins();
    const rows = page.locator('#native-engines tr');
    await expect(rows).toHaveCount(engines.length);
    for (const e of engines as { engine: string }[]) await expect(rows.filter({ hasText: e.engine }).first()).toBeVisible();

    await page.locator('#native-engine').selectOption('reverb');
    await page.locator('#native-load').click();
    await expect(page.locator('#native-status')).toContainText('reverb loaded in the companion', { timeout: 20_000 });
    // One knob per parameter with a finite range, with its range and unit from the metadata.
    const reverb = (engines as { engine: string; params: { name: string; min: number | null; max: number | null; unit: string | null }[] }[]).find((e) => e.engine === 'reverb');
    const ranged = reverb?.params.filter((p) => p.min !== null && p.max !== null) ?? [];
    expect(ranged.length).toBeGreaterThan(3);
    await expect(page.locator('[data-native-param]')).toHaveCount(ranged.length);
    for (const p of ranged) {
      const knob = page.locator(`[data-native-param="${p.name}"] input[type=range]`);
      await expect(knob).toHaveAttribute('min', String(p.min));
      await expect(knob).toHaveAttribute('max', String(p.max));
      if (p.unit) await expect(page.locator(`[data-native-param="${p.name}"] output`)).toContainText(p.unit);
    }

    // Sound through it: the page's tone → the page's engine → the companion's reverb → the speakers.
    await page.locator('#play-tone').click();
    await expect.poll(async () => Number(await page.locator('#native-counts').getAttribute('data-played') ?? 0), { timeout: 20_000 }).toBeGreaterThan(200);
    // What the node plays is the bridge's reverb of what the page's engine sent it: not silence.
    const peak = await page.evaluate(async () => {
      const g = globalThis as unknown as { studioRigPage: { audio: { ctx: AudioContext }; native: AudioNode } };
      const analyser = new AnalyserNode(g.studioRigPage.audio.ctx, { fftSize: 8192 });
      g.studioRigPage.native.connect(analyser);
      await new Promise((r) => setTimeout(r, 400));
      const x = new Float32Array(analyser.fftSize);
      analyser.getFloatTimeDomainData(x);
      g.studioRigPage.native.disconnect(analyser);
      return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    });
    expect(peak).toBeGreaterThan(0.001);

    const before = (await client.stats()).bridge.paramsSet ?? 0;
    await page.locator('[data-native-param="wetDry"] input[type=range]').fill('0.3');
    await expect.poll(async () => (await client.stats()).bridge.paramsSet ?? 0).toBeGreaterThan(before);
    await attachScreenshot(page, testInfo, 'dev page, Native section');

    expect((await client.stats()).bridge.instances).toBe(1);
    await page.locator('#native-unload').click();
    await expect(page.locator('[data-native-param]')).toHaveCount(0);
    await expect.poll(async () => (await client.stats()).bridge.instances).toBe(0);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('takes no click on Detect before the page has wired it: the button waits disabled while the page\'s script loads', async ({ page }) => {
    // The page's script held back 1.5 s: the static page is up, its Native section not yet wired. A click in that gap
    // was lost (the status stayed "not asked yet"; once in CI at load); Playwright's click waits for an enabled button.
    await page.route('**/page/main.js', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(`${server.url}?engine=lossy`, { waitUntil: 'commit' });
    await expect(page.locator('#native-detect')).toBeDisabled();
    await page.locator('#native-url').fill(bridge.wsUrl);
    await page.locator('#native-detect').click();
    await expect(page.locator('#native-status')).toContainText('token-required');
  });
});
