import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../testSignals/seededRandom.ts';
import { AlignedRender } from './alignedRender.ts';
import { SignalHistory } from './signalHistory.ts';

const FS = 48000;

/** The render streamed into a history that has let go of its first `discarded` frames (offset ≠ 0). */
function streamed(x: Float32Array, discarded: number): SignalHistory {
  const h = new SignalHistory(64);
  for (let n = 0; n < x.length; n += 37) {
    h.append(x.subarray(n, n + 37));
    h.discardBefore(Math.min(discarded, n));
  }
  return h;
}

describe('AlignedRender', () => {
  it('is e(n − L) by a plain copy for a whole-frame latency, zero before frame 0 and past the end', () => {
    const x = gaussianNoise(300, 0.5, 1);
    const aligned = new AlignedRender(SignalHistory.wrap(x), 40);
    expect(aligned.integerPath).toBe(true);
    expect(aligned.aheadFrames).toBe(1);
    for (let n = 0; n < 400; n++) expect(aligned.at(n), `n = ${n}`).toBe(n >= 40 && n < 340 ? x[n - 40] : 0);
  });

  it('takes a latency within 1e-4 of a whole frame as whole (rounded), and one further off as fractional', () => {
    const history = SignalHistory.wrap(new Float32Array(10));
    expect(new AlignedRender(history, 10.00009)).toMatchObject({ integerPath: true, latencyInt: 10 });
    expect(new AlignedRender(history, 9.99991)).toMatchObject({ integerPath: true, latencyInt: 10 });
    expect(new AlignedRender(history, 10.0002)).toMatchObject({ integerPath: false, latencyInt: 10 });
    expect(new AlignedRender(history, 10.9998)).toMatchObject({ integerPath: false, latencyInt: 10 });
    expect(new AlignedRender(history, 10.0002).aheadFrames).toBe(8);
  });

  it('delays a 3 kHz tone by 12.3 frames to within −84 dB (band-limited interpolation)', () => {
    const w = (2 * Math.PI * 3000) / FS;
    const x = Float32Array.from({ length: 2000 }, (_, n) => Math.sin(w * n));
    const aligned = new AlignedRender(SignalHistory.wrap(x), 12.3);
    let worst = 0;
    for (let n = 100; n < 1900; n++) worst = Math.max(worst, Math.abs(aligned.at(n) - Math.sin(w * (n - 12.3))));
    expect(worst).toBeLessThan(10 ** (-84 / 20));
  });

  it('reads zeros before frame 0 and past the end: the same bits as a zero-padded copy read in its interior', () => {
    const x = gaussianNoise(200, 0.5, 2);
    const padded = new Float32Array(328);
    padded.set(x, 64);
    for (const latency of [7.25, 40]) {
      const edge = new AlignedRender(SignalHistory.wrap(x), latency);
      const interior = new AlignedRender(SignalHistory.wrap(padded), latency);
      for (let n = -10; n < 260; n++) expect(edge.at(n), `L = ${latency}, n = ${n}`).toBe(interior.at(n + 64));
    }
  });

  it('fills exactly what at() reads, sample by sample, at the edges and in the interior, from a whole or a streamed render', () => {
    const x = gaussianNoise(600, 0.5, 3);
    for (const latency of [5, 5.6]) {
      const whole = new AlignedRender(SignalHistory.wrap(x), latency);
      const stream = new AlignedRender(streamed(x, 100), latency); // frames before 100 let go of
      // [500, 101]: the last frame filled reads the render 4 frames before its end, its kernel past it.
      for (const [n0, frames] of [[0, 40], [120, 64], [300, 200], [500, 101], [560, 70], [590, 30]]) {
        const expected = Array.from({ length: frames }, (_, i) => whole.at(n0 + i));
        for (const aligned of n0 >= 120 ? [whole, stream] : [whole]) {
          const out = new Float64Array(frames);
          aligned.fill(out, n0, frames);
          expect(Array.from(out), `L = ${latency}, n0 = ${n0}`).toEqual(expected);
          expect(Array.from({ length: frames }, (_, i) => aligned.at(n0 + i))).toEqual(expected);
        }
      }
    }
  });
  it('moved to another latency (moveTo) reads what one built at that latency reads, bit for bit, whole or fractional either way', () => {
    const x = gaussianNoise(400, 0.5, 4);
    const moved = new AlignedRender(SignalHistory.wrap(x), 30.25);
    for (const latency of [31.6, 31, 30.00005, 29.4, 30.25]) {
      moved.moveTo(latency);
      const built = new AlignedRender(SignalHistory.wrap(x), latency);
      expect(moved, `L = ${latency}`).toMatchObject({ integerPath: built.integerPath, latencyInt: built.latencyInt, latencySamples: built.latencySamples });
      const out = new Float64Array(300);
      moved.fill(out, 40, 300);
      expect(Array.from(out), `L = ${latency}`).toEqual(Array.from({ length: 300 }, (_, i) => built.at(40 + i)));
    }
    expect(moved.latencySamples).toBe(30.25);
    expect(new AlignedRender(SignalHistory.wrap(x), 30.00005).latencySamples).toBe(30); // the copy: a whole latency
  });
});
