import { describe, expect, it } from 'vitest';
import { decayingNoise, gaussianNoise, mulberry32 } from './seededNoise.ts';

describe('seeded noise', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    expect(gaussianNoise(100, 7)).toEqual(gaussianNoise(100, 7));
    expect(gaussianNoise(100, 7)).not.toEqual(gaussianNoise(100, 8));
    expect(mulberry32(1)()).toBe(mulberry32(1)());
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
});
