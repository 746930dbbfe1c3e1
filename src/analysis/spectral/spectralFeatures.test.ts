import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import { powerSpectrum } from './powerSpectrum.ts';
import { spectralFeatures } from './spectralFeatures.ts';

const FS = 48000;

describe('spectralFeatures', () => {
  it('reads white noise as centroid fs/4 (±1 %), bandwidth fs/(4√3) (±2 %), flatness above 0.95', () => {
    const f = spectralFeatures(powerSpectrum([gaussianNoise(FS, 2)], FS));
    expect(Math.abs(f.centroidHz! / (FS / 4) - 1)).toBeLessThan(0.01);
    expect(Math.abs(f.bandwidthHz! / (FS / 4 / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    expect(f.flatness!).toBeGreaterThan(0.95);
  });

  it('reads a 3 kHz sine as centroid 3 kHz (±0.5 %), bandwidth under 20 Hz, flatness below 0.001', () => {
    const x = Float64Array.from({ length: FS }, (_, i) => Math.sin((2 * Math.PI * 3000 * i) / FS));
    const f = spectralFeatures(powerSpectrum([x], FS));
    expect(Math.abs(f.centroidHz! / 3000 - 1)).toBeLessThan(0.005);
    expect(f.bandwidthHz!).toBeLessThan(20);
    expect(f.flatness!).toBeLessThan(0.001);
  });

  it('reads a 1 kHz sine shorter than one frame (2049 samples, zero-padded to 4096) as a tone: bandwidth under 20 Hz, flatness below 1e-9', () => {
    // With the 4096-point window over the 2049 samples, the sine was cut off at the window's peak: 407 Hz, 2.6e-3, centroid 1019.9 Hz.
    const x = Float32Array.from({ length: 2049 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000 + 0.3));
    const f = spectralFeatures(powerSpectrum([x], 48000));
    expect(Math.abs(f.centroidHz! - 1000)).toBeLessThan(1);
    expect(f.bandwidthHz!).toBeLessThan(20);
    expect(f.flatness!).toBeLessThan(1e-9);
  });

  it('reads two equal tones as centroid midway and bandwidth half their distance, at any level; empty bins floored at 1e-15 of the largest', () => {
    // A constructed spectrum of 33 bins (DC, 31 inner, Nyquist): 0.01 at bins 10 and 30 (100 Hz apart), exact zeros elsewhere.
    const power = new Float64Array(33);
    power[10] = 0.01;
    power[30] = 0.01;
    const frequenciesHz = Float64Array.from({ length: 33 }, (_, k) => 5 * k);
    const f = spectralFeatures({ power, frequenciesHz, frameSize: 64, frames: 1 });
    expect(f.centroidHz).toBeCloseTo(100, 12);
    expect(f.bandwidthHz).toBeCloseTo(50, 12);
    // Geometric over arithmetic mean of the 31 inner bins, 29 of them at the floor 1e-17.
    const inner = 31;
    const expected = Math.exp((2 * Math.log(0.01) + 29 * Math.log(1e-17)) / inner) / ((0.02 + 29e-17) / inner);
    expect(f.flatness! / expected - 1).toBeCloseTo(0, 9);
    expect(f.flatnessDb).toBeCloseTo(10 * Math.log10(expected), 9);
  });

  it('has no flatness for a spectrum of DC and Nyquist only (no bin between them), but a centroid', () => {
    const f = spectralFeatures({ power: Float64Array.of(1, 1), frequenciesHz: Float64Array.of(0, 24000), frameSize: 2, frames: 1 });
    expect(f).toEqual({ centroidHz: 12000, bandwidthHz: 12000, flatness: null, flatnessDb: null });
  });

  it('returns nulls for silence', () => {
    expect(spectralFeatures(powerSpectrum([new Float64Array(1000)], FS))).toEqual({ centroidHz: null, bandwidthHz: null, flatness: null, flatnessDb: null });
  });
});
