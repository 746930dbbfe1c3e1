import { describe, expect, it } from 'vitest';
import { ContentResidual } from './contentResidual.ts';
import { SignalHistory } from './dropouts/signalHistory.ts';
import { fractionalDelay } from './testSignals/fractionalDelay.ts';
import { addNoiseAtSnr } from './testSignals/seededRandom.ts';
import { programmeLike } from './testSignals/programmeLike.ts';

const FS = 48000;

function whole(render: Float32Array, capture: Float32Array, delay: number, gain: number): number | null {
  return new ContentResidual(delay, gain, { render: SignalHistory.wrap(render), capture: SignalHistory.wrap(capture) }).finish();
}

function chunked(render: Float32Array, capture: Float32Array, delay: number, gain: number, sizes: number[]): number | null {
  const r = new ContentResidual(delay, gain);
  for (let a = 0, k = 0; a < capture.length; a += sizes[k++ % sizes.length]) {
    const b = a + sizes[k % sizes.length];
    r.push(render.subarray(Math.min(a, render.length), Math.min(b, render.length)), capture.subarray(a, b));
  }
  return r.finish();
}

describe('ContentResidual', () => {
  const render = programmeLike(2 * FS, FS, 1);
  const padded = new Float32Array(render.length + 600);
  padded.set(render);

  it.each([256, 300.37])('measures a −40 dB residual within 0.5 dB at a delay of %f, the same at any chunking', (delay) => {
    const capture = fractionalDelay(padded, delay, 8);
    for (let n = 0; n < capture.length; n++) capture[n] *= 0.5;
    addNoiseAtSnr(capture, 40, 2);

    const db = whole(render, capture, delay, 0.5)!;

    expect(Math.abs(db - -40)).toBeLessThanOrEqual(0.5);
    for (const sizes of [[128], [7, 1000], [FS + 1]]) expect(chunked(render, capture, delay, 0.5, sizes)).toBe(db);
  });

  it('sums the capture energy in frame order, exactly as one pass over the whole capture does, at any chunking', () => {
    const capture = fractionalDelay(padded, 300.37, 8);
    addNoiseAtSnr(capture, 40, 3);
    let direct = 0;
    for (let n = 0; n < capture.length; n++) direct += capture[n] * capture[n];
    const r = new ContentResidual(300.37, 1, { render: SignalHistory.wrap(render), capture: SignalHistory.wrap(capture) });
    r.finish();

    expect(direct).toBeGreaterThan(0);
    expect(r.captureEnergy).toBe(direct);
    for (const sizes of [[128], [7, 1000], [FS + 1]]) {
      const c = new ContentResidual(256, 1);
      for (let a = 0, k = 0; a < capture.length; a += sizes[k++ % sizes.length]) {
        const b = a + sizes[k % sizes.length];
        c.push(render.subarray(Math.min(a, render.length), Math.min(b, render.length)), capture.subarray(a, b));
      }
      c.finish();
      expect(c.captureEnergy, `chunks ${sizes}`).toBe(direct);
    }
  });

  it('gives the same residual when the render arrives after the capture (chunks of 128, the render 20 chunks behind), and a finished residual takes no more frames', () => {
    const capture = fractionalDelay(padded, 300.37, 8);
    addNoiseAtSnr(capture, 40, 4);
    const db = whole(render, capture, 300.37, 1);
    const r = new ContentResidual(300.37, 1);
    const chunk = 128, behind = 20;
    const renderChunk = (k: number) => render.subarray(Math.min(k * chunk, render.length), Math.min((k + 1) * chunk, render.length));
    const chunks = Math.ceil(capture.length / chunk);
    for (let k = 0; k < chunks + behind; k++) r.push(k >= behind ? renderChunk(k - behind) : new Float32Array(0), capture.subarray(Math.min(k * chunk, capture.length), Math.min((k + 1) * chunk, capture.length)));

    expect(db).not.toBeNull();
    expect(r.finish()).toBe(db);
    expect(() => r.push(new Float32Array(0), capture.subarray(0, 10))).toThrow(/after end/);
  });

  it('is null on a silent render and −200 dB on an exact match', () => {
    expect(whole(new Float32Array(1000), new Float32Array(1000), 10, 1)).toBeNull();
    const capture = new Float32Array(padded.length);
    capture.set(render, 256);
    expect(whole(render, capture, 256, 1)).toBe(-200);
  });

  it('leaves the excluded spans out of the residual and sums them apart, the same at any chunking', () => {
    const capture = new Float32Array(padded.length);
    capture.set(render, 256);
    // A dropout of 2 periods inside the excluded span, and another well outside it.
    const excluded = [{ start: 10_000, end: 11_000 }];
    capture.fill(0, 10_300, 10_428);
    const inside = new ContentResidual(256, 1, { render: SignalHistory.wrap(render), capture: SignalHistory.wrap(capture) }, excluded);

    expect(inside.finish()).toBe(-200);
    expect(inside.excludedFrames).toBe(1000);
    const all = inside.residualWithExcludedDb!;
    expect(all).toBe(whole(render, capture, 256, 1));
    expect(all).toBeGreaterThan(-60);

    capture.fill(0, 30_000, 30_128);
    const outside = new ContentResidual(256, 1, { render: SignalHistory.wrap(render), capture: SignalHistory.wrap(capture) }, excluded);
    expect(outside.finish()).toBeGreaterThan(-60);
    for (const sizes of [[128], [7, 1000], [FS + 1]]) {
      const c = new ContentResidual(256, 1, undefined, excluded);
      for (let a = 0, k = 0; a < capture.length; a += sizes[k++ % sizes.length]) {
        const b = a + sizes[k % sizes.length];
        c.push(render.subarray(Math.min(a, render.length), Math.min(b, render.length)), capture.subarray(a, b));
      }
      expect(c.finish(), `chunks ${sizes}`).toBe(outside.finish());
      expect(c.residualWithExcludedDb, `chunks ${sizes}`).toBe(outside.residualWithExcludedDb);
      expect(c.excludedFrames).toBe(1000);
    }
  });
});
