import { expect, test } from '@playwright/test';
import type { DevServer } from '../src/browser/devServer/devServer.ts';
import { attachScreenshot, devServer } from './devHarness.ts';
import { watchPage } from './pageChecks.ts';

/**
 * Slider → engine, heard: the reverb on a sine test tone in a real-time AudioContext; wetDry jumps from
 * 0 to 1 through the panel's slider while the page records its source and its output on the same
 * context frames (recorder worklets). Limits at the top:
 */
const LIMITS = {
  /** Before the jump (wetDry 0) the output is the input: residual below this, dB re the input. */
  dryResidualDb: -60,
  /** After it (wetDry 1) the output is the reverb's: residual above this, dB re the input (heard). */
  wetResidualDb: -20,
  /** Headroom on the steady signal's own largest step in the bound below. */
  steadyStepFactor: 1.25,
};

interface Capture { sampleRate: number; input: number[][]; output: number[][] }

const rmsOf = (x: ArrayLike<number>, a: number, b: number) => {
  let s = 0;
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return Math.sqrt(s / (b - a));
};
const maxStep = (x: ArrayLike<number>, a: number, b: number) => {
  let m = 0;
  for (let i = Math.max(a, 1); i < b; i++) m = Math.max(m, Math.abs(x[i] - x[i - 1]));
  return m;
};
const maxAbs = (x: ArrayLike<number>, a: number, b: number) => {
  let m = 0;
  for (let i = a; i < b; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
};
const db = (ratio: number) => 20 * Math.log10(ratio);

test.describe('the dev page makes sound', () => {
  let server: DevServer;
  test.beforeAll(async () => { server = await devServer(); });
  test.afterAll(async () => server?.close());

  test('a wetDry jump on the slider is heard in the output, and no sample step exceeds the 10 ms smoothing\'s bound', async ({ page }, testInfo) => {
    const watch = await watchPage(page, server.url.replace(/\/$/, ''));
    await page.goto(`${server.url}?engine=reverb`);
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'connected');
    const slider = page.locator('[data-param="wetDry"] input[type=range]');
    await slider.fill('0');
    await page.locator('#tone').selectOption('sine');
    await page.locator('#play-tone').click();
    await expect(page.locator('#audio-status')).toContainText('reverb ← sine');
    await expect(page.locator('#meters')).toHaveAttribute('data-source', /AudioWorklet \(SharedArrayBuffer ring\)/);
    await page.waitForTimeout(300);

    const seconds = 0.8;
    const captured = page.evaluate(async (s) => {
      const audio = (globalThis as unknown as { studioRigPage: { audio: { capture(frames: number): Promise<{ sampleRate: number; input: Float32Array[]; output: Float32Array[] }> } } }).studioRigPage.audio;
      const c = await audio.capture(Math.round(s * 48000));
      return { sampleRate: c.sampleRate, input: c.input.map((x) => Array.from(x)), output: c.output.map((x) => Array.from(x)) };
    }, seconds);
    await page.waitForTimeout(350);
    await slider.fill('1');
    const c: Capture = await captured;
    await attachScreenshot(page, testInfo, 'dev page with audio');

    const n = c.input[0].length;
    const window = Math.round(0.1 * c.sampleRate);
    const rampFrames = Math.round((10 * c.sampleRate) / 1000);
    const input = c.input[0];
    for (const [ch, out] of c.output.entries()) {
      const residual = out.map((y, i) => y - input[i]);
      const inRms = rmsOf(input, 0, window);
      // Heard: dry before, the reverb after.
      expect(db(rmsOf(residual, 0, window) / inRms), `channel ${ch} before`).toBeLessThan(LIMITS.dryResidualDb);
      expect(db(rmsOf(residual, n - window, n) / inRms), `channel ${ch} after`).toBeGreaterThan(LIMITS.wetResidualDb);
      // No click: out = dry + w·(wet − dry) with w ramped over rampFrames, so a step is at most the
      // steady signal's own step plus |Δw|·max|wet − dry| / rampFrames.
      const steady = Math.max(maxStep(out, 0, window), maxStep(out, n - window, n));
      const bound = LIMITS.steadyStepFactor * steady + (maxAbs(input, 0, n) + maxAbs(out, n - window, n)) / rampFrames;
      const step = maxStep(out, 0, n);
      testInfo.annotations.push({ type: 'measured', description: `channel ${ch}: residual before ${db(rmsOf(residual, 0, window) / inRms).toFixed(1)} dB, after ${db(rmsOf(residual, n - window, n) / inRms).toFixed(1)} dB; largest step ${step.toFixed(5)}, bound ${bound.toFixed(5)} (steady ${steady.toFixed(5)}) at ${c.sampleRate} Hz` });
      expect(step, `channel ${ch}: largest step against the bound ${bound.toFixed(4)}`).toBeLessThanOrEqual(bound);
    }
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
