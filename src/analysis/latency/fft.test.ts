import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testSignals/seededRandom.ts';
import { fftJsOfSize, fftOfSize, inversePair, nextPowerOfTwo, spectraOfPair } from './fft.ts';

function randomSignal(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r.gaussian());
}

describe('paired real FFTs', () => {
  it('splits one complex FFT into the two real spectra within 1e-9 of separate transforms', () => {
    const L = 256;
    const fft = fftOfSize(L);
    const a = randomSignal(200, 1);
    const b = randomSignal(180, 2);
    const A = new Float64Array(L + 2);
    const B = new Float64Array(L + 2);
    spectraOfPair(fft, a, b, A, B);
    const ref = new Float64Array(2 * L);
    const padded = new Float64Array(L);
    padded.set(b);
    fft.realTransform(ref, padded);
    let err = 0;
    for (let k = 0; k <= L / 2; k++) err = Math.max(err, Math.abs(B[2 * k] - ref[2 * k]), Math.abs(B[2 * k + 1] - ref[2 * k + 1]));
    expect(err).toBeLessThan(1e-9);
  });

  it('inverts two Hermitian spectra at once back to the two signals within 1e-9', () => {
    const L = 128;
    const fft = fftOfSize(L);
    const a = randomSignal(L, 3);
    const b = randomSignal(L, 4);
    const A = new Float64Array(L + 2);
    const B = new Float64Array(L + 2);
    spectraOfPair(fft, a, b, A, B);
    const out = new Float64Array(2 * L);
    inversePair(fft, A, B, out);
    let err = 0;
    for (let n = 0; n < L; n++) err = Math.max(err, Math.abs(out[2 * n] - a[n]), Math.abs(out[2 * n + 1] - b[n]));
    expect(err).toBeLessThan(1e-9);
  });

  it('gives each real spectrum of the pair (a and b) within 1e-9 of its own transform, b absent as zero, inputs longer than L cut at L', () => {
    const L = 64;
    const fft = fftOfSize(L);
    const spectrum = (x: Float32Array): Float64Array => {
      const padded = new Float64Array(L);
      padded.set(x.subarray(0, L));
      const out = new Float64Array(2 * L);
      fft.realTransform(out, padded);
      return out;
    };
    const maxError = (X: Float64Array, ref: Float64Array): number => {
      let err = 0;
      for (let i = 0; i <= L + 1; i++) err = Math.max(err, Math.abs(X[i] - ref[i]));
      return err;
    };
    const a = randomSignal(L + 20, 5);
    const b = randomSignal(L - 10, 6);
    const A = new Float64Array(L + 2).fill(Number.NaN);
    const B = new Float64Array(L + 2).fill(Number.NaN);
    // whatever an earlier transform of the size left in the kernel's work arrays must not leak in
    fft.buffers[0].fill(Number.NaN);
    spectraOfPair(fft, a, b, A, B);
    expect(maxError(A, spectrum(a))).toBeLessThan(1e-9);
    expect(maxError(B, spectrum(b))).toBeLessThan(1e-9);
    fft.buffers[0].fill(Number.NaN);
    spectraOfPair(fft, a, undefined, A, B);
    expect(maxError(A, spectrum(a))).toBeLessThan(1e-9);
    expect(maxError(B, new Float64Array(2 * L))).toBeLessThan(1e-9);
  });

  it('rounds sizes up to a power of two, at least 2, and keeps one instance per size', () => {
    expect([0, 1, 2, 3, 4, 5, 1024, 1025].map(nextPowerOfTwo)).toEqual([2, 2, 2, 4, 4, 8, 1024, 2048]);
    expect(fftOfSize(32)).toBe(fftOfSize(32));
    expect(fftOfSize(32).size).toBe(32);
    // and one fft.js instance per size for the kernels that read its tables (welchKernel.ts)
    expect(fftJsOfSize(32)).toBe(fftJsOfSize(32));
    expect(fftJsOfSize(32).size).toBe(32);
  });
});
