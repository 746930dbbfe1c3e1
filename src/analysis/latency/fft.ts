import FFT from 'fft.js';
import { WasmFft } from '../../dsp/fftKernel.ts';

/**
 * fft.js's transforms (radix-4, by Fedor Indutny; complex data interleaved [re0, im0, re1, im1, …], the inverse scaled
 * by 1/N) on the WebAssembly kernel, with its work arrays (`buffers`, `transformWithin`) for callers that fill and read
 * them in place.
 */
export type FftJs = WasmFft;

const cache = new Map<number, FftJs>();

/**
 * A cached transform of `size` (a power of two ≥ 2), made once per size: fft.js's algorithm in WebAssembly SIMD
 * (src/dsp/fftKernel.ts), the same bits as fft.js and about twice as fast (bench fft_8192_real_inverse beside
 * fftjs_8192_real_inverse).
 */
export function fftOfSize(size: number): FftJs {
  let f = cache.get(size);
  if (!f) {
    f = new WasmFft(size);
    cache.set(size, f);
  }
  return f;
}

const references = new Map<number, FFT>();

/** A cached fft.js instance of `size`: the reference fftOfSize's kernel matches, and the tables of kernels that run its algorithm themselves (welchKernel.ts). */
export function fftJsOfSize(size: number): FFT {
  let f = references.get(size);
  if (!f) {
    f = new FFT(size);
    references.set(size, f);
  }
  return f;
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * Spectra of two real signals with one complex FFT (Numerical Recipes §12.3): z = a + i·b,
 * A_k = (Z_k + Z*_{L−k})/2, B_k = (Z_k − Z*_{L−k})/(2i). Writes bins 0 … L/2 of each into `outA`/`outB`
 * (interleaved, length ≥ L + 2). `b` may be undefined (treated as zero). Inputs are zero-padded to L. The transform's
 * input and output are the kernel's own arrays (fft.buffers), filled and read in place.
 */
export function spectraOfPair(fft: FftJs, a: Float32Array, b: Float32Array | undefined, outA: Float64Array, outB: Float64Array): void {
  const L = fft.size;
  const work = fft.buffers[0];
  work.fill(0);
  const na = Math.min(a.length, L);
  for (let n = 0; n < na; n++) work[2 * n] = a[n];
  if (b) {
    const nb = Math.min(b.length, L);
    for (let n = 0; n < nb; n++) work[2 * n + 1] = b[n];
  }
  const z = fft.transformWithin('forward', 0);
  for (let k = 0; k <= L / 2; k++) {
    const m = (L - k) % L;
    const zr = z[2 * k];
    const zi = z[2 * k + 1];
    const mr = z[2 * m];
    const mi = z[2 * m + 1];
    outA[2 * k] = 0.5 * (zr + mr);
    outA[2 * k + 1] = 0.5 * (zi - mi);
    outB[2 * k] = 0.5 * (zi + mi);
    outB[2 * k + 1] = -0.5 * (zr - mr);
  }
}

/**
 * Inverse of two Hermitian spectra (bins 0 … L/2 given) with one complex FFT: w = IFFT(P + i·Q) = p + i·q.
 * On return `out` holds p in the even slots and q in the odd slots (length 2L). The transform's input is written in
 * the kernel's own array (fft.buffers[0]); `out` is a copy of its output, which the next transform of the size overwrites.
 */
export function inversePair(fft: FftJs, p: Float64Array, q: Float64Array, out: Float64Array): void {
  const L = fft.size;
  const half = L / 2;
  const work = fft.buffers[0];
  for (let k = 0; k <= half; k++) {
    work[2 * k] = p[2 * k] - q[2 * k + 1];
    work[2 * k + 1] = p[2 * k + 1] + q[2 * k];
  }
  for (let k = half + 1; k < L; k++) {
    const m = L - k; // P_k = conj(P_m), Q_k = conj(Q_m): W_k = conj(P_m) + i·conj(Q_m)
    work[2 * k] = p[2 * m] + q[2 * m + 1];
    work[2 * k + 1] = -p[2 * m + 1] + q[2 * m];
  }
  out.set(fft.transformWithin('inverse', 0));
}
