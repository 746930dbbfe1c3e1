import { exp } from '../dsp/portableMath.ts';
import { LOSSY_RAMP_MS, type LossyControls } from './lossyControls.ts';
import { type LimiterParams, LossyParamIndex } from './lossyParams.ts';
import type { LossyStage } from './lossyStage.ts';

export interface LimiterState {
  gain: number;
  /** The ceiling's ramp: [present ceiling, target ceiling, step per frame, frames left]; absent = at rest. */
  ceiling?: [number, number, number, number];
}

/**
 * Stereo-linked peak limiter without look-ahead. Per sample, with peak = max(|L|, |R|) and ceiling c:
 * the needed gain is min(1, c/peak); the applied gain drops to it at once (instant attack) and
 * otherwise recovers towards 1 as g += (1 − g)·(1 − exp(−1/(τ·fs))), τ = releaseMs. So |output| ≤ c
 * always holds (a hard ceiling, no overshoot); the price of no look-ahead is some distortion on fast
 * transients, which suits this engine's purpose.
 * A change of `limiter.ceilingDb` moves the linear ceiling c linearly to its new value over
 * LOSSY_RAMP_MS (10 ms), from where it is: with the instant attack, a ceiling that jumped would cut the
 * level in one sample (a click: 0.46 on a 0.5 sine at 0 → −60 dB); ramped, the output moves by at most
 * |Δc|/R per sample beyond the signal's own step. At rest c is exactly 10^(ceilingDb/20), as before.
 */
export class Limiter implements LossyStage<LimiterState> {
  private release = 1;
  private gain = Number.NaN;
  private ceiling = Number.NaN;
  private ceilingTarget = Number.NaN;
  private ceilingStep = Number.NaN;
  private ceilingLeft = 0;
  private rampFrames = 1;

  constructor(private readonly params: LimiterParams, private readonly controls: LossyControls) {}

  prepare(sampleRate: number): void {
    this.release = 1 - exp(-1000 / (this.params.releaseMs * sampleRate));
    this.rampFrames = Math.max(1, Math.round((LOSSY_RAMP_MS * sampleRate) / 1000));
    this.reset();
  }

  reset(): void {
    this.gain = 1;
    this.ceiling = this.ceilingTarget = this.controls.linear[LossyParamIndex.limiterCeilingDb];
    this.ceilingStep = 0;
    this.ceilingLeft = 0;
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    const target = this.controls.linear[LossyParamIndex.limiterCeilingDb];
    if (target !== this.ceilingTarget) {
      // A new ceiling: ramp from the present one (a ramp under way restarts from where it is).
      this.ceilingTarget = target;
      this.ceilingStep = (target - this.ceiling) / this.rampFrames;
      this.ceilingLeft = this.rampFrames;
    }
    let gain = this.gain;
    let c = this.ceiling;
    let ramp = this.ceilingLeft;
    const step = this.ceilingStep;
    const rel = this.release;
    for (let i = start; i < end; i++) {
      if (ramp > 0) {
        ramp--;
        c = ramp === 0 ? target : c + step;
      }
      const peak = Math.max(Math.abs(left[i]), Math.abs(right[i]));
      gain += (1 - gain) * rel;
      if (peak * gain > c) gain = c / peak;
      left[i] *= gain;
      right[i] *= gain;
    }
    this.gain = gain;
    this.ceiling = c;
    this.ceilingLeft = ramp;
  }

  getState(): LimiterState {
    return { gain: this.gain, ceiling: [this.ceiling, this.ceilingTarget, this.ceilingStep, this.ceilingLeft] };
  }

  setState(state: LimiterState): void {
    this.gain = state.gain;
    const at = this.controls.linear[LossyParamIndex.limiterCeilingDb];
    [this.ceiling, this.ceilingTarget, this.ceilingStep, this.ceilingLeft] = state.ceiling ?? [at, at, 0, 0];
  }
}
