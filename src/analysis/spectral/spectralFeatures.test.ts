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

  it('returns nulls for silence', () => {
    expect(spectralFeatures(powerSpectrum([new Float64Array(1000)], FS))).toEqual({ centroidHz: null, bandwidthHz: null, flatness: null, flatnessDb: null });
  });
});
