import { describe, expect, it } from 'vitest';
import { addNoiseAtSnr, gaussianNoise, seededRandom } from './seededRandom.ts';
import { sine } from './sine.ts';

describe('seededRandom', () => {
  it('replays the same sequence from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });

  it('gives Gaussian noise with the asked RMS within 1 % over 100 000 samples', () => {
    const x = gaussianNoise(100000, 0.25, 7);
    const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(Math.abs(rms / 0.25 - 1)).toBeLessThan(0.01);
  });

  it('adds noise at the asked SNR within 0.1 dB', () => {
    const clean = sine(96000, 997, 48000, 0.5);
    const noisy = clean.slice();
    addNoiseAtSnr(noisy, 40, 3);
    let s = 0;
    let n = 0;
    for (let i = 0; i < clean.length; i++) {
      s += clean[i] ** 2;
      n += (noisy[i] - clean[i]) ** 2;
    }
    expect(Math.abs(10 * Math.log10(s / n) - 40)).toBeLessThan(0.1);
  });
});

describe('addGaussianNoise', () => {
  it('draws the same numbers as seededRandom(seed).gaussian()', () => {
    const r = seededRandom(9);
    const x = gaussianNoise(11, 1, 9);
    for (let i = 0; i < 11; i++) expect(x[i]).toBeCloseTo(r.gaussian(), 6);
  });

  it('draws integers 0 … n − 1 evenly (each within 10 % of its share over 10 000 draws)', () => {
    const rng = seededRandom(3);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 10000; i++) counts[rng.int(8)]++;
    for (const c of counts) expect(Math.abs(c / 1250 - 1)).toBeLessThan(0.1);
  });
});
