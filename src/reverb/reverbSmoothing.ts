/** Indices into `ReverbSmoothing.values`: the pre-delay (samples) and the dry/wet gains, with their targets and steps. */
export const S_PRE_DELAY = 0, S_PRE_DELAY_TARGET = 1, S_PRE_DELAY_STEP = 2;
export const S_WET = 3, S_DRY = 4, S_WET_STEP = 5, S_DRY_STEP = 6, S_WET_TARGET = 7;
/** Indices into `ReverbSmoothing.remaining`. */
export const R_PRE_DELAY = 0, R_MIX = 1;

/**
 * The smoothed parameters of `FdnReverb` that live outside the network: the pre-delay d (samples) and
 * the mix (wet w, dry 1 − w). A Param event starts a linear ramp of R frames, x += (target − x)/R per
 * sample, which lands exactly on the target when it ends; at rest the pre-delay is a whole number of
 * samples. Targets are written into `values` before a ramp starts (a double argument of a call that is
 * not inlined is boxed, which would allocate on the audio path). The two arrays are saved as they are
 * (`FdnReverbState.smooth` and `.remaining`).
 */
export class ReverbSmoothing {
  /** [preDelay, preDelayTarget, preDelayStep, wet, dry, wetStep, dryStep, wetTarget]; see `S_*`. */
  readonly values = new Float64Array(8);
  /** Frames left in the [pre-delay, mix] ramps (0 at rest); see `R_*`. */
  readonly remaining = new Int32Array(2);

  /** At rest at `preDelaySamples` (whole) and `wet`. */
  reset(preDelaySamples: number, wet: number): void {
    this.values.set([preDelaySamples, preDelaySamples, 0, wet, 1 - wet, 0, 0, wet]);
    this.remaining.fill(0);
  }

  /** Ramps the mix to wet = `values[S_WET_TARGET]` over `rampFrames` (0 = at once). */
  startWetRamp(rampFrames: number): void {
    const s = this.values;
    const value = s[S_WET_TARGET];
    if (rampFrames === 0) {
      s[S_WET] = value;
      s[S_DRY] = 1 - value;
    } else {
      s[S_WET_STEP] = (value - s[S_WET]) / rampFrames;
      s[S_DRY_STEP] = (1 - value - s[S_DRY]) / rampFrames;
    }
    this.remaining[R_MIX] = rampFrames;
  }

  /** Ramps the pre-delay to `values[S_PRE_DELAY_TARGET]` (whole samples) over `rampFrames` (0 = at once). */
  startPreDelayRamp(rampFrames: number): void {
    const s = this.values;
    if (rampFrames === 0) s[S_PRE_DELAY] = s[S_PRE_DELAY_TARGET];
    else s[S_PRE_DELAY_STEP] = (s[S_PRE_DELAY_TARGET] - s[S_PRE_DELAY]) / rampFrames;
    this.remaining[R_PRE_DELAY] = rampFrames;
  }

  /** `frames`, shortened so that a chunk never crosses the end of a running ramp. */
  chunkLimit(frames: number): number {
    const r = this.remaining;
    let n = frames;
    if (r[R_PRE_DELAY] > 0 && r[R_PRE_DELAY] < n) n = r[R_PRE_DELAY];
    if (r[R_MIX] > 0 && r[R_MIX] < n) n = r[R_MIX];
    return n;
  }
}
