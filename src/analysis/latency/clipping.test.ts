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

  it('counts samples at levelFs and above (≥, 0.999 by default), and not those just under it', () => {
    expect(detectClipping(Float32Array.of(0.2, 0.999, -0.5, -0.999, 1))).toEqual({ clipped: true, clippedSamples: 3, peak: 1 });
    expect(detectClipping(Float32Array.of(0.2, 0.998, -0.998))).toEqual({ clipped: false, clippedSamples: 0, peak: Math.fround(0.998) });
    expect(detectClipping(Float32Array.of(0.5, -0.5), 0.5).clippedSamples).toBe(2);
  });

  it('counts every sample of a flat top of at least minRunFrames (3) identical samples at ±peak, and nothing in shorter runs or below the peak', () => {
    // Runs at +peak of 3 and at −peak of 4: 7 samples; a run of 2 at the peak and a run of 3 under it: none.
    const x = Float32Array.of(0, 0.5, 0.5, 0.5, 0.2, -0.5, -0.5, -0.5, -0.5, 0, 0.5, 0.5, 0, 0.3, 0.3, 0.3);
    expect(detectClipping(x)).toEqual({ clipped: true, clippedSamples: 7, peak: 0.5 });
    expect(detectClipping(x, 0.999, 4).clippedSamples).toBe(4);
    expect(detectClipping(Float32Array.of(0.5, 0.5, 0.2, 0.3, 0.3, 0.3)).clippedSamples).toBe(0);
    // A flat top from the first sample counts whole.
    expect(detectClipping(Float32Array.of(0.5, 0.5, 0.5, 0)).clippedSamples).toBe(3);
  });

  it('does not count flat tops at a peak that is already clipped at levelFs (each sample once), nor silence as a flat top', () => {
    expect(detectClipping(Float32Array.of(1, 1, 1, 1)).clippedSamples).toBe(4);
    expect(detectClipping(Float32Array.of(0.5, 0.5, 0.5, 0.5), 0.5).clippedSamples).toBe(4);
    expect(detectClipping(new Float32Array(10))).toEqual({ clipped: false, clippedSamples: 0, peak: 0 });
  });
});
