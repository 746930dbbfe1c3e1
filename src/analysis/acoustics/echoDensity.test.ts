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

  it('follows the definition window by window: σ over the window’s own W samples, counting samples strictly above it', () => {
    // 4-sample windows every sample (fs = 1 kHz, 4 ms, 1 ms hop). Window 0 = [1, 1, 1, 2]: σ = √(7/4) = 1.32, one
    // sample above; window 1 = [1, 1, 2, 3]: σ = √(15/4) = 1.94, two above. Centres at (k + 2) ms.
    const p = echoDensityProfile(Float64Array.from([1, 1, 1, 2, 3]), 1000, 0.004, 0.001);
    expect(Array.from(p.timesSeconds)).toEqual([0.002, 0.003]);
    expect(p.echoDensity[0]).toBeCloseTo(1 / 4 / GAUSSIAN_OUTSIDE_ONE_SIGMA, 12);
    expect(p.echoDensity[1]).toBeCloseTo(2 / 4 / GAUSSIAN_OUTSIDE_ONE_SIGMA, 12);
  });

  it('reads a binary (±a) sequence as 0: none of its samples stands out from its own RMS', () => {
    const next = mulberry32(4);
    const b = Float64Array.from({ length: FS / 10 }, () => (next() < 0.5 ? -0.5 : 0.5));
    expect(Math.max(...echoDensityProfile(b, FS).echoDensity)).toBe(0);
  });

  it('has one window for a response exactly one window long and none for a shorter one', () => {
    expect(echoDensityProfile(new Float64Array(960).fill(1), FS).timesSeconds.length).toBe(1);
    expect(echoDensityProfile(new Float64Array(100).fill(1), FS).timesSeconds.length).toBe(0);
  });
});

describe('mixingTimeSeconds', () => {
  it('takes the first window centre at or after the onset whose density reaches the threshold, timed from the onset', () => {
    const profile = { timesSeconds: Float64Array.from([0.05, 0.1, 0.15, 0.2]), echoDensity: Float64Array.from([1.2, 1, 0.5, 1.1]) };
    expect(mixingTimeSeconds(profile, 0.1)).toBe(0); // the window at the onset reads exactly 1
    expect(mixingTimeSeconds(profile, 0.12)).toBeCloseTo(0.08, 12);
    expect(mixingTimeSeconds(profile, 0.25)).toBeNull();
  });
});
