import { exp } from '../dsp/portableMath.ts';
import type { LossyControls } from './lossyControls.ts';
import { type LimiterParams, LossyParamIndex } from './lossyParams.ts';
import type { LossyStage } from './lossyStage.ts';

export interface LimiterState {
  gain: number;
}

/**
 * Stereo-linked peak limiter without look-ahead. Per sample, with peak = max(|L|, |R|) and ceiling c:
 * the needed gain is min(1, c/peak); the applied gain drops to it at once (instant attack) and
 * otherwise recovers towards 1 as g += (1 − g)·(1 − exp(−1/(τ·fs))), τ = releaseMs. So |output| ≤ c
 * always holds (a hard ceiling, no overshoot); the price of no look-ahead is some distortion on fast
 * transients, which suits this engine's purpose.
 */
export class Limiter implements LossyStage<LimiterState> {
  private release = 1;
  private gain = 1;

  constructor(private readonly params: LimiterParams, private readonly controls: LossyControls) {}

  prepare(sampleRate: number): void {
    this.release = 1 - exp(-1000 / (this.params.releaseMs * sampleRate));
    this.reset();
  }

  reset(): void {
    this.gain = 1;
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    let gain = this.gain;
    const c = this.controls.linear[LossyParamIndex.limiterCeilingDb];
    const rel = this.release;
    for (let i = start; i < end; i++) {
      const peak = Math.max(Math.abs(left[i]), Math.abs(right[i]));
      gain += (1 - gain) * rel;
      if (peak * gain > c) gain = c / peak;
      left[i] *= gain;
      right[i] *= gain;
    }
    this.gain = gain;
  }

  getState(): LimiterState {
    return { gain: this.gain };
  }

  setState(state: LimiterState): void {
    this.gain = state.gain;
  }
}
