import FFT from 'fft.js';
import type { Benchmark } from '../bench/benchmark.ts';
import { type FftTransforms, WasmFft } from './fftKernel.ts';
import { Prng } from './prng.ts';

/** Seeded values in [−0.5, 0.5). */
function noise(length: number, seed: number): Float64Array {
  const prng = new Prng(seed);
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) x[i] = prng.nextFloat() - 0.5;
  return x;
}

/**
 * The two shapes of transform the HIL analysis spends its FFT time on (counted in `rig hil`): a Hilbert envelope's
 * real transform and inverse at 8 192 points (13 056 pairs a run), and the delay estimator's complex transform
 * and inverse at 262 144 points (85 and 240). Each on the kernel (WasmFft, fftOfSize's) and on fft.js itself, the
 * same bits: the ratio of each pair is the kernel's gain.
 */
function pairs(size: number, kind: 'real' | 'complex', repeats: number, fft: () => FftTransforms): () => () => void {
  return () => {
    const f = fft();
    const data = noise(kind === 'real' ? size : 2 * size, size);
    const spectrum = new Float64Array(2 * size);
    const back = new Float64Array(2 * size);
    return () => {
      for (let r = 0; r < repeats; r++) {
        if (kind === 'real') f.realTransform(spectrum, data);
        else f.transform(spectrum, data);
        f.inverseTransform(back, spectrum);
      }
    };
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'fft_8192_real_inverse',
    description: '100 real transforms and inverses of 8192 points (a Hilbert envelope each) on WasmFft: fft.js in WebAssembly SIMD, fftKernel.ts (fftOfSize\'s)',
    setup: pairs(8192, 'real', 100, () => new WasmFft(8192)),
  },
  {
    name: 'fftjs_8192_real_inverse',
    description: 'fft_8192_real_inverse on fft.js itself (the same bits)',
    setup: pairs(8192, 'real', 100, () => new FFT(8192)),
  },
  {
    name: 'fft_262144_complex_inverse',
    description: '4 complex transforms and inverses of 262 144 points (the delay estimator\'s cross-spectra, estimateDelay) on WasmFft',
    setup: pairs(262144, 'complex', 4, () => new WasmFft(262144)),
  },
  {
    name: 'fftjs_262144_complex_inverse',
    description: 'fft_262144_complex_inverse on fft.js itself (the same bits)',
    setup: pairs(262144, 'complex', 4, () => new FFT(262144)),
  },
];
