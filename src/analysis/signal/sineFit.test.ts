import { describe, expect, it } from 'vitest';
import { fitSine } from './sineFit.ts';

describe('fitSine', () => {
  it('recovers frequency, amplitude, phase and offset of an off-bin sine from a start 2 Hz off', () => {
    const fs = 48000;
    const x = Float64Array.from({ length: 9600 }, (_, i) => 0.7 * Math.cos((2 * Math.PI * 997.3 * i) / fs + 0.4) + 0.01);
    const f = fitSine(x, fs, 995.3)!;
    expect(f.frequencyHz).toBeCloseTo(997.3, 6);
    expect(f.amplitude).toBeCloseTo(0.7, 9);
    expect(f.phaseRadians).toBeCloseTo(0.4, 6);
    expect(f.offset).toBeCloseTo(0.01, 9);
    expect(f.residualMeanSquare).toBeLessThan(1e-20);
  });

  it('returns null for a signal too short to fit', () => {
    expect(fitSine(new Float64Array(4), 48000, 1000)).toBeNull();
  });

  it('fits from 8 samples (the shortest it takes), not from 7', () => {
    const x = Float64Array.from({ length: 8 }, (_, i) => 0.5 * Math.cos(0.9 * i + 0.3) - 0.1);
    const f = fitSine(x, 1, 0.9 / (2 * Math.PI))!;
    expect(f.amplitude).toBeCloseTo(0.5, 9);
    expect(f.phaseRadians).toBeCloseTo(0.3, 9);
    expect(f.offset).toBeCloseTo(-0.1, 9);
    expect(fitSine(x.subarray(0, 7), 1, 0.9 / (2 * Math.PI))).toBeNull();
  });

  it('returns null for a sine at 0 Hz, which is the offset again (a singular system)', () => {
    expect(fitSine(new Float64Array(64).fill(0.25), 48000, 0)).toBeNull();
  });
});
