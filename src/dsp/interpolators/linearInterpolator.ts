import type { FirInterpolator, SampleBuffer } from './interpolator.ts';

/**
 * Linear interpolation: y[n] = (1 − f)·x[n − i] + f·x[n − i − 1], d = i + f.
 * |H(ω)|² = 1 − 2f(1 − f)(1 − cos ω); at f = 0.5, |H| = |cos(πf_Hz/fs)|: measured through DelayLine
 * −3.010 dB at fs/4 and −0.436 dB at fs/10, group delay exactly 0.5 sample (symmetric taps).
 * inputLength 2, latency 0. Valid for any d ≥ 0. Reference: Laakso et al., "Splitting the unit
 * delay", IEEE SP Magazine 1996.
 */
export class LinearInterpolator implements FirInterpolator {
  readonly kind = 'linear' as const;
  readonly inputLength = 2;
  readonly latencySamples = 0;
  readonly minDelaySamples = 0;
  readonly stateful = false;
  maxDelaySamples = 0;
  prepare(_tapCount: number, maxDelaySamples: number): void {
    this.maxDelaySamples = Math.max(maxDelaySamples, this.minDelaySamples);
  }
  reset(): void {}
  taps(fraction: number, out: Float64Array): void {
    out[0] = 1 - fraction;
    out[1] = fraction;
  }
  read(buffer: SampleBuffer, mask: number, newest: number, requestedDelay: number, _tap: number): number {
    const maxDelay = this.maxDelaySamples;
    const minDelay = this.minDelaySamples;
    const delaySamples = requestedDelay > maxDelay ? maxDelay : requestedDelay >= minDelay ? requestedDelay : minDelay;
    const i = Math.floor(delaySamples);
    const f = delaySamples - i;
    const a = buffer[(newest - i) & mask];
    const b = buffer[(newest - i - 1) & mask];
    return a + f * (b - a);
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
      const i = Math.floor(d);
      const f = d - i;
      const a = buffer[(newest - i) & mask];
      const b = buffer[(newest - i - 1) & mask];
      out[k] = a + f * (b - a);
    }
  }
  readBlock(
    buffer: SampleBuffer, mask: number, newest: number,
    out: Float64Array | Float32Array, offset: number, frames: number, delaySamples: number, _tap: number,
  ): void {
    const maxDelay = this.maxDelaySamples;
    const minDelay = this.minDelaySamples;
    const d = delaySamples > maxDelay ? maxDelay : delaySamples >= minDelay ? delaySamples : minDelay;
    const i = Math.floor(d);
    const f = d - i;
    const start = newest - frames + 1 - i;
    if (start - 1 >= 0) {
      // The whole window lies inside the ring without wrapping: no masking in the loop.
      for (let j = 0; j < frames; j++) {
        const a = buffer[start + j];
        out[offset + j] = a + f * (buffer[start + j - 1] - a);
      }
      return;
    }
    for (let j = 0; j < frames; j++) {
      const a = buffer[(start + j) & mask];
      const b = buffer[(start + j - 1) & mask];
      out[offset + j] = a + f * (b - a);
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
      const i = Math.floor(d);
      const f = d - i;
      const a = buffer[(at - i) & mask];
      const b = buffer[(at - i - 1) & mask];
      out[offset + j] = a + f * (b - a);
    }
  }
  getState(): Float64Array {
    return new Float64Array(0);
  }
  setState(_state: Float64Array): void {}
}
