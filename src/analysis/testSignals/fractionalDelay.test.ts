import { describe, expect, it } from 'vitest';
import { fractionalDelay, fractionalDelayKernel } from './fractionalDelay.ts';
import { sine } from './sine.ts';

describe('fractionalDelay', () => {
  it('delays a sine at 0.4·fs by 17.37 samples with under 0.001 sample of phase error and 0.01 dB of gain error', () => {
    const f = 0.4 * 48000;
    const x = sine(4000, f, 48000);
    const y = fractionalDelay(x, 17.37);
    const expected = sine(4000, f, 48000, 1, (-2 * Math.PI * f * 17.37) / 48000);
    let err = 0;
    let ref = 0;
    for (let n = 200; n < 3800; n++) {
      err = Math.max(err, Math.abs(y[n] - expected[n]));
      ref = Math.max(ref, Math.abs(expected[n]));
    }
    // |e^{iφ}−1| ≤ 2π·0.4·0.001 and |1 − 10^(0.01/20)| bound the error by about 0.0037 of the amplitude
    expect(err / ref).toBeLessThan(0.0037);
  });

  it('is a pure shift for an integer delay', () => {
    const x = sine(500, 1000, 48000);
    const y = fractionalDelay(x, 10);
    for (let n = 10; n < 500; n++) expect(Math.abs(y[n] - x[n - 10])).toBeLessThan(1e-6);
  });

  it('has taps that sum to 1 for any fraction', () => {
    for (const mu of [0, 0.1, 0.5, 0.99]) expect(fractionalDelayKernel(mu).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is the convolution with its kernel, every tap, up to both ends; rejects a negative delay (0 is allowed)', () => {
    const x = Float32Array.from({ length: 200 }, (_, i) => Math.sin(0.37 * i) + 0.5 * Math.cos(1.91 * i));
    const taps = fractionalDelayKernel(0.3);
    const y = fractionalDelay(x, 5.3);
    for (let n = 0; n < 200; n++) {
      let acc = 0;
      for (let j = -31; j <= 32; j++) {
        const i = n - 5 - j;
        if (i >= 0 && i < 200) acc += x[i] * taps[j + 31];
      }
      expect(Math.abs(y[n] - acc)).toBeLessThan(1e-6);
    }
    expect(() => fractionalDelay(x, -0.001)).toThrow(/^fractionalDelay: delaySamples must be ≥ 0, got -0.001$/);
    expect(fractionalDelay(x, 0)[7]).toBeCloseTo(x[7], 6);
  });
});
