import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../testSignals/seededRandom.ts';
import { fftOfSize } from './fft.ts';
import { accumulateCrossSpectra, planCrossSpectrum } from './segmentedCrossSpectrum.ts';

/** The real sequence whose one-sided spectrum (bins 0 … M/2, interleaved) is `half`: the inverse FFT of its Hermitian extension. */
function inverseOfOneSided(half: Float64Array, M: number): Float64Array {
  const full = new Float64Array(2 * M);
  for (let k = 0; k <= M / 2; k++) {
    full[2 * k] = half[2 * k];
    full[2 * k + 1] = half[2 * k + 1];
    if (k > 0 && k < M / 2) {
      full[2 * (M - k)] = half[2 * k];
      full[2 * (M - k) + 1] = -half[2 * k + 1];
    }
  }
  const out = new Float64Array(2 * M);
  fftOfSize(M).inverseTransform(out, full);
  return out.filter((_, i) => i % 2 === 0);
}

/** Σ_n x[n]·y[n + lag], y taken as zero outside it: the linear cross-correlation the plan must reproduce. */
function directCorrelation(x: Float32Array, y: Float32Array, lag: number): number {
  let s = 0;
  for (let n = Math.max(0, -lag); n < x.length && n + lag < y.length; n++) s += x[n] * y[n + lag];
  return s;
}

/** |DFT_M(v)|² of bins 0 … M/2 (v zero-padded or cut to M samples, zero where undefined). */
function powerOf(v: (n: number) => number, M: number): Float64Array {
  const data = new Float64Array(M);
  for (let n = 0; n < M; n++) data[n] = v(n);
  const out = new Float64Array(2 * M);
  fftOfSize(M).realTransform(out, data);
  const p = new Float64Array(M / 2 + 1);
  for (let k = 0; k <= M / 2; k++) p[k] = out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  return p;
}

const energy = (x: Float32Array): number => x.reduce((s, v) => s + v * v, 0);

/**
 * The contract of segmentedCrossSpectrum.ts: IFFT(G)[k] is exactly (to rounding) the linear cross-correlation at lag
 * minLag + k for every k in 0 … maxLag − minLag, however the reference is cut into segments, for both captures of a pair,
 * whatever the scratch held before; Pa/Pb and referencePower are the Σ over segments of the windows' |DFT|², every bin
 * 0 … M/2 (Nyquist included). Cases: one segment, and 2 and 3 segments (an even and an odd count: the reference's
 * segments are transformed in pairs), captures that start before the first window (negative lags) and end inside a window.
 */
describe('segmentedCrossSpectrum', () => {
  it.each([
    { referenceFrames: 300, minLag: -20, maxLag: 193, segments: 1 }, // 300 + 213 lags: 2 above 512, the smallest exact size is 1024
    { referenceFrames: 20000, minLag: -10, maxLag: 40, segments: 2 },
    { referenceFrames: 40000, minLag: -10, maxLag: 40, segments: 3 },
    // More lags than the preferred FFT size holds (a short probe searched over 0.35 s at 48 kHz).
    { referenceFrames: 300, minLag: 0, maxLag: 17000, segments: 1 },
  ])('gives the exact linear cross-correlation for lags $minLag … $maxLag over $segments segment(s), and the segments\' powers', ({ referenceFrames, minLag, maxLag, segments }) => {
    const x = gaussianNoise(referenceFrames, 0.3, 1);
    // Two captures of different lengths: a reaches past the last lag (so a wrapped lag would read signal), b ends inside
    // the last window (so it is zero-filled at both ends), and so does a in the longer cases.
    const a = gaussianNoise(referenceFrames + maxLag + 25, 0.2, 2);
    const b = gaussianNoise(referenceFrames - 7, 0.5, 3);
    const plan = planCrossSpectrum(x, minLag, maxLag);
    const { M, P } = plan;
    expect(plan.X.length).toBe(segments);
    // Whatever a previous transform left in the kernel's work arrays (every user of the size shares them) must not leak in.
    plan.fft.buffers[0].fill(7);
    plan.fft.buffers[1].fill(-3);
    const Ga = new Float64Array(M + 2);
    const Gb = new Float64Array(M + 2);
    const Pa = new Float64Array(M / 2 + 1).fill(5);
    const Pb = new Float64Array(M / 2 + 1).fill(5);
    accumulateCrossSpectra(plan, a, b, Ga, Gb, Pa, Pb);

    for (const [y, G] of [[a, Ga], [b, Gb]] as const) {
      const r = inverseOfOneSided(G, M);
      let worst = 0;
      for (let k = 0; k <= maxLag - minLag; k++) worst = Math.max(worst, Math.abs(r[k] - directCorrelation(x, y, minLag + k)));
      expect(worst).toBeLessThan(1e-10 * Math.sqrt(energy(x) * energy(y)));
    }

    const expectedReference = new Float64Array(M / 2 + 1);
    const expectedA = new Float64Array(M / 2 + 1);
    const expectedB = new Float64Array(M / 2 + 1);
    for (let s = 0; s < segments; s++) {
      const add = (sum: Float64Array, p: Float64Array): void => p.forEach((v, k) => (sum[k] += v));
      add(expectedReference, powerOf((n) => (n < P ? (x[s * P + n] ?? 0) : 0), M));
      add(expectedA, powerOf((n) => a[s * P + minLag + n] ?? 0, M));
      add(expectedB, powerOf((n) => b[s * P + minLag + n] ?? 0, M));
    }
    for (const [got, want] of [[plan.referencePower, expectedReference], [Pa, expectedA], [Pb, expectedB]]) {
      let worst = 0;
      for (let k = 0; k <= M / 2; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
      expect(worst).toBeLessThan(1e-10 * want.reduce((s, v) => s + v, 0));
    }
  });
});
