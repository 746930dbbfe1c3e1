import FFT from 'fft.js';
import { WasmFft } from './fftKernel.ts';
import { cosSinOfTurn } from './portableMath.ts';

/**
 * An fft.js transform of `size` whose twiddle table holds portableMath's cos/sin of k/size turns
 * instead of Math.cos/Math.sin of π·2k/size: the transform is then the same bits in Node and in a
 * browser (fft.js's butterflies are plain +, −, ×). fft.js keeps the table as `table[2k] = cos θ_k,
 * table[2k + 1] = −sin θ_k`, θ_k = 2πk/size, k = 0 … size − 1.
 */
export function portableFft(size: number): FFT {
  const fft = new FFT(size) as FFT & { table: number[] };
  const cs = { cos: 0, sin: 0 };
  for (let k = 0; k < size; k++) {
    cosSinOfTurn(k, size, cs);
    fft.table[2 * k] = cs.cos;
    fft.table[2 * k + 1] = 0 - cs.sin;
  }
  return fft;
}

/** portableFftKernel's transforms, one a size a thread. */
const kernels = new Map<number, WasmFft>();

/**
 * portableFft's transform on the WebAssembly kernel (fftKernel.ts): the same bits as portableFft(size), in Node and in
 * a browser, about twice as fast, and without allocating per call (for process()). One a size a thread, shared by every
 * caller (a transform copies its input in and its output out, whole, before returning, so callers cannot see each
 * other's data): each would otherwise hold a WebAssembly memory of its own. The first call of a size allocates: call in
 * prepare().
 */
export function portableFftKernel(size: number): WasmFft {
  let kernel = kernels.get(size);
  if (!kernel) {
    kernel = new WasmFft(size, undefined, portableFft(size));
    kernels.set(size, kernel);
  }
  return kernel;
}
