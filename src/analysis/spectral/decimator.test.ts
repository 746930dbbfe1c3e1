import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import { type Decimator, decimate, decimatorMagnitude, designDecimator } from './decimator.ts';

const db = (v: number): number => 20 * Math.log10(v);

describe('designDecimator', () => {
  // Designed in each test, not when the file loads: a mutation run switches its mutant on per test.
  const octaveBankDecimator = (): Decimator => designDecimator(4, 2818, 6364, 48000);

  it('is flat to 0.001 dB up to the pass edge and at least 79 dB down from the stop edge to Nyquist (80 dB design, 79.4 measured)', () => {
    const d = octaveBankDecimator();
    for (const f of [0, 500, 1000, 2000, 2818]) expect(Math.abs(db(decimatorMagnitude(d, f, 48000)))).toBeLessThan(0.001);
    for (let f = 6364; f <= 24000; f += 97) expect(db(decimatorMagnitude(d, f, 48000))).toBeLessThan(-79);
    expect(d.taps.length).toBe(69);
  });

  it('has symmetric taps summing to 1 (linear phase, unit DC gain)', () => {
    const d = octaveBankDecimator();
    const n = d.taps.length;
    for (let k = 0; k < n; k++) expect(d.taps[k]).toBe(d.taps[n - 1 - k]);
    expect(d.taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('rejects edges outside 0 < pass < stop < fs/2 and a factor below 1, each at its boundary', () => {
    expect(() => designDecimator(4, 3000, 2000, 48000)).toThrow(/0 < pass < stop < fs\/2; got 3000\/2000 Hz at 48000 Hz/);
    for (const [factor, passHz, stopHz] of [[4, 3000, 3000], [4, 0, 2000], [4, 3000, 24000], [0.5, 3000, 6000]]) {
      expect(() => designDecimator(factor, passHz, stopHz, 48000)).toThrow(/^decimator needs 0 < pass < stop < fs\/2/);
    }
    expect(designDecimator(1, 1e-9, 23999, 48000, 20).factor).toBe(1);
  });
});

describe('decimate', () => {
  // 69 taps (K = 34, even: the folded loop ends on a pair) and 75 taps (K = 37, odd: one tap after the pairs).
  it.each([
    { stopHz: 6364, taps: 69 },
    { stopHz: 6100, taps: 75 },
  ])('equals the plain centred convolution sampled every M-th sample, ends included (within 1e-15), $taps taps', ({ stopHz, taps }) => {
    const d = designDecimator(4, 2818, stopHz, 48000);
    expect(d.taps.length).toBe(taps);
    const x = gaussianNoise(5003, 1);
    const y = decimate(d, x);
    const K = (d.taps.length - 1) / 2;
    expect(y.length).toBe(Math.ceil(5003 / 4));
    for (const m of [0, 3, 9, 500, y.length - 9, y.length - 1]) {
      let acc = 0;
      for (let k = 0; k < d.taps.length; k++) {
        const i = 4 * m + k - K;
        if (i >= 0 && i < x.length) acc += d.taps[k] * x[i];
      }
      expect(Math.abs(acc - y[m])).toBeLessThan(1e-15);
    }
  });

  it('adds no delay: a 500 Hz sine comes out in phase at the decimated instants', () => {
    const fs = 48000;
    const d = designDecimator(4, 2818, 6364, fs);
    const x = Float64Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 500 * i) / fs));
    const y = decimate(d, x);
    for (let m = 100; m < 1000; m += 37) expect(Math.abs(y[m] - x[4 * m])).toBeLessThan(2e-4); // passband ripple ≈ 1e-4
  });
});
