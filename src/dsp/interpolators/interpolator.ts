/** The sample storage a delay line reads from: a power-of-two ring indexed with `index & mask`. */
export type SampleBuffer = Float64Array;

export type InterpolatorKind = 'none' | 'linear' | 'cubic' | 'thiran';

/**
 * Clamping and block loops live in each class (not in the delay line, not in a shared base): passing a
 * double read from an object field into a call boxes it on the heap (measured: 16 bytes per argument),
 * so the hot paths take only the caller's own values and read their limits from `this`.
 *
 * A fractional-delay read policy (after Signalsmith's interpolators): it declares how many input
 * samples it reads and how far ahead of `floor(delay)` its window starts, and it reads one value from a
 * ring buffer at a fractional delay.
 *
 * Buffer convention: `newest` is the (unmasked) index of the most recently written sample, i.e. delay
 * 0; the sample at delay k is `buffer[(newest - k) & mask]`. `read(…, delaySamples, …)` returns the
 * signal delayed by exactly `delaySamples` (the latency is already compensated), for
 * `minDelaySamples ≤ delaySamples`; the caller clamps.
 */
export interface Interpolator {
  readonly kind: InterpolatorKind;
  /** Input samples read per output value (the FIR length, or 2 for the allpass). */
  readonly inputLength: number;
  /**
   * Samples the window reaches ahead of `floor(delaySamples)`: the FIR reads delays
   * `floor(d) - latencySamples … floor(d) - latencySamples + inputLength - 1`. A delay line
   * compensates it, so it is also the smallest integer delay the interpolator can produce.
   */
  readonly latencySamples: number;
  /** Smallest delay this interpolator produces exactly (latencySamples, or 0.1 for the allpass). */
  readonly minDelaySamples: number;
  /** True when reads carry state between samples (the allpass): each tap must be read once per sample. */
  readonly stateful: boolean;
  /**
   * Sets the largest delay reads are clamped to and allocates per-tap state (stateful interpolators);
   * call outside the audio path.
   */
  prepare(tapCount: number, maxDelaySamples: number): void;
  /** Largest delay a read returns; larger (and NaN-free smaller-than-minimum) delays are clamped. */
  readonly maxDelaySamples: number;
  /** Clears per-tap state. */
  reset(): void;
  /** The value at `delaySamples`, clamped to [minDelaySamples, maxDelaySamples] (NaN → minimum). */
  read(buffer: SampleBuffer, mask: number, newest: number, delaySamples: number, tap: number): number;
  /** out[k] = read at delays[k] (clamped), tap state k. */
  readTaps(
    buffer: SampleBuffer, mask: number, newest: number,
    delays: ArrayLike<number>, out: Float64Array | Float32Array, count: number,
  ): void;
  /** out[offset + j] = read with newest − (frames − 1) + j at the (clamped) delay, tap state `tap`. */
  readBlock(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number, delaySamples: number, tap: number,
  ): void;
  /** As readBlock with delays[j] per sample, clamped to [minDelay, maxDelay]. */
  readBlockModulated(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number,
    delays: ArrayLike<number>, tap: number,
  ): void;
  getState(): Float64Array;
  setState(state: Float64Array): void;
}

/** An interpolator that is a fixed FIR for each fraction: its taps are exposed for measurement. */
export interface FirInterpolator extends Interpolator {
  /**
   * Writes the `inputLength` taps for `fraction` ∈ [0, 1) into `out`; `out[k]` weights the sample at
   * delay `floor(d) - latencySamples + k`.
   */
  taps(fraction: number, out: Float64Array): void;
}
