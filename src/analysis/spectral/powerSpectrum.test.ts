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

  it('zero-pads a signal shorter than one frame', () => {
    const s = powerSpectrum([new Float64Array(100).fill(0.1)], 48000);
    expect(s.frameSize).toBe(128);
    expect(s.power[0]).toBeGreaterThan(0);
  });
});
