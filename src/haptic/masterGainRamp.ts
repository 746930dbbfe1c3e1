/** A change of `masterGainDb` reaches its new gain along a linear ramp of this length (no click). */
export const MASTER_GAIN_RAMP_MS = 10;

/** Indices into `MasterGainRamp.values`. */
export const R_RATIO = 0, R_STEP = 1, R_TARGET = 2, R_TARGET_DB = 3, R_BAKED_DB = 4;

/**
 * The haptic engine's master-gain ramp. The master gain G is baked into every tap and standing gain
 * (travellingWaves.ts, standingWaves.ts), so a change cannot take effect sample by sample there; instead
 * the mixed output (before the ±1 clip) is multiplied by a ratio r that moves linearly from where it
 * is to G_new/G_baked over R = round(MASTER_GAIN_RAMP_MS·fs/1000) frames, r += (target − r)/R per frame,
 * landing exactly on the target; then the engine bakes G_new and r is 1 again. The effective gain
 * G_baked·r is thus linear in time, and a jump steps each sample by at most |ΔG|/R·max|mix| beyond the
 * signal's own step. Frames are counted on the absolute timeline (the engine splits spans at the ramp's
 * end), so the output does not depend on block sizes. At rest nothing is multiplied (the same bits as
 * without the ramp). Doubles live in `values` (a typed array: nothing is boxed on the audio path).
 */
export class MasterGainRamp {
  /** [ratio r, step per frame, target ratio, target gain in dB, gain baked into the taps in dB]; see `R_*`. */
  readonly values = Float64Array.of(1, 0, 1, Number.NaN, Number.NaN);
  /** Frames left in the ramp (0: at rest, r = 1). */
  framesLeft = 0;
  private rampFrames = 1;
  /** The ratio of each frame of the present span (one multiply per frame and output, from it). */
  private ratios = new Float64Array(0);

  prepare(sampleRate: number, maxBlockFrames: number): void {
    this.rampFrames = Math.max(1, Math.round((MASTER_GAIN_RAMP_MS * sampleRate) / 1000));
    this.ratios = new Float64Array(maxBlockFrames);
  }

  /** At rest at `gainDb` (the gain baked into the taps). */
  reset(gainDb: number): void {
    this.values[R_RATIO] = 1;
    this.values[R_STEP] = 0;
    this.values[R_TARGET] = 1;
    this.values[R_TARGET_DB] = gainDb;
    this.values[R_BAKED_DB] = gainDb;
    this.framesLeft = 0;
  }

  /**
   * Ramps from where the ratio is towards the gain `values[R_TARGET_DB]`, the taps holding
   * `values[R_BAKED_DB]` (both written by the caller: a double passed to a call V8 does not inline is
   * boxed). A ramp under way restarts from its present ratio.
   */
  start(): void {
    const v = this.values;
    v[R_TARGET] = 10 ** (v[R_TARGET_DB] / 20) / 10 ** (v[R_BAKED_DB] / 20);
    v[R_STEP] = (v[R_TARGET] - v[R_RATIO]) / this.rampFrames;
    this.framesLeft = this.rampFrames;
  }

  /**
   * Multiplies frames [offset, offset + n) of `numT` outputs (float32 words at `outWord + t·stride`) by
   * the ramp, n ≤ framesLeft. Returns 1 when the ramp ended on the last of them (the caller then bakes
   * the target gain), else 0.
   */
  apply(f32: Float32Array, outWord: number, stride: number, numT: number, offset: number, n: number): number {
    const v = this.values;
    const ratios = this.ratios;
    let r = v[R_RATIO];
    let left = this.framesLeft;
    const step = v[R_STEP];
    const target = v[R_TARGET];
    for (let i = 0; i < n; i++) {
      left--;
      r = left === 0 ? target : r + step;
      ratios[i] = r;
    }
    for (let t = 0; t < numT; t++) {
      const o = outWord + t * stride + offset;
      for (let i = 0; i < n; i++) f32[o + i] *= ratios[i];
    }
    this.framesLeft = left;
    if (left > 0) {
      v[R_RATIO] = r;
      return 0;
    }
    v[R_RATIO] = 1;
    v[R_STEP] = 0;
    v[R_TARGET] = 1;
    return 1;
  }
}
