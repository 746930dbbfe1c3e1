/** Builds the dense row-major form of a linear map by applying it to the unit vectors (column j = Q·e_j). */
export function denseFromApply(matrix: {
  readonly size: number;
  apply(input: Float64Array, output: Float64Array): void;
}): Float64Array {
  const n = matrix.size;
  const dense = new Float64Array(n * n);
  const unit = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    matrix.apply(unit, column);
    for (let i = 0; i < n; i++) dense[i * n + j] = column[i];
  }
  return dense;
}
