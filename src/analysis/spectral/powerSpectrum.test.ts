import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import { powerSpectrum } from './powerSpectrum.ts';

describe('powerSpectrum', () => {
  it('sums to the mean square of white noise within 2 % (Parseval with the window power)', () => {
    const x = gaussianNoise(48000, 1).map((v) => 0.5 * v);
    const s = powerSpectrum([x], 48000);
    expect(Math.abs(s.power.reduce((a, b) => a + b, 0) / 0.25 - 1)).toBeLessThan(0.02);
    expect(s.frames).toBe(22);
  });

  it('puts a sine at its bin with the sine\'s mean square (A²/2) in the main lobe', () => {
    const fs = 48000;
    const f = (100 * fs) / 4096;
    const x = Float64Array.from({ length: fs }, (_, i) => 0.8 * Math.sin((2 * Math.PI * f * i) / fs));
    const s = powerSpectrum([x], fs);
    let peak = 0;
    for (let k = 1; k < s.power.length; k++) if (s.power[k] > s.power[peak]) peak = k;
    expect(peak).toBe(100);
    expect(s.power[99] + s.power[100] + s.power[101]).toBeCloseTo(0.32, 3);
  });

  it('reads a constant and a Nyquist-rate alternation (bins 0 and N/2, counted once) with their mean square c², Σ P = c² to 1e-12', () => {
    for (const x of [new Float64Array(8192).fill(0.5), Float64Array.from({ length: 8192 }, (_, i) => (i % 2 ? -0.5 : 0.5))]) {
      const s = powerSpectrum([x], 48000);
      expect(Math.abs(s.power.reduce((a, b) => a + b, 0) - 0.25)).toBeLessThan(1e-12);
    }
  });

  it('averages channels: two identical channels give the spectrum of one (to rounding), frequencies 0 … fs/2 in steps of fs/N', () => {
    const x = gaussianNoise(10000, 1);
    const one = powerSpectrum([x], 48000, 1024);
    const two = powerSpectrum([x, x], 48000, 1024);
    for (let k = 0; k <= 512; k++) expect(Math.abs(two.power[k] - one.power[k])).toBeLessThanOrEqual(1e-12 * one.power[k]);
    expect(two.frequenciesHz.length).toBe(two.power.length);
    expect(two.frequenciesHz[512]).toBe(24000);
    expect(two.frequenciesHz[1]).toBe(48000 / 1024);
  });

  it('gives a spectrum of zeros, not an exception, for no channels', () => {
    const s = powerSpectrum([], 48000);
    expect(s.power.every((p) => p === 0)).toBe(true);
  });

  it('zero-pads a signal shorter than one frame, its window spanning the signal: Σ P is its mean square', () => {
    const s = powerSpectrum([new Float64Array(100).fill(0.1)], 48000);
    expect(s.frameSize).toBe(128);
    expect(s.power[0]).toBeGreaterThan(0);
    // Parseval with the window's power: Σ P = Σ (w·x)² / Σ w², w the Hann of the signal's 100 samples, = 0.1².
    // (The 128-point window over 100 samples read 0.1² · Σ₀⁹⁹ w² / Σ₀¹²⁷ w², the signal cut off at w = 0.40.)
    expect(Math.abs(s.power.reduce((a, b) => a + b, 0) - 0.01)).toBeLessThan(1e-12);
  });
});
