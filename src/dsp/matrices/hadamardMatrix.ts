import type { FeedbackMatrix } from '../feedbackMatrix.ts';
import { denseFromApply } from './denseFromApply.ts';

/**
 * In-place fast Walsh–Hadamard transform of data[0…n) (n a power of two), unscaled: n·log₂n
 * additions, Sylvester ordering H₂ₙ = [[Hₙ, Hₙ], [Hₙ, −Hₙ]].
 */
export function fastWalshHadamard(data: Float64Array | Float32Array, n: number): void {
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = data[j];
        const b = data[j + h];
        data[j] = a + b;
        data[j + h] = a - b;
      }
    }
  }
}

/**
 * Hadamard matrix H/√N (Sylvester), N a power of two: every entry ±1/√N, so it mixes every line into
 * every other with equal energy. Applied with the fast transform in O(N log N).
 */
export class HadamardMatrix implements FeedbackMatrix {
  readonly kind = 'hadamard' as const;
  readonly size: number;
  private readonly scale: number;

  constructor(size: number) {
    if (size < 1 || (size & (size - 1)) !== 0) {
      throw new RangeError(`hadamard matrix: size must be a power of two, got ${size}`);
    }
    this.size = size;
    this.scale = 1 / Math.sqrt(size);
  }

  apply(input: Float64Array | Float32Array, output: Float64Array | Float32Array): void {
    const n = this.size;
    if (output !== input) for (let i = 0; i < n; i++) output[i] = input[i];
    fastWalshHadamard(output, n);
    const scale = this.scale;
    for (let i = 0; i < n; i++) output[i] *= scale;
  }

  toDense(): Float64Array {
    return denseFromApply(this);
  }
}
