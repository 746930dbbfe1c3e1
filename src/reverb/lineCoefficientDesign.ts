import { designAbsorptionInto } from './absorptionDesign.ts';
import type { FdnCore } from './fdnCore.ts';
import { P_FEEDBACK, P_RT60, P_RT60_HIGH, P_RT60_LOW } from './reverbParamIndex.ts';
import { RT60_HIGH_HZ, RT60_LOW_HZ, RT60_MID_HZ, type ReverbParams } from './reverbParams.ts';
import { designShelvedInto } from './threeAnchorAbsorption.ts';

/**
 * Designs every line's loop coefficients from the present parameter values and starts the network's
 * ramp to them (lineCoefficients.ts), in the audio path's allocation-free form (scratch arrays made once):
 * - RT60 mode: b0_i = f·b_i and p_i from Jot's rule and the two-anchor one-pole (absorptionDesign.ts),
 *   T60(500 Hz) = rt60Seconds, T60(4 kHz) = rt60HighSeconds (NaN: follows rt60Seconds), f = feedbackGain;
 *   with the low shelves on, the three-anchor design (threeAnchorAbsorption.ts) adds T60(250 Hz) =
 *   rt60LowSeconds and the shelf [c0, c1, q].
 * - Manual mode: b0_i = f·(1 − d_i), p_i = d_i with the per-line damping d_i.
 */
export class LineCoefficientDesign {
  private readonly sampleRate: number;
  private readonly rt60Mode: boolean;
  private readonly damping: Float64Array;
  /** [m, fs, T60 mid, f mid, T60 high, f high] for designAbsorptionInto; the same plus [T60 low, f low] for the shelves. */
  private readonly spec = new Float64Array(6);
  private readonly design = new Float64Array(2);
  private readonly shelvedSpec = new Float64Array(8);
  private readonly shelvedDesign = new Float64Array(6);

  /** Allocates everything (call from `prepare()`); only the `params` read here are fixed at construction. */
  constructor(params: ReverbParams, sampleRate: number) {
    const d = params.damping;
    this.damping = Float64Array.from({ length: params.lines }, (_, i) => (typeof d === 'number' ? d : d[i]));
    this.rt60Mode = params.decayMode === 'rt60';
    this.sampleRate = sampleRate;
  }

  /** Designs each line's targets from `values` (in `REVERB_PARAM_NAMES` order) and ramps `core` to them over `rampFrames`. */
  apply(values: Float64Array, core: FdnCore, rampFrames: number): void {
    const coefs = core.coefficients;
    const feedback = values[P_FEEDBACK];
    const rt60 = values[P_RT60];
    const high = Number.isNaN(values[P_RT60_HIGH]) ? rt60 : values[P_RT60_HIGH];
    const spec = this.spec;
    spec[1] = this.sampleRate;
    spec[2] = rt60;
    spec[3] = RT60_MID_HZ;
    spec[4] = high;
    spec[5] = RT60_HIGH_HZ;
    if (core.shelved) {
      const shelved = this.shelvedSpec;
      shelved.set(spec);
      shelved[6] = values[P_RT60_LOW];
      shelved[7] = RT60_LOW_HZ;
      const out = this.shelvedDesign;
      for (let i = 0; i < core.lines; i++) {
        shelved[0] = core.delaySamples[i];
        designShelvedInto(shelved, out);
        coefs.b0Target[i] = feedback * out[0];
        coefs.poleTarget[i] = out[1];
        coefs.shelfTarget[0][i] = out[2];
        coefs.shelfTarget[1][i] = out[3];
        coefs.shelfTarget[2][i] = out[4];
      }
      coefs.startRamp(rampFrames);
      return;
    }
    for (let i = 0; i < core.lines; i++) {
      if (this.rt60Mode) {
        spec[0] = core.delaySamples[i];
        designAbsorptionInto(spec, this.design);
        coefs.b0Target[i] = feedback * this.design[0];
        coefs.poleTarget[i] = this.design[1];
      } else {
        coefs.b0Target[i] = feedback * (1 - this.damping[i]);
        coefs.poleTarget[i] = this.damping[i];
      }
    }
    coefs.startRamp(rampFrames);
  }
}
