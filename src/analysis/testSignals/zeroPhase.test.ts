import { describe, expect, it } from 'vitest';
import { zeroPhase } from './zeroPhase.ts';

describe('zeroPhase', () => {
  it('filters without a delay of its own: an impulse comes out symmetric about where it went in, peaking there', () => {
    const x = new Float32Array(4001);
    x[2000] = 1;
    for (const [type, f, q] of [['lowpass', 0.05, Math.SQRT1_2], ['bandpass', 0.2, 8], ['highpass', 0.35, Math.SQRT1_2]] as const) {
      const y = zeroPhase(type, f, x, q);
      let asymmetry = 0;
      for (let k = 1; k < 2000; k++) asymmetry = Math.max(asymmetry, Math.abs(y[2000 + k] - y[2000 - k]));
      expect(asymmetry, type).toBeLessThan(1e-9 * Math.abs(y[2000]));
      expect(Math.abs(y[2000]), type).toBe(Math.max(...Array.from(y, Math.abs)));
    }
  });

  it('passes a band-pass at its centre at unity (the cascade, magnitude squared) and its stopband far down', () => {
    const n = 48000;
    const tone = (f: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(2 * Math.PI * f * i));
    const rmsMiddle = (y: Float64Array) => Math.sqrt(y.subarray(n / 4, (3 * n) / 4).reduce((s, v) => s + v * v, 0) / (n / 2));
    expect(rmsMiddle(zeroPhase('bandpass', 0.2, tone(0.2), 8)) / Math.SQRT1_2).toBeCloseTo(1, 3);
    expect(rmsMiddle(zeroPhase('bandpass', 0.2, tone(0.05), 8))).toBeLessThan(1e-6);
  });
});
