import { describe, expect, it } from 'vitest';
import { stereoTaps } from './stereoTaps.ts';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('stereoTaps', () => {
  for (const n of [4, 8, 16, 32]) {
    it(`gives orthogonal unit-norm L and R output patterns for ${n} lines (within 1e-15)`, () => {
      const taps = stereoTaps(n, 7);
      expect(Math.abs(dot(taps.outGainL, taps.outGainR))).toBeLessThan(1e-15);
      expect(Math.abs(dot(taps.outGainL, taps.outGainL) - 1)).toBeLessThan(1e-15);
      expect(Math.abs(dot(taps.outGainR, taps.outGainR) - 1)).toBeLessThan(1e-15);
    });
  }

  it('feeds every line with a sign of ±1 and the gain 1/√N', () => {
    const taps = stereoTaps(16, 3);
    expect(taps.inSign.every((s) => s === 1 || s === -1)).toBe(true);
    expect(taps.inputGain).toBe(0.25);
  });

  it('draws the same signs for the same seed and different ones for another seed', () => {
    expect(stereoTaps(16, 11)).toEqual(stereoTaps(16, 11));
    expect(stereoTaps(16, 12).inSign).not.toEqual(stereoTaps(16, 11).inSign);
  });
});
