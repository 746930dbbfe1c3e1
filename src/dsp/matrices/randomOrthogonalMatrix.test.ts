import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.ts';
import { orthogonalFromQr } from './randomOrthogonalMatrix.ts';

/** R = QᵀA for row-major n×n Q and A. */
function qtA(q: Float64Array, a: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) r[i * n + j] += q[k * n + i] * a[k * n + j];
  return r;
}

describe('orthogonalFromQr', () => {
  it.each([2, 3, 5, 8])('gives the Q of A = QR with R upper triangular and diag(R) > 0 (the Haar normalisation), N = %i', (n) => {
    const prng = new Prng(1000 + n);
    const a = Float64Array.from({ length: n * n }, () => prng.nextGaussian());
    const q = orthogonalFromQr(a.slice(), n);
    const r = qtA(q, a, n);
    let below = 0;
    let smallestDiagonal = Infinity;
    for (let i = 0; i < n; i++) {
      smallestDiagonal = Math.min(smallestDiagonal, r[i * n + i]);
      for (let j = 0; j < i; j++) below = Math.max(below, Math.abs(r[i * n + j]));
    }
    expect(below).toBeLessThan(1e-12);
    expect(smallestDiagonal).toBeGreaterThan(1e-3);
  });
});
