import { describe, expect, it } from 'vitest';
import { filterSections } from '../spectral/biquadSections.ts';
import { compareDryWet } from './compareDryWet.ts';
import { gaussianNoise } from './seededNoise.ts';

const FS = 48000;

describe('compareDryWet', () => {
  it('sees a one-pole low-pass as a lower centroid, narrower bandwidth and an energy loss', () => {
    const dry = gaussianNoise(FS, 5);
    const p = Math.exp((-2 * Math.PI * 1000) / FS);
    const wet = filterSections([{ b0: 1 - p, b1: 0, b2: 0, a1: -p, a2: 0 }], dry);
    const c = compareDryWet([dry], [wet], FS);
    expect(c.centroidShiftHz!).toBeLessThan(-8000);
    expect(c.bandwidthChangeHz!).toBeLessThan(-3000);
    expect(c.energyRatioDb!).toBeLessThan(-10);
  });

  it('reads a gain of 0.5 as −6.02 dB with no spectral change', () => {
    const dry = gaussianNoise(FS / 4, 6);
    const c = compareDryWet([dry], [dry.map((v) => 0.5 * v)], FS);
    expect(c.energyRatioDb!).toBeCloseTo(-6.0206, 3);
    expect(Math.abs(c.centroidShiftHz!)).toBeLessThan(1e-6);
  });

  it('measures the THD+N a hard clipper adds to a sine (clipping at 0.9 of a full-scale sine: around −26 dB)', () => {
    const dry = Float64Array.from({ length: FS / 4 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / FS));
    const wet = dry.map((v) => Math.max(-0.9, Math.min(0.9, v)));
    const clean = compareDryWet([dry], [dry], FS, { sineFrequencyHz: 1000 });
    const clipped = compareDryWet([dry], [wet], FS, { sineFrequencyHz: 1000 });
    expect(clean.thdPlusNoise?.ok && clean.thdPlusNoise.thdPlusNoiseDb).toBeLessThan(-120);
    const db = clipped.thdPlusNoise?.ok ? clipped.thdPlusNoise.thdPlusNoiseDb : NaN;
    expect(db).toBeGreaterThan(-32);
    expect(db).toBeLessThan(-20);
    expect(clipped.centroidShiftHz!).toBeGreaterThan(0);
  });

  it('gives null figures when one side is silent', () => {
    const c = compareDryWet([gaussianNoise(1000, 1)], [new Float64Array(1000)], FS);
    expect(c).toMatchObject({ centroidShiftHz: null, bandwidthChangeHz: null, energyRatioDb: null });
  });

  it('gives no energy ratio for a silent dry side, and no THD+N unless a sine frequency is given', () => {
    const c = compareDryWet([new Float64Array(1000)], [gaussianNoise(1000, 1)], FS);
    expect(c.energyRatioDb).toBeNull();
    expect(c).not.toHaveProperty('thdPlusNoise');
  });
});
