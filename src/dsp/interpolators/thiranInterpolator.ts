import type { Interpolator, SampleBuffer } from './interpolator.ts';

/** Lower end of the allpass's fractional range; Δ stays in [THIRAN_MIN_DELTA, THIRAN_MIN_DELTA + 1). */
export const THIRAN_MIN_DELTA = 0.1;

/**
 * First-order Thiran allpass for fixed (or slowly varying) delays. With d = M + Δ,
 * M = ⌊d − 0.1⌋ and Δ ∈ [0.1, 1.1): u[n] = x[n − M],
 * y[n] = η·u[n] + u[n − 1] − η·y[n − 1], η = (1 − Δ)/(1 + Δ).
 * |H(ω)| = 1 exactly (measured through DelayLine: within 1e-9 dB after settling); the phase delay is Δ
 * at DC. Δ is kept ≥ 0.1 so the pole −η stays inside |z| ≤ 0.82 and the transient decays in a few
 * dozen samples. Recursive: each tap keeps y[n − 1], so every tap must be read once per sample in time
 * order, and it is not for random access. Reference: Välimäki & Laakso, "Principles of fractional
 * delay filters", ICASSP 2000; Smith, PASP, "Thiran allpass interpolators".
 */
export class ThiranInterpolator implements Interpolator {
  readonly kind = 'thiran' as const;
  readonly inputLength = 2;
  readonly latencySamples = 0;
  readonly minDelaySamples = THIRAN_MIN_DELTA;
  readonly stateful = true;
  private previousOutput = new Float64Array(1);

  maxDelaySamples = THIRAN_MIN_DELTA;

  prepare(tapCount: number, maxDelaySamples: number): void {
    this.maxDelaySamples = Math.max(maxDelaySamples, THIRAN_MIN_DELTA);
    if (this.previousOutput.length !== tapCount) this.previousOutput = new Float64Array(Math.max(1, tapCount));
  }
  reset(): void {
    this.previousOutput.fill(0);
  }
  read(buffer: SampleBuffer, mask: number, newest: number, requestedDelay: number, tap: number): number {
    const maxDelay = this.maxDelaySamples;
    const minDelay = this.minDelaySamples;
    const delaySamples = requestedDelay > maxDelay ? maxDelay : requestedDelay >= minDelay ? requestedDelay : minDelay;
    const m = Math.floor(delaySamples - THIRAN_MIN_DELTA);
    const delta = delaySamples - m;
    const eta = (1 - delta) / (1 + delta);
    const u0 = buffer[(newest - m) & mask];
    const u1 = buffer[(newest - m - 1) & mask];
    let y = eta * (u0 - this.previousOutput[tap]) + u1;
    if (y < 1e-30 && y > -1e-30) y = 0;
    this.previousOutput[tap] = y;
    return y;
  }
  readTaps(
    buffer: SampleBuffer, mask: number, newest: number,
    delays: ArrayLike<number>, out: Float64Array | Float32Array, count: number,
  ): void {
    for (let k = 0; k < count; k++) out[k] = this.read(buffer, mask, newest, delays[k], k);
  }
  readBlock(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number, delaySamples: number, tap: number,
  ): void {
    const first = newest - frames + 1;
    for (let j = 0; j < frames; j++) out[offset + j] = this.read(buffer, mask, first + j, delaySamples, tap);
  }
  readBlockModulated(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number,
    delays: ArrayLike<number>, tap: number,
  ): void {
    const first = newest - frames + 1;
    for (let j = 0; j < frames; j++) out[offset + j] = this.read(buffer, mask, first + j, delays[j], tap);
  }
  getState(): Float64Array {
    return this.previousOutput.slice();
  }
  setState(state: Float64Array): void {
    if (state.length !== this.previousOutput.length) this.previousOutput = new Float64Array(state.length);
    this.previousOutput.set(state);
  }
}
