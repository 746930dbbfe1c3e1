import type { FeedbackMatrixKind } from '../dsp/feedbackMatrix.ts';
import type { FdnArrays } from './fdnArrays.ts';

/**
 * Chunk kernels of the general FDN path (Householder, dense random orthogonal, and Hadamard below
 * N = 4): explicit stereo taps, the matrix applied in place over the line chunks, and the write-back.
 * The Hadamard path of N ≥ 4 uses hadamardKernels.ts instead. Doubles travel in typed arrays.
 */

/** Adds line i's filtered output (work[i]) to the stereo taps with gains outL[i], outR[i]; line 0 initialises them. */
export function tapLine(work: readonly Float64Array[], outL: Float64Array, outR: Float64Array, i: number, yL: Float64Array, yR: Float64Array, frames: number): void {
  const w = work[i];
  const l = outL[i];
  const r = outR[i];
  if (i === 0) {
    for (let k = 0; k < frames; k++) {
      yL[k] = l * w[k];
      yR[k] = r * w[k];
    }
  } else {
    for (let k = 0; k < frames; k++) {
      yL[k] += l * w[k];
      yR[k] += r * w[k];
    }
  }
}

/**
 * work ← Q·work over the chunk. Hadamard: the unscaled FWHT (1/√N is in the line gains);
 * Householder I − (2/N)·11ᵀ: a rank-one update through `sum`; otherwise the dense row-major Q into
 * `spare`, whose arrays then trade places with work's (no copy, no allocation).
 */
export function mixInPlace(
  kind: FeedbackMatrixKind, work: Float64Array[], spare: Float64Array[], dense: Float64Array, sum: Float64Array, n: number, frames: number,
): void {
  if (kind === 'hadamard') {
    for (let h = 1; h < n; h *= 2) {
      for (let i = 0; i < n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const a = work[j];
          const b = work[j + h];
          for (let k = 0; k < frames; k++) {
            const x = a[k];
            const y = b[k];
            a[k] = x + y;
            b[k] = x - y;
          }
        }
      }
    }
  } else if (kind === 'householder') {
    const f = 2 / n;
    sum.fill(0, 0, frames);
    for (let i = 0; i < n; i++) {
      const w = work[i];
      for (let k = 0; k < frames; k++) sum[k] += w[k];
    }
    for (let i = 0; i < n; i++) {
      const w = work[i];
      for (let k = 0; k < frames; k++) w[k] -= f * sum[k];
    }
  } else {
    for (let j = 0; j < n; j++) {
      const out = spare[j];
      const q0 = dense[j * n];
      const w0 = work[0];
      for (let k = 0; k < frames; k++) out[k] = q0 * w0[k];
      for (let i = 1; i < n; i++) {
        const qi = dense[j * n + i];
        const w = work[i];
        for (let k = 0; k < frames; k++) out[k] += qi * w[k];
      }
    }
    for (let j = 0; j < n; j++) {
      const t = work[j];
      work[j] = spare[j];
      spare[j] = t;
    }
  }
}

const FLUSH = 1e-30;

/** x_i[n] = σ_i·src_i[n] + (Q·s)_i into each ring (src = sum for even i, diff for odd i), flushed below 1e-30. */
export function writeLines(net: FdnArrays, sum: Float64Array, diff: Float64Array, pos: number, mask: number, frames: number): void {
  const { rings, work, inSign: sign } = net;
  for (let i = 0; i < rings.length; i++) {
    const ring = rings[i];
    const w = work[i];
    const e = sign[i];
    const src = i & 1 ? diff : sum;
    for (let k = 0; k < frames; k++) {
      const v = e * src[k] + w[k];
      ring[(pos + k) & mask] = Math.abs(v) > FLUSH ? v : 0;
    }
  }
}
