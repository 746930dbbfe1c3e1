import { fractionalDelayKernel } from '../testSignals/fractionalDelay.ts';
import type { SignalHistory } from './signalHistory.ts';

/** Half-width of the interpolation kernel (16 taps). */
export const ALIGNED_HALF_WIDTH = 8;

/**
 * The expected render as the capture should carry it: e(n − L), L = latencyInt + fraction, by
 * band-limited interpolation (Kaiser-windowed sinc, 16 taps: error below −84 dB up to 0.3·fs, −50 dB at
 * 0.35·fs) or a plain copy when the latency is a whole number of frames (within 1e-4). The integer part
 * moves when the residual detector finds a shift; the fraction only when it follows a sub-sample move of the
 * latency (`moveTo`). Reads before frame 0 and past the end of an ended render are zero; the render is read
 * from a SignalHistory (whole or streamed).
 */
export class AlignedRender {
  latencyInt = 0;
  integerPath = true;
  taps: Float64Array = new Float64Array(0);
  /** The latency's fraction in [0, 1) (0 on the integer path). */
  private fraction = 0;

  constructor(readonly render: SignalHistory, latencySamples: number) {
    this.moveTo(latencySamples);
  }

  /** The latency L in frames, fraction included. */
  get latencySamples(): number {
    return this.latencyInt + this.fraction;
  }

  /** Aligns to latency L from now on (whole part and the fraction's taps; within 1e-4 of a whole frame: the copy). */
  moveTo(latencySamples: number): void {
    let latencyInt = Math.floor(latencySamples);
    let fraction = latencySamples - latencyInt;
    this.integerPath = fraction < 1e-4 || fraction > 1 - 1e-4;
    if (this.integerPath) {
      latencyInt = Math.round(latencySamples);
      fraction = 0;
    }
    this.latencyInt = latencyInt;
    this.fraction = fraction;
    this.taps = fractionalDelayKernel(fraction, ALIGNED_HALF_WIDTH);
  }

  /** Render frames needed after capture frame n to interpolate at n (0 on the integer path). */
  get aheadFrames(): number {
    return this.integerPath ? 1 : ALIGNED_HALF_WIDTH;
  }

  /** e(n − L): one sample (off the hot path). */
  at(n: number): number {
    const { data, offset, end: N } = this.render;
    const m = n - this.latencyInt;
    if (this.integerPath) return m >= 0 && m < N ? data[m + offset] : 0;
    const taps = this.taps;
    const base = m + ALIGNED_HALF_WIDTH - 1;
    let acc = 0;
    if (base - taps.length + 1 >= 0 && base < N) {
      for (let t = 0; t < taps.length; t++) acc += data[base - t + offset] * taps[t];
    } else {
      for (let t = 0; t < taps.length; t++) if (base - t >= 0 && base - t < N) acc += data[base - t + offset] * taps[t];
    }
    return acc;
  }

  /** out[i] = e(n0 + i − L) for i < frames: the hot path, without per-sample calls. */
  fill(out: Float64Array | Float32Array, n0: number, frames: number): void {
    const { data, offset, end: N } = this.render;
    const m0 = n0 - this.latencyInt;
    if (m0 - ALIGNED_HALF_WIDTH < 0 || m0 + frames + ALIGNED_HALF_WIDTH >= N) {
      for (let i = 0; i < frames; i++) out[i] = this.at(n0 + i);
      return;
    }
    if (this.integerPath) {
      for (let i = 0; i < frames; i++) out[i] = data[m0 + i + offset];
      return;
    }
    const taps = this.taps;
    const T = taps.length;
    for (let i = 0; i < frames; i++) {
      const base = m0 + i + ALIGNED_HALF_WIDTH - 1 + offset;
      let acc = 0;
      for (let t = 0; t < T; t++) acc += data[base - t] * taps[t];
      out[i] = acc;
    }
  }
}
