import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { createFeedbackMatrix, feedbackMatrixKinds, type FeedbackMatrixKind } from './feedbackMatrix.ts';
import { HadamardMatrix } from './matrices/hadamardMatrix.ts';
import { orthogonalityError } from './matrices/orthogonalityError.ts';

const cases: Array<[FeedbackMatrixKind, number]> = [];
for (const kind of feedbackMatrixKinds) for (const n of [1, 2, 4, 8, 16, 32]) cases.push([kind, n]);
cases.push(['householder', 3], ['householder', 12], ['randomOrthogonal', 5], ['randomOrthogonal', 12]);

describe('feedback matrices', () => {
  it.each(cases)('%s %i is orthogonal: max |QᵀQ − I| < 1e-12', (kind, n) => {
    expect(orthogonalityError(createFeedbackMatrix(kind, n, 42).toDense(), n)).toBeLessThan(1e-12);
  });

  it.each(cases)('%s %i preserves the energy of a vector within 1e-12 (relative)', (kind, n) => {
    const matrix = createFeedbackMatrix(kind, n, 9);
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 2.3) * (i + 1));
    const y = new Float64Array(n);
    matrix.apply(x, y);
    const energy = (v: Float64Array): number => v.reduce((a, b) => a + b * b, 0);
    expect(Math.abs(energy(y) / energy(x) - 1)).toBeLessThan(1e-12);
  });

  it.each(feedbackMatrixKinds)('%s applies in place with the same result as out of place', (kind) => {
    const matrix = createFeedbackMatrix(kind, 8, 3);
    const x = Float64Array.from({ length: 8 }, (_, i) => i * i - 3);
    const y = new Float64Array(8);
    matrix.apply(x, y);
    matrix.apply(x, x);
    expect(Array.from(x)).toEqual(Array.from(y));
  });

  it('Hadamard 4 is the Sylvester matrix over 2 and mixes every line with equal magnitude', () => {
    const h = Array.from(createFeedbackMatrix('hadamard', 4).toDense());
    expect(h).toEqual([1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1].map((v) => v / 2));
  });

  it('Householder N has diagonal 1 − 2/N and off-diagonal −2/N', () => {
    const q = createFeedbackMatrix('householder', 5).toDense();
    expect([q[0], q[6], q[1], q[23]]).toEqual([1 - 2 / 5, 1 - 2 / 5, -2 / 5, -2 / 5]);
  });

  it('random orthogonal is reproducible from its seed and differs between seeds', () => {
    const a = createFeedbackMatrix('randomOrthogonal', 6, 1).toDense();
    expect(Array.from(createFeedbackMatrix('randomOrthogonal', 6, 1).toDense())).toEqual(Array.from(a));
    expect(createFeedbackMatrix('randomOrthogonal', 6, 2).toDense()[0]).not.toBe(a[0]);
  });

  it('random orthogonal is not a permutation or sign matrix: it mixes (every |entry| < 0.95 for N = 16)', () => {
    const q = createFeedbackMatrix('randomOrthogonal', 16, 5).toDense();
    expect(Math.max(...Array.from(q, Math.abs))).toBeLessThan(0.95);
  });

  it('rejects a Hadamard size that is not a power of two, and bad sizes and kinds, naming them', () => {
    expect(() => createFeedbackMatrix('hadamard', 6)).toThrow(/power of two, got 6/);
    expect(() => createFeedbackMatrix('householder', 0)).toThrow(/size must be an integer in 1…4096, got 0/);
    expect(() => createFeedbackMatrix('circulant' as never, 4)).toThrow(/unknown kind "circulant"; expected one of hadamard, householder, randomOrthogonal/);
    expect(() => createFeedbackMatrix('householder', 4097)).toThrow(/size must be an integer in 1…4096, got 4097/);
    expect(createFeedbackMatrix('householder', 4096).size).toBe(4096);
  });

  it('a Hadamard matrix of size 0 is refused where it is built, not only by createFeedbackMatrix', () => {
    expect(() => new HadamardMatrix(0)).toThrow(/power of two, got 0/);
  });

  it.each(cases)('%s %i: apply() is the matvec of toDense(), reads and writes only the first size entries, and toDense() is a copy', (kind, n) => {
    const matrix = createFeedbackMatrix(kind, n, 7);
    const q = matrix.toDense();
    const x = Float64Array.from({ length: n + 2 }, (_, i) => (i < n ? Math.cos(0.7 + 1.9 * i) : 555));
    const y = new Float64Array(n + 2).fill(777);
    matrix.apply(x, y);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += q[i * n + j] * x[j];
      worst = Math.max(worst, Math.abs(y[i] - sum));
    }
    expect(worst).toBeLessThan(1e-14);
    expect(Array.from(y.subarray(n))).toEqual([777, 777]);
    q.fill(0);
    expect(Array.from(matrix.toDense())).not.toEqual(Array.from(q));
  });

  it.skipIf(allocationUnmeasurable).each(feedbackMatrixKinds)('%s apply() allocates nothing', async (kind) => {
    const matrix = createFeedbackMatrix(kind, 16, 1);
    const x = new Float64Array(16).fill(0.1);
    const y = new Float32Array(16);
    const result = await measureAllocation(() => {
      matrix.apply(x, x);
      matrix.apply(x, y);
    });
    expect(result.bytes).toBeLessThan(1024);
  });
});
