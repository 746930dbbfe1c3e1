import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseHapticConfig } from '../src/haptic/hapticConfig.ts';
import { freeUdpPort } from '../src/host/testClients.ts';
import type { DevServer } from '../src/browser/devServer/devServer.ts';
import { attachScreenshot, devServer } from './devHarness.ts';
import { watchPage } from './pageChecks.ts';

/**
 * The live dashboard attached to `rig serve --engine reverb` (a child process: the virtual rig in real
 * time, seeded noise in, replies to the dev server's port): the page shows the output meters, the live
 * metrics with their units updating, and the output spectrogram loading. Limits, at the top:
 */
const LIMITS = {
  /** Metrics push interval asked by the dev server (ms) and pushes the page must show within 2 s. */
  metricsIntervalMs: 100,
  minPushesShownIn2s: 5,
  /** Plausible ranges for noise (−12 dBFS peak) through the default reverb. */
  rmsDbfs: [-50, 0] as const,
  centroidHz: [200, 20_000] as const,
};
const RIG = join(import.meta.dirname, '../bin/rig.js');

test.describe('the live dashboard of an effect', () => {
  let server: ChildProcess;
  let dev: DevServer;
  let dir: string;

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-effect-'));
    const replyPort = await freeUdpPort();
    server = spawn(process.execPath, [RIG, 'serve', '--engine', 'reverb', '--noise', '3', '--osc-port', '0', '--no-socket', '--reply-port', String(replyPort),
      '--snapshots', join(dir, 'snapshots'), '--user-presets', join(dir, 'user'), '--seconds', '60'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const oscPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rig serve did not start: ${stderr}`)), 20_000);
      server.stderr?.on('data', (d) => {
        stderr += String(d);
        const m = /osc 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
    });
    dev = await devServer(0, { attach: { host: '127.0.0.1', port: oscPort, config: parseHapticConfig({}), replyPort, snapshotsDir: join(dir, 'snapshots'), metricsIntervalMs: LIMITS.metricsIntervalMs } });
  });
  test.afterAll(async () => {
    await dev?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('shows the reverb\'s meters, its live metrics updating with units, and its output spectrogram', async ({ page }, testInfo) => {
    const watch = await watchPage(page, dev.url.replace(/\/$/, ''));
    await page.goto(`${dev.url}dashboard`);
    await expect(page.locator('#rig-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.locator('#effect')).toBeVisible();
    await expect(page.locator('#grid')).toBeHidden();
    await expect(page.locator('#haptic-controls')).toBeHidden();
    await expect(page.locator('#grid-title')).toHaveText('reverb (live effect)');

    // Metrics: shown with units, and updating push after push.
    const centroid = page.locator('[data-metric=spectral_centroid]');
    await expect(centroid).toHaveText(/^\d+ Hz$/);
    await expect(page.locator('[data-metric=rms_dbfs]')).toHaveText(/^-?\d+\.\d dBFS$/);
    await expect(page.locator('[data-metric=crest_factor]')).toHaveText(/^\d+\.\d dB$/);
    const pushes = async () => Number(await page.locator('#metrics').getAttribute('data-pushes'));
    const values = async () => page.$$eval('[data-metric]', (dds) => dds.map((d) => (d as HTMLElement).dataset.value).join(','));
    const [p0, v0] = [await pushes(), await values()];
    await page.waitForTimeout(2000);
    const [p1, v1] = [await pushes(), await values()];
    testInfo.annotations.push({ type: 'measured', description: `metrics pushes shown in 2 s: ${p1 - p0} (asked every ${LIMITS.metricsIntervalMs} ms)` });
    expect(p1 - p0).toBeGreaterThanOrEqual(LIMITS.minPushesShownIn2s);
    expect(v1).not.toBe(v0);
    const rms = Number(await page.locator('[data-metric=rms_dbfs]').getAttribute('data-value'));
    const hz = Number(await centroid.getAttribute('data-value'));
    expect(rms).toBeGreaterThan(LIMITS.rmsDbfs[0]);
    expect(rms).toBeLessThan(LIMITS.rmsDbfs[1]);
    expect(hz).toBeGreaterThan(LIMITS.centroidHz[0]);
    expect(hz).toBeLessThan(LIMITS.centroidHz[1]);

    // Meters from the status levels; the spectrogram image decoded.
    await expect(page.locator('.meters')).toBeVisible();
    await expect(page.locator('.meters [data-channel="0"] .ch')).toHaveText('ch 1');
    const img = page.locator('#spectrogram');
    await expect(img).toHaveAttribute('data-taken-epoch-ms', /^\d+$/);
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await attachScreenshot(page, testInfo, 'dashboard-effect');

    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
