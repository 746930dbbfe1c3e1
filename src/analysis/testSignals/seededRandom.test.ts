import { describe, expect, it } from 'vitest';
import { addNoiseAtSnr, gaussianNoise, seededRandom } from './seededRandom.ts';
import { sine } from './sine.ts';

describe('seededRandom', () => {
  it('replays the same sequence from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });

  it('draws next() and gaussian() from one stream without reusing a draw: a uniform after a Gaussian pair is independent of it', () => {
    // A fault generator interleaves them (where, then how large). Over 4000 rounds of gaussian(), gaussian(), next(), the
    // uniform must be uncorrelated with both normals of the pair before it (|r| < 0.06, 3.8 standard errors).
    const rng = seededRandom(11);
    const rounds = 4000;
    const g0 = new Float64Array(rounds), g1 = new Float64Array(rounds), u = new Float64Array(rounds);
    for (let i = 0; i < rounds; i++) {
      g0[i] = rng.gaussian();
      g1[i] = rng.gaussian();
      u[i] = rng.next();
    }
    const correlation = (a: Float64Array, b: Float64Array) => {
      const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
      const ma = mean(a), mb = mean(b);
      let ab = 0, aa = 0, bb = 0;
      for (let i = 0; i < a.length; i++) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) ** 2;
        bb += (b[i] - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    expect(Math.abs(correlation(g0, u))).toBeLessThan(0.06);
    expect(Math.abs(correlation(g1, u))).toBeLessThan(0.06);
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
