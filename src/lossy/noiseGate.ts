import { dbToGain, exp } from '../dsp/portableMath.ts';
import type { LossyControls } from './lossyControls.ts';
import { type GateParams, LossyParamIndex } from './lossyParams.ts';
import type { LossyStage } from './lossyStage.ts';

export interface NoiseGateState {
  gain: number;
  holdFramesLeft: number;
}

/** One-pole smoothing coefficient reaching 1 − 1/e of a step in `ms`: c = 1 − exp(−1 / (τ·fs)). */
const coefficient = (ms: number, sampleRate: number): number => 1 - exp(-1000 / (ms * sampleRate));

/**
 * Stereo-linked noise gate. The detector is the instantaneous peak max(|L|, |R|); while it exceeds the
 * threshold (and for `holdMs` after) the target gain is 1, otherwise 10^(rangeDb/20). The applied gain
 * follows the target through a one-pole smoother with separate attack (opening) and release (closing)
 * time constants, so the gate never steps by more than (1 − range)·c per sample.
 */
export class NoiseGate implements LossyStage<NoiseGateState> {
  private floorGain = 0;
  private attack = 1;
  private release = 1;
  private holdFrames = 0;
  private gain = 0;
  private holdFramesLeft = 0;

  constructor(private readonly params: GateParams, private readonly controls: LossyControls) {}

  prepare(sampleRate: number): void {
    this.floorGain = dbToGain(this.params.rangeDb);
    this.attack = coefficient(this.params.attackMs, sampleRate);
    this.release = coefficient(this.params.releaseMs, sampleRate);
    this.holdFrames = Math.round((this.params.holdMs * sampleRate) / 1000);
    this.reset();
  }

  reset(): void {
    this.gain = this.floorGain;
    this.holdFramesLeft = 0;
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    let gain = this.gain;
    let hold = this.holdFramesLeft;
    const floor = this.floorGain;
    const threshold = this.controls.linear[LossyParamIndex.gateThresholdDb];
    for (let i = start; i < end; i++) {
      const level = Math.max(Math.abs(left[i]), Math.abs(right[i]));
      if (level > threshold) hold = this.holdFrames + 1;
      let target = floor;
      if (hold > 0) {
        target = 1;
        hold--;
      }
      gain += (target - gain) * (target > gain ? this.attack : this.release);
      left[i] *= gain;
      right[i] *= gain;
    }
    this.gain = gain;
    this.holdFramesLeft = hold;
  }

  getState(): NoiseGateState {
    return { gain: this.gain, holdFramesLeft: this.holdFramesLeft };
  }

  setState(state: NoiseGateState): void {
    this.gain = state.gain;
    this.holdFramesLeft = state.holdFramesLeft;
  }
}
