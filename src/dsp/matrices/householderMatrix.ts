import type { FeedbackMatrix } from '../feedbackMatrix.ts';
import { denseFromApply } from './denseFromApply.ts';

/**
 * Householder reflection I − (2/N)·11ᵀ (u = ones, ‖u‖² = N): y_i = x_i − (2/N)·Σx, applied in O(N).
 * Diagonal 1 − 2/N, off-diagonal −2/N; for N = 4 every entry has magnitude 1/2. Reference: Jot &
 * Chaigne 1991; Smith, PASP, "Householder feedback matrix".
 */
export class HouseholderMatrix implements FeedbackMatrix {
  readonly kind = 'householder' as const;
  readonly size: number;
  private readonly factor: number;

  constructor(size: number) {
    this.size = size;
    this.factor = 2 / size;
  }

  apply(input: Float64Array | Float32Array, output: Float64Array | Float32Array): void {
    const n = this.size;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += input[i];
    const shift = sum * this.factor;
    for (let i = 0; i < n; i++) output[i] = input[i] - shift;
  }

  toDense(): Float64Array {
    return denseFromApply(this);
  }
}
