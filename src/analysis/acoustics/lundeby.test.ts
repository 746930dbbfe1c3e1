import { describe, expect, it } from 'vitest';
import { decayingNoise, gaussianNoise } from '../signal/seededNoise.ts';
import { lundebyTruncation } from './lundeby.ts';
import { schroederIntegral } from './schroederIntegral.ts';

const FS = 48000;

describe('lundebyTruncation', () => {
  it('puts the crosspoint of a T = 1 s decay into a −50 dB floor near 50/60 s and converges', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 1, seed: 3, noiseFloorDb: -50 });
    const r = lundebyTruncation(schroederIntegral(h), FS, 0);
    expect(r.ok && r.converged).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.crosspointSample / FS - 50 / 60)).toBeLessThan(0.05);
    expect(Math.abs(r.lateSlopeDbPerSecond - -60)).toBeLessThan(3);
    expect(Math.abs(10 * Math.log10(r.noiseMeanSquare) - -50)).toBeLessThan(0.5);
  });

  it('estimates the truncated tail energy within 10 % of the true decay energy past the crosspoint', () => {
    const clean = decayingNoise({ sampleRate: FS, seconds: 3, rt60Seconds: 1, seed: 4 });
    const noisy = decayingNoise({ sampleRate: FS, seconds: 3, rt60Seconds: 1, seed: 4, noiseFloorDb: -55 });
    const r = lundebyTruncation(schroederIntegral(noisy), FS, 0);
    if (!r.ok) throw new Error('no crosspoint');
    const trueTail = schroederIntegral(clean)[r.crosspointSample];
    expect(Math.abs(r.tailEnergy / trueTail - 1)).toBeLessThan(0.1);
  });

  it('stops at the last non-zero sample when the response ends in digital silence', () => {
    const h = new Float64Array(10000);
    for (let i = 0; i < 4000; i++) h[i] = Math.exp(-i / 500) * (i % 2 ? 1 : -1);
    const r = lundebyTruncation(schroederIntegral(h), FS, 0);
    expect(r).toMatchObject({ ok: true, crosspointSample: 4000, tailEnergy: 0, noiseMeanSquare: 0, iterations: 0, converged: true });
  });

  it('reports no decay above the noise for stationary noise', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 1e9, seed: 5 });
    expect(lundebyTruncation(schroederIntegral(h), FS, 0)).toMatchObject({ ok: false, reason: 'no-decay-above-noise' });
  });

  // One T = 1 s decay into a −50 dB floor, shared by the invariance tests below (its analysis runs inside each test:
  // under Stryker, code run when the file loads runs before the mutant is switched on).
  const decay = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 1, seed: 3, noiseFloorDb: -50 });

  it('measures from the onset: a pre-delay of N silent samples moves the crosspoint by N and changes nothing else', () => {
    // Every block, noise window and fit is placed relative to the onset and the backward integral of the shifted
    // response holds the same sums, so the figures are the same to the last bit. Also for a recording cut 1 s after
    // the onset, where the noise window is the last 10 % (10 dB past the crosspoint lies beyond it).
    const N = 12345;
    for (const h of [decay, decay.subarray(0, FS)]) {
      const delayed = new Float64Array(h.length + N);
      delayed.set(h, N);
      const plain = lundebyTruncation(schroederIntegral(h), FS, 0);
      const r = lundebyTruncation(schroederIntegral(delayed), FS, N);
      if (!r.ok || !plain.ok) throw new Error('no crosspoint');
      expect({ ...r, crosspointSample: r.crosspointSample - N }).toEqual(plain);
    }
  });

  it('finds where a short decay (T = 40 ms, 15 dB per 10 ms block) meets a floor 35 dB down: 35/60·T, within 2 ms', () => {
    // Only two 10 ms blocks stand above the initial fit's lower end (noise + 10 dB): the fewest a line needs.
    const h = decayingNoise({ sampleRate: FS, seconds: 0.5, rt60Seconds: 0.04, seed: 1, noiseFloorDb: -35 });
    const r = lundebyTruncation(schroederIntegral(h), FS, 0);
    if (!r.ok) throw new Error('no crosspoint');
    expect(Math.abs(r.crosspointSample / FS - (35 / 60) * 0.04)).toBeLessThan(0.002);
    expect(Math.abs(r.lateSlopeDbPerSecond / (-60 / 0.04) - 1)).toBeLessThan(0.1);
  });

  it('is independent of the level: the response at −24 dB gives the same crosspoint and slope, its energies × 1/256', () => {
    const quiet = decay.map((v) => v / 16);
    const reference = lundebyTruncation(schroederIntegral(decay), FS, 0);
    const r = lundebyTruncation(schroederIntegral(quiet), FS, 0);
    if (!r.ok || !reference.ok) throw new Error('no crosspoint');
    expect(r.crosspointSample).toBe(reference.crosspointSample);
    expect(Math.abs(r.lateSlopeDbPerSecond / reference.lateSlopeDbPerSecond - 1)).toBeLessThan(1e-9);
    expect(Math.abs((256 * r.tailEnergy) / reference.tailEnergy - 1)).toBeLessThan(1e-9);
    expect(Math.abs((256 * r.noiseMeanSquare) / reference.noiseMeanSquare - 1)).toBeLessThan(1e-9);
    expect(r.dynamicRangeDb).toBeCloseTo(reference.dynamicRangeDb, 9);
  });

  it('follows the late slope of a two-slope decay (T = 0.2 s, then T = 1 s from −20 dB) into a −70 dB floor', () => {
    // Energy envelope e(t) = 10^(−6t/0.2) + 10^(−2 − 6t/1): the late exponential dominates after 83 ms and meets the
    // floor where −20 − 60·t = −70 dB, at t = 0.833 s. The late fit (25 … 5 dB above the noise) sees only it.
    const n = 2 * FS;
    const z = gaussianNoise(n, 11);
    const floor = gaussianNoise(n, 12);
    const clean = new Float64Array(n);
    const noisy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / FS;
      clean[i] = z[i] * Math.sqrt(10 ** ((-6 * t) / 0.2) + 10 ** (-2 - (6 * t) / 1));
      noisy[i] = clean[i] + 10 ** (-70 / 20) * floor[i];
    }
    const r = lundebyTruncation(schroederIntegral(noisy), FS, 0);
    if (!r.ok) throw new Error('no crosspoint');
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThanOrEqual(1);
    expect(r.iterations).toBeLessThan(10);
    expect(Math.abs(r.lateSlopeDbPerSecond / -60 - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.crosspointSample / FS - 50 / 60)).toBeLessThan(0.01);
    expect(Math.abs(r.tailEnergy / schroederIntegral(clean)[r.crosspointSample] - 1)).toBeLessThan(0.05);
    expect(Math.abs(10 * Math.log10(r.noiseMeanSquare) - -70)).toBeLessThan(0.2);
  });
});
