/**
 * The typed arrays of one FDN, gathered once per network (FdnCore's constructor) and handed to every
 * chunk kernel as one read-only record instead of a dozen positional arguments. It holds only array
 * references — never a double, which a kernel call that is not inlined would box — and always has the
 * same shape, so V8 keeps each kernel monomorphic; kernels copy what they use into locals at their top.
 * The arrays are FdnCore's own (state, coefficients and LFO buffers change in place; `work` may trade
 * its arrays with `spare`, generalKernels.ts), so the record never needs rebuilding.
 */
export interface FdnArrays {
  /** The delay lines, rings indexed with the network's mask. */
  readonly rings: readonly Float64Array[];
  /** One chunk per line: the filtered line outputs, transformed in place by the matrix stages. */
  readonly work: readonly Float64Array[];
  /** m_i, the line lengths in samples. */
  readonly delays: Int32Array;
  /** [1/√N] for Hadamard (folded into b0 by the kernels), [1] otherwise. */
  readonly scale: Float64Array;
  /** The one-pole s = (scale·b0)·u + p·s per line, and its ramp steps ([b0Step, poleStep] in onePoleStep). */
  readonly b0: Float64Array;
  readonly pole: Float64Array;
  readonly b0Step: Float64Array;
  readonly poleStep: Float64Array;
  readonly onePoleStep: readonly Float64Array[];
  /** The low shelves [c0, c1, q] per line and their ramp steps (lineCoefficients.ts). */
  readonly shelf: readonly Float64Array[];
  readonly shelfStep: readonly Float64Array[];
  /** s[n−1] of each one-pole; u[n−1] and x[n−1] of each shelf. */
  readonly filterState: Float64Array;
  readonly shelfState: Float64Array;
  readonly inputState: Float64Array;
  /** σ_i, the input signs (stereoTaps.ts). */
  readonly inSign: Float64Array;
  /** The modulated read: each line's LFO phase offset (cos φ_i, sin φ_i) and the chunk's sin θ, cos θ and depth D (delayModulation.ts). */
  readonly cosOffset: Float64Array;
  readonly sinOffset: Float64Array;
  readonly sinBuf: Float64Array;
  readonly cosBuf: Float64Array;
  readonly depthBuf: Float64Array;
}
