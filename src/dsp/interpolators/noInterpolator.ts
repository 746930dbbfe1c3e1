import type { FirInterpolator, SampleBuffer } from './interpolator.ts';

/**
 * Integer delay: y[n] = x[n − ⌊d⌋]. The fractional part is dropped (truncation), so an integer delay is
 * exact and bit-identical to the input; a fraction f adds a delay error of −f samples.
 * inputLength 1, latency 0.
 */
export class NoInterpolator implements FirInterpolator {
  readonly kind = 'none' as const;
  readonly inputLength = 1;
  readonly latencySamples = 0;
  readonly minDelaySamples = 0;
  readonly stateful = false;
  maxDelaySamples = 0;
  prepare(_tapCount: number, maxDelaySamples: number): void {
    this.maxDelaySamples = Math.max(maxDelaySamples, this.minDelaySamples);
  }
  reset(): void {}
  taps(_fraction: number, out: Float64Array): void {
    out[0] = 1;
  }
  read(buffer: SampleBuffer, mask: number, newest: number, requestedDelay: number, _tap: number): number {
    const maxDelay = this.maxDelaySamples;
    const minDelay = this.minDelaySamples;
    const delaySamples = requestedDelay > maxDelay ? maxDelay : requestedDelay >= minDelay ? requestedDelay : minDelay;
    return buffer[(newest - Math.floor(delaySamples)) & mask];
  }
  readTaps(
    buffer: SampleBuffer, mask: number, newest: number,
    delays: ArrayLike<number>, out: Float64Array | Float32Array, count: number,
  ): void {
    const minDelay = this.minDelaySamples;
    const maxDelay = this.maxDelaySamples;
    for (let k = 0; k < count; k++) {
      const delay = delays[k];
      const d = delay > maxDelay ? maxDelay : delay >= minDelay ? delay : minDelay;
      out[k] = buffer[(newest - Math.floor(d)) & mask];
    }
  }
  readBlock(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number, delaySamples: number, _tap: number,
  ): void {
    const maxDelay = this.maxDelaySamples;
    const minDelay = this.minDelaySamples;
    const d = delaySamples > maxDelay ? maxDelay : delaySamples >= minDelay ? delaySamples : minDelay;
    const first = newest - frames + 1;
    for (let j = 0; j < frames; j++) {
      const at = first + j;
      out[offset + j] = buffer[(at - Math.floor(d)) & mask];
    }
  }
  readBlockModulated(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number,
    delays: ArrayLike<number>, _tap: number,
  ): void {
    const minDelay = this.minDelaySamples;
    const maxDelay = this.maxDelaySamples;
    const first = newest - frames + 1;
    for (let j = 0; j < frames; j++) {
      const at = first + j;
      const delay = delays[j];
      const d = delay > maxDelay ? maxDelay : delay >= minDelay ? delay : minDelay;
      out[offset + j] = buffer[(at - Math.floor(d)) & mask];
    }
  }
  getState(): Float64Array {
    return new Float64Array(0);
  }
  setState(_state: Float64Array): void {}
}
