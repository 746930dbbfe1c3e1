import type { LossyControls } from './lossyControls.ts';
import { type BitcrushParams, LossyParamIndex } from './lossyParams.ts';
import type { LossyStage } from './lossyStage.ts';

export interface BitcrushState {
  holdPhase: number;
  held: [number, number];
}

/**
 * Word-length and sample-rate reduction.
 * - Quantiser: y = round(x·q)/q with q = 2^(bitDepth−1) steps per unit (mid-tread), after clipping to
 *   ±1. Error ≤ 1/(2q): at 24 bits ≤ 2⁻²⁴ (−144 dBFS); at 8 bits ≤ 2⁻⁸ (−48 dBFS).
 * - Sample and hold: a phase accumulator advances by holdRateHz/fs per sample and takes a new input
 *   sample each time it wraps, holding it in between (no anti-alias filter: the aliasing is the effect).
 *   The phase lives on the absolute timeline, so blocks do not matter.
 * q is read from the engine's controls (`bitcrush.bitDepth` as 2^(bitDepth−1), lossyControls.ts) at each range.
 */
export class Bitcrush implements LossyStage<BitcrushState> {
  private phaseIncrement = 1;
  private holdPhase = 1;
  private heldL = 0;
  private heldR = 0;

  constructor(private readonly params: BitcrushParams, private readonly controls: LossyControls) {}

  prepare(sampleRate: number): void {
    this.phaseIncrement = this.params.holdRateHz === null ? 1 : Math.min(1, this.params.holdRateHz / sampleRate);
    this.reset();
  }

  reset(): void {
    this.holdPhase = 1;
    this.heldL = 0;
    this.heldR = 0;
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    const q = this.controls.linear[LossyParamIndex.bitDepth];
    const inv = 1 / q;
    const inc = this.phaseIncrement;
    let phase = this.holdPhase;
    let hl = this.heldL;
    let hr = this.heldR;
    for (let i = start; i < end; i++) {
      phase += inc;
      if (phase >= 1) {
        phase -= 1;
        hl = Math.round(Math.min(1, Math.max(-1, left[i])) * q) * inv;
        hr = Math.round(Math.min(1, Math.max(-1, right[i])) * q) * inv;
      }
      left[i] = hl;
      right[i] = hr;
    }
    this.holdPhase = phase;
    this.heldL = hl;
    this.heldR = hr;
  }

  getState(): BitcrushState {
    return { holdPhase: this.holdPhase, held: [this.heldL, this.heldR] };
  }

  setState(state: BitcrushState): void {
    this.holdPhase = state.holdPhase;
    [this.heldL, this.heldR] = state.held;
  }
}
