/**
 * max |QᵀQ − I| over all entries of the n×n row-major matrix q: 0 for an exactly orthogonal matrix; a
 * feedback matrix within ~1e-12 of orthogonal is lossless to double precision. For tests and checks
 * (O(n³), allocation-free).
 */
export function orthogonalityError(q: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[k * n + i] * q[k * n + j];
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return worst;
}
