import { describe, expect, it } from 'vitest';
import { addGaussianNoise } from '../testSignals/seededRandom.ts';
import { BlockRmsHistogram } from './blockRmsHistogram.ts';

const B = 48;

/** The exact percentile by sorting every block RMS: what the histogram replaces. */
function exact(x: Float32Array, p: number): number {
  const n = Math.floor(x.length / B);
  const rms = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let s = 0;
    for (let i = b * B; i < (b + 1) * B; i++) s += x[i] * x[i];
    rms[b] = Math.sqrt(s / B);
  }
  rms.sort();
  return rms[Math.floor((p / 100) * (n - 1))];
}

describe('BlockRmsHistogram', () => {
  // Noise whose level falls by 80 dB every 50 000 frames, so the percentiles fall in very different bins.
  const x = addGaussianNoise(new Float32Array(200_000), 1, 7);
  for (let i = 0; i < x.length; i++) x[i] *= 10 ** (-4 * Math.floor(i / 50_000));

  it.each([1, 10, 50, 90])('places the %i-th percentile within 0.034 %% of the exact one', (p) => {
    const h = new BlockRmsHistogram(B).push(x);
    expect(Math.abs(h.percentile(p) / exact(x, p) - 1)).toBeLessThanOrEqual(3.4e-4);
  });

  it('gives the same percentile fed in chunks that split blocks (7, 1000, 33333 frames)', () => {
    const whole = new BlockRmsHistogram(B).push(x).percentile(10);
    for (const size of [7, 1000, 33333]) {
      const h = new BlockRmsHistogram(B);
      for (let a = 0; a < x.length; a += size) h.push(x.subarray(a, a + size));
      expect(h.percentile(10)).toBe(whole);
    }
  });

  it('counts one channel of an interleaved buffer (pushStrided) exactly as push() of that channel, in tiles that split blocks', () => {
    const C = 3;
    const frames = 20_000;
    const interleaved = new Float32Array(C * frames);
    for (let i = 0; i < frames; i++) for (let c = 0; c < C; c++) interleaved[i * C + c] = x[i + 50_000 * c] * (c + 1);
    for (let c = 0; c < C; c++) {
      const alone = new BlockRmsHistogram(B).push(Float32Array.from({ length: frames }, (_, i) => interleaved[i * C + c]));
      const strided = new BlockRmsHistogram(B);
      for (let i0 = 0; i0 < frames; i0 += 250) strided.pushStrided(interleaved, i0 * C + c, C, Math.min(250, frames - i0));

      expect(strided.blockCount).toBe(alone.blockCount);
      for (const p of [0, 10, 37, 50, 90, 100]) expect(strided.percentile(p), `channel ${c}, p${p}`).toBe(alone.percentile(p));
    }
  });

  it('refuses a block length that is not a positive integer, naming it, and takes 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new BlockRmsHistogram(bad)).toThrow(/blockFrames must be a positive integer, got/);
    expect(new BlockRmsHistogram(1).push(Float32Array.of(0.5, 0.5)).blockCount).toBe(2);
  });

  it('keeps a level beyond the bins in the end bins: 1e-25 in the lowest (2^(0.5/1024 − 64)), 256.25 and 1000 in the highest (2^(8 + 0.5/1024))', () => {
    const level = (v: number): number => new BlockRmsHistogram(B).push(new Float32Array(B).fill(v)).percentile(50);
    // Bin b ≥ 1 holds [2^((b − 1)/1024 − 64), 2^(b/1024 − 64)); its centre is reported. 256.25 lies just past the
    // last bin (log2 = 8.0014 > 8.00098), 1000 far past it: both are clamped into it, not dropped.
    expect(level(1e-25)).toBe(2 ** (0.5 / 1024 - 64));
    expect(level(256.25)).toBe(2 ** (8 + 0.5 / 1024));
    expect(level(1000)).toBe(2 ** (8 + 0.5 / 1024));
  });

  it('reads digital silence as 0 and an empty signal as 0', () => {
    const silent = new Float32Array(10 * B);
    silent.fill(0.5, 9 * B);
    expect(new BlockRmsHistogram(B).push(silent).percentile(10)).toBe(0);
    expect(new BlockRmsHistogram(B).percentile(10)).toBe(0);
    expect(new BlockRmsHistogram(B).percentile(0)).toBe(0);
  });
});
