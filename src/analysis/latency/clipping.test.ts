import { describe, expect, it } from 'vitest';
import { sine } from '../testSignals/sine.ts';
import { detectClipping } from './clipping.ts';

describe('detectClipping', () => {
  it('finds no clipping in a clean sine at −0.1 dBFS', () => {
    const x = sine(48000, 997, 48000, 10 ** (-0.1 / 20));
    expect(detectClipping(x).clippedSamples).toBe(0);
  });

  it('counts the samples of a sine driven past full scale', () => {
    const x = sine(48000, 1000, 48000, 1.5).map((v) => Math.max(-1, Math.min(1, v)));
    const r = detectClipping(x);
    expect(r.clipped).toBe(true);
    expect(r.clippedSamples / x.length).toBeGreaterThan(0.4);
  });

  it('finds flat tops of a sine limited at ±0.5', () => {
    const x = sine(48000, 1000, 48000, 0.56).map((v) => Math.max(-0.5, Math.min(0.5, v)));
    const r = detectClipping(x);
    expect(r.clipped).toBe(true);
    expect(r.peak).toBeCloseTo(0.5, 6);
  });
});
