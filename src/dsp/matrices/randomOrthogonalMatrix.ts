import { Prng } from '../prng.ts';
import type { FeedbackMatrix } from '../feedbackMatrix.ts';

/**
 * Q of the Householder QR decomposition of A (row-major n×n, overwritten), normalised so that diag(R) > 0
 * (Q ← Q·diag(sign(diag R))). With A Gaussian this makes Q Haar-distributed (Mezzadri, "How to
 * generate random matrices from the classical compact groups", 2007). Returns Q row-major.
 */
export function orthogonalFromQr(a: Float64Array, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  const signs = new Float64Array(n).fill(1);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[i * n + k] * a[i * n + k];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = a[k * n + k] > 0 ? -norm : norm;
    for (let i = 0; i < n; i++) v[i] = i < k ? 0 : a[i * n + k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) {
      signs[k] = Math.sign(a[k * n + k]) || 1;
      continue;
    }
    // A ← (I − 2vvᵀ/vᵀv)·A ; Q ← Q·(I − 2vvᵀ/vᵀv)
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * a[i * n + j];
      const s = (2 * dot) / vv;
      for (let i = k; i < n; i++) a[i * n + j] -= s * v[i];
    }
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = k; j < n; j++) dot += q[i * n + j] * v[j];
      const s = (2 * dot) / vv;
      for (let j = k; j < n; j++) q[i * n + j] -= s * v[j];
    }
    signs[k] = a[k * n + k] < 0 ? -1 : 1;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}

/**
 * A seeded random orthogonal matrix: Q of the QR decomposition of an N×N matrix of standard Gaussian
 * draws from `Prng(seed)`, times diag(sign(diag R)). The same seed gives the same matrix on every run
 * and platform (only +, ×, √ and the PRNG are involved). Applied as a dense matvec in O(N²).
 */
export class RandomOrthogonalMatrix implements FeedbackMatrix {
  readonly kind = 'randomOrthogonal' as const;
  readonly size: number;
  readonly seed: number;
  private readonly q: Float64Array;
  private readonly scratch: Float64Array;

  constructor(size: number, seed: number) {
    this.size = size;
    this.seed = seed >>> 0;
    const prng = new Prng(this.seed);
    const a = new Float64Array(size * size);
    for (let i = 0; i < a.length; i++) a[i] = prng.nextGaussian();
    this.q = orthogonalFromQr(a, size);
    this.scratch = new Float64Array(size);
  }

  apply(input: Float64Array | Float32Array, output: Float64Array | Float32Array): void {
    const n = this.size;
    const q = this.q;
    const x = this.scratch;
    for (let i = 0; i < n; i++) x[i] = input[i];
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) sum += q[row + j] * x[j];
      output[i] = sum;
    }
  }

  toDense(): Float64Array {
    return this.q.slice();
  }
}
