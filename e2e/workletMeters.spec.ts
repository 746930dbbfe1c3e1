import type { BrowserContext } from '@playwright/test';
import { parityCases } from './parityCases.ts';
import { expect, fromBase64, test } from './workletFixture.ts';

/**
 * EngineNode's meters are the engine's output: per channel peak and RMS (dBFS, −160 for silence) over
 * each 2048-frame stretch of the engine's timeline — through a SharedArrayBuffer ring where the page is
 * cross-origin isolated (COOP/COEP headers, added here by routing), by postMessage otherwise. The
 * output is captured over the same frames by a recorder and the meters recomputed from it in Node.
 */
const METER_FRAMES = 2048;
const WINDOWS = 8;

const dbOf = (x: number) => (x > 1e-8 ? 20 * Math.log10(x) : -160);

async function isolate(context: BrowserContext): Promise<void> {
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
  });
}

for (const isolated of [false, true]) {
  test(`meters equal the output's peak and RMS per ${METER_FRAMES} frames (${isolated ? 'SharedArrayBuffer ring, cross-origin isolated' : 'postMessage'})`, async ({ browser, worklet }) => {
    const c = parityCases().find((x) => x.id === 'haptic/rain-taps@48000');
    if (!c) throw new Error('no haptic/rain-taps');
    const context = await browser.newContext();
    if (isolated) await isolate(context);
    const page = await context.newPage();
    await page.goto(`${worklet.url}/blank.html`);
    const r = await page.evaluate(async (a) => {
      const m = await import(`${location.origin}/engineNode.js`);
      const ctx = new AudioContext({ sampleRate: 48000 });
      await ctx.resume();
      const start = Math.ceil((ctx.currentTime * ctx.sampleRate + ctx.sampleRate) / 128) * 128;
      const engine = await m.EngineNode.create(ctx, {
        engine: 'haptic', params: a.params, startFrame: start, meterFrames: a.meterFrames,
        events: a.events.map((e: { atFrame: number }) => ({ ...e, atFrame: e.atFrame + start })),
      });
      const meters: { frame: number; peakDb: number[]; rmsDb: number[] }[] = [];
      engine.onMeters((f: { frame: number; peakDb: Float32Array; rmsDb: Float32Array }) => meters.push({ frame: f.frame - start, peakDb: [...f.peakDb], rmsDb: [...f.rmsDb] }));
      const rec = await m.createRecorder(ctx, { channels: engine.shape.numOutputs, startFrame: start, frames: a.frames });
      engine.node.connect(rec.node);
      rec.node.connect(ctx.destination);
      const out = await rec.result;
      await new Promise((done) => setTimeout(done, 300));
      await ctx.close();
      return { isolated: globalThis.crossOriginIsolated, meters, out: out.map((x: Float32Array) => m.float32ToBase64(x)) };
    }, { params: c.params, events: c.events ?? [], frames: WINDOWS * METER_FRAMES, meterFrames: METER_FRAMES });
    await context.close();
    expect(r.isolated).toBe(isolated);
    const out = r.out.map(fromBase64);
    const inWindow = r.meters.filter((f) => f.frame <= WINDOWS * METER_FRAMES);
    expect(inWindow.map((f) => f.frame)).toEqual(Array.from({ length: WINDOWS }, (_, k) => (k + 1) * METER_FRAMES));
    let worst = 0;
    for (const f of inWindow) {
      for (let ch = 0; ch < out.length; ch++) {
        const x = out[ch].subarray(f.frame - METER_FRAMES, f.frame);
        let peak = 0;
        let sumsq = 0;
        for (const v of x) {
          peak = Math.max(peak, Math.abs(v));
          sumsq += v * v;
        }
        worst = Math.max(worst, Math.abs(f.peakDb[ch] - dbOf(peak)), Math.abs(f.rmsDb[ch] - dbOf(Math.sqrt(sumsq / METER_FRAMES))));
      }
    }
    expect(inWindow.some((f) => f.peakDb.some((p) => p > -40))).toBe(true); // the notes are in there
    expect(worst).toBeLessThan(1e-3);
  });
}
