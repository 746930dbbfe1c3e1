import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeedbackMatrix, type FeedbackMatrixKind } from '../../src/dsp/feedbackMatrix.ts';
import { orthogonalityError } from '../../src/dsp/matrices/orthogonalityError.ts';

const matrixCase = fc.oneof(
  fc.record({ kind: fc.constant<FeedbackMatrixKind>('hadamard'), size: fc.integer({ min: 0, max: 6 }).map((k) => 2 ** k), seed: fc.constant(1) }),
  fc.record({ kind: fc.constant<FeedbackMatrixKind>('householder'), size: fc.integer({ min: 1, max: 64 }), seed: fc.constant(1) }),
  fc.record({ kind: fc.constant<FeedbackMatrixKind>('randomOrthogonal'), size: fc.integer({ min: 1, max: 32 }), seed: fc.nat() }),
);

describe('feedback matrix properties', () => {
  it('every kind, size and seed is orthogonal: max |QᵀQ − I| < 1e-12', () => {
    fc.assert(
      fc.property(matrixCase, ({ kind, size, seed }) => {
        expect(orthogonalityError(createFeedbackMatrix(kind, size, seed).toDense(), size)).toBeLessThan(1e-12);
      }),
      { numRuns: 60 },
    );
  });

  // Energy bound for k products by the stored matrix Q (E = QᵀQ − I, its own departure from orthogonality):
  // ‖Qx‖² = ‖x‖²·(1 + xᵀEx/‖x‖²) and |xᵀEx| ≤ ‖E‖₂·‖x‖² ≤ N·max|E_ij|·‖x‖², while rounding the product
  // changes ‖x‖² by at most a relative 2·N·ε (γ_N for each inner product, twice for the square). So k
  // products drift at most (1 + δ)^k − 1 with δ = 2·N·ε + N·max|E_ij| — equality is possible, so the
  // check is ≤. The matrix term matters where the error compounds in one direction: a 1 × 1 random
  // orthogonal matrix is stored as 1 + 2ε (its Householder step rounds), which drifts 2000·2ε = 8.9e-13
  // after 1000 products, over the 4.4e-13 of the rounding term alone (FC_SEED=1366890449 and
  // FC_SEED=-1812959372 failed that older bound on unchanged code). Earlier figure: a random orthogonal
  // 10 × 10 measured 1.07e-12 against 4.4e-12 (FC_SEED=1372697552).
  const energyBound = (size: number, applications: number, orthogonalityErr: number) =>
    Math.expm1(applications * Math.log1p(2 * size * Number.EPSILON + size * orthogonalityErr));

  it('apply() preserves energy within (1 + 2·N·ε + N·max|QᵀQ − I|)^k − 1 for any input, k = 1000 times in a row', () => {
    fc.assert(
      fc.property(matrixCase, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }), ({ kind, size, seed }, values) => {
        const matrix = createFeedbackMatrix(kind, size, seed);
        const bound = energyBound(size, 1000, orthogonalityError(matrix.toDense(), size));
        const x = Float64Array.from(values.slice(0, size));
        const energyIn = x.reduce((a, b) => a + b * b, 0);
        for (let i = 0; i < 1000; i++) matrix.apply(x, x);
        const energyOut = x.reduce((a, b) => a + b * b, 0);
        if (energyIn > 1e-12) expect(Math.abs(energyOut / energyIn - 1)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    // The shrunk counterexamples of FC_SEED=1366890449 (8.47e-13 > 4.44e-13) and FC_SEED=-1812959372 (4.44e-13, equal).
    { seed: 2080366445, value: -0.0000010000000000000002 },
    { seed: 306422823, value: 0.7500000000001108 },
    // Found by the 200-seed sweep of the older bound (FC_SEED=-839757325): a 2 × 2 one.
    { seed: 2010847917, value: -0.04605196416378313, size: 2 },
  ])('the random orthogonal matrix of seed $seed, which failed the rounding-only bound, stays within this one', ({ seed, value, size = 1 }) => {
    const q = createFeedbackMatrix('randomOrthogonal', size, seed);
    const x = new Float64Array(size);
    x[size - 1] = value;
    for (let i = 0; i < 1000; i++) q.apply(x, x);
    const drift = Math.abs(x.reduce((a, b) => a + b * b, 0) / (value * value) - 1);

    expect(drift).toBeGreaterThanOrEqual(2 * 1000 * size * Number.EPSILON);
    expect(drift).toBeLessThanOrEqual(energyBound(size, 1000, orthogonalityError(q.toDense(), size)));
  });

  it('the orthogonality check fails on a matrix perturbed by 1e-9 (the detector can fail)', () => {
    const q = createFeedbackMatrix('randomOrthogonal', 8, 3).toDense();
    q[13] += 1e-9;
    expect(orthogonalityError(q, 8)).toBeGreaterThan(1e-12);
  });
});
