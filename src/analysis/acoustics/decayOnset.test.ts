import { describe, expect, it } from 'vitest';
import { findDecayOnset } from './decayOnset.ts';

describe('findDecayOnset', () => {
  it('finds the first sample within 20 dB of the peak, ignoring earlier noise more than 20 dB down', () => {
    const h = new Float64Array(1000);
    for (let i = 0; i < 300; i++) h[i] = (i % 2 ? 1 : -1) * 0.09; // −20.9 dB re the peak
    h[300] = 0.2; // −14 dB: within 20 dB
    h[305] = -1;
    expect(findDecayOnset(h)).toBe(300);
  });

  it('takes a pre-delay of silence into account', () => {
    const h = new Float32Array(100);
    h[42] = 0.5;
    expect(findDecayOnset(h)).toBe(42);
  });

  it('returns null for an all-zero signal', () => {
    expect(findDecayOnset(new Float64Array(64))).toBeNull();
  });

  it('counts a sample exactly 20 dB below the peak as within 20 dB', () => {
    const h = new Float64Array(10);
    h[3] = 1; // 1² = 10² · 10^(−20/10) exactly
    h[6] = 10;
    expect(findDecayOnset(h)).toBe(3);
  });
});
