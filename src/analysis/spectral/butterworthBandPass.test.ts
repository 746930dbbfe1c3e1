import { describe, expect, it } from 'vitest';
import { sectionsMagnitude } from './biquadSections.ts';
import { designButterworthBandPass } from './butterworthBandPass.ts';

const db = (v: number): number => 20 * Math.log10(v);

describe('designButterworthBandPass', () => {
  // The octave and a band of 6.6 octaves (100 Hz – 10 kHz): wider than ~2.5 octaves, the real prototype pole gives two real
  // poles, which must make one section (apart, each a double pole, the filter read −6 dB at its edges and had 4 sections).
  // Also for other prototype orders N: the real pole of an odd order is the middle one (k = (N − 1)/2: 2 for N = 5).
  it.each([
    { lo: 1000 / Math.SQRT2, hi: 1000 * Math.SQRT2, order: 3 },
    { lo: 100, hi: 10000, order: 3 },
    { lo: 100, hi: 10000, order: 5 },
    { lo: 100, hi: 10000, order: 4 },
  ])('has the Butterworth magnitude |H|² = 1/(1 + Ω^2N) of its pre-warped prototype ($lo – $hi Hz at 48 kHz, N = $order, within 0.01 dB) in N sections', ({ lo, hi, order }) => {
    const fs = 48000;
    const s = designButterworthBandPass(lo, hi, fs, order);
    expect(s).toHaveLength(order);
    const warp = (f: number): number => 2 * fs * Math.tan((Math.PI * f) / fs);
    for (const f of [50, 200, 500, 900, 1200, 3000, 8000, 15000]) {
      const w = warp(f);
      const omega = (w * w - warp(lo) * warp(hi)) / (w * (warp(hi) - warp(lo)));
      expect(db(sectionsMagnitude(s, f, fs))).toBeCloseTo(-10 * Math.log10(1 + omega ** (2 * order)), 2);
    }
  });

  it('is stable: every pole inside the unit circle, even for the 63 Hz octave at 96 kHz', () => {
    for (const s of designButterworthBandPass(44.7, 89.1, 96000)) expect(s.a2).toBeLessThan(1);
  });

  it('rejects edges outside 0 < lower < upper < fs/2', () => {
    expect(() => designButterworthBandPass(1000, 500, 48000)).toThrow(/lower < upper/);
    expect(() => designButterworthBandPass(10000, 30000, 48000)).toThrow(RangeError);
    // Each inequality at its boundary: equality is outside.
    expect(() => designButterworthBandPass(0, 500, 48000)).toThrow(RangeError);
    expect(() => designButterworthBandPass(500, 500, 48000)).toThrow(RangeError);
    expect(() => designButterworthBandPass(10000, 24000, 48000)).toThrow(RangeError);
    expect(designButterworthBandPass(10000, 23999, 48000)).toHaveLength(3);
  });
});
