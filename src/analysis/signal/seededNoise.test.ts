import { describe, expect, it } from 'vitest';
import { decayingNoise, gaussianNoise, mulberry32, mulberry32Draw } from './seededNoise.ts';

/** mulberry32 as published (Tommy Ettinger), stepping its state: the oracle for the indexed form. */
function referenceMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('seeded noise', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    expect(gaussianNoise(100, 7)).toEqual(gaussianNoise(100, 7));
    expect(gaussianNoise(100, 7)).not.toEqual(gaussianNoise(100, 8));
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('draws, by index and by stepping, exactly the published mulberry32 stream', () => {
    for (const seed of [0, 1, 0x9e3779b9, 0xffffffff]) {
      const reference = referenceMulberry32(seed);
      const stepped = mulberry32(seed);
      for (let i = 1; i <= 1000; i++) {
        const expected = reference();
        expect(mulberry32Draw(seed, i)).toBe(expected);
        expect(stepped()).toBe(expected);
      }
    }
  });

  it('has mean 0 and variance 1 within 1 % over 10⁵ samples', () => {
    const z = gaussianNoise(100_000, 3);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + b * b, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
  });

  it('decays by 60 dB in rt60Seconds', () => {
    const h = decayingNoise({ sampleRate: 1000, seconds: 1, rt60Seconds: 0.5, seed: 1 });
    const z = gaussianNoise(1000, 1);
    expect(h[500] / z[500]).toBeCloseTo(1e-3, 12);
  });

  it('draws Box–Muller pairs: z[2k]² + z[2k+1]² = −2·ln(1 − u) for the pair’s first draw u, an odd length a prefix of the next', () => {
    const z = gaussianNoise(1001, 11);
    for (let k = 0; k < 500; k++) expect(z[2 * k] ** 2 + z[2 * k + 1] ** 2).toBeCloseTo(-2 * Math.log(1 - mulberry32Draw(11, 2 * k + 1)), 10);
    expect(z).toEqual(gaussianNoise(1002, 11).subarray(0, 1001));
  });

  it('adds a stationary floor at noiseFloorDb re the decay’s initial RMS, independent of the decay', () => {
    const fs = 1000;
    const h = decayingNoise({ sampleRate: fs, seconds: 8, rt60Seconds: 0.5, seed: 2, noiseFloorDb: -60 });
    const decay = decayingNoise({ sampleRate: fs, seconds: 8, rt60Seconds: 0.5, seed: 2 });
    // After 2 s the decay is 240 dB down: the last 6 s are the floor alone, RMS 10^(−60/20) within 3 % (6000 samples).
    const tail = h.subarray(2 * fs).map((v, i) => v - decay[2 * fs + i]);
    const rms = Math.sqrt(tail.reduce((s, v) => s + v * v, 0) / tail.length);
    expect(Math.abs(rms / 1e-3 - 1)).toBeLessThan(0.03);
    // Where the decay is loud, the floor is a different noise, not a copy of it (correlation over the first 0.1 s).
    const head = h.subarray(0, fs / 10).map((v, i) => v - decay[i]);
    const dot = head.reduce((s, v, i) => s + v * decay[i], 0);
    const norm = Math.sqrt(head.reduce((s, v) => s + v * v, 0) * decay.subarray(0, fs / 10).reduce((s, v) => s + v * v, 0));
    expect(Math.abs(dot / norm)).toBeLessThan(0.3);
  });
});
