import { describe, expect, it } from 'vitest';
import { gaussianNoise, mulberry32 } from '../signal/seededNoise.ts';
import { echoDensityProfile, GAUSSIAN_OUTSIDE_ONE_SIGMA, mixingTimeSeconds } from './echoDensity.ts';

const FS = 48000;
const mean = (v: Float64Array): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('echoDensityProfile', () => {
  it('normalises by erfc(1/√2) = 0.3173', () => {
    expect(GAUSSIAN_OUTSIDE_ONE_SIGMA).toBeCloseTo(0.3173105, 7);
  });

  it('reads uniform noise as ≈ 4/3 (1 − 1/√3 of its samples exceed σ)', () => {
    const next = mulberry32(9);
    const u = Float64Array.from({ length: FS / 2 }, () => 2 * next() - 1);
    expect(Math.abs(mean(echoDensityProfile(u, FS).echoDensity) - (1 - 1 / Math.sqrt(3)) / GAUSSIAN_OUTSIDE_ONE_SIGMA)).toBeLessThan(0.03);
  });

  it('rises from sparse early echoes to diffuse noise: the mixing time lands where the noise starts', () => {
    const h = new Float64Array(FS / 2);
    for (let i = 0; i < 4800; i += 480) h[i] = 1; // 100 ms of sparse echoes
    const z = gaussianNoise(h.length, 3);
    for (let i = 4800; i < h.length; i++) h[i] = 0.3 * z[i];
    const t = mixingTimeSeconds(echoDensityProfile(h, FS), 0, 0.95)!;
    expect(t).toBeGreaterThan(0.1);
    expect(t).toBeLessThan(0.125);
  });
});
