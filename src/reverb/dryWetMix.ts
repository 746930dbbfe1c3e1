import { R_MIX, type ReverbSmoothing, S_DRY, S_DRY_STEP, S_WET, S_WET_STEP, S_WET_TARGET } from './reverbSmoothing.ts';

/** Output magnitudes at or below this (subnormals included) are written as 0, as are those ≥ 1e30 and NaN. */
export const FLUSH_THRESHOLD = 1e-30;

/**
 * The output stage of `FdnReverb` over one chunk:
 *   out_L/R[off + k] = dry·x_L/R[k] + wet·y_L/R[k]
 * (x the cleaned input, y the network's wet output), with wet and dry stepping before every sample while
 * the mix ramps (`ReverbSmoothing`; at the ramp's end they are set to w and 1 − w exactly), and every
 * result outside FLUSH_THRESHOLD < |v| < 1e30 written as 0: no NaN, Inf or subnormal leaves the engine.
 */
export function mixDryWet(
  cleanL: Float64Array, cleanR: Float64Array, yL: Float64Array, yR: Float64Array, smoothing: ReverbSmoothing,
  oL: Float32Array, oR: Float32Array, off: number, n: number,
): void {
  const { values: smooth, remaining } = smoothing;
  let wet = smooth[S_WET];
  let dry = smooth[S_DRY];
  const mixRamping = remaining[R_MIX] > 0;
  if (mixRamping) {
    const ws = smooth[S_WET_STEP];
    const ds = smooth[S_DRY_STEP];
    for (let k = 0; k < n; k++) {
      wet += ws;
      dry += ds;
      const l = dry * cleanL[k] + wet * yL[k];
      const r = dry * cleanR[k] + wet * yR[k];
      const al = Math.abs(l);
      const ar = Math.abs(r);
      oL[off + k] = al > FLUSH_THRESHOLD && al < 1e30 ? l : 0;
      oR[off + k] = ar > FLUSH_THRESHOLD && ar < 1e30 ? r : 0;
    }
  } else {
    for (let k = 0; k < n; k++) {
      const l = dry * cleanL[k] + wet * yL[k];
      const r = dry * cleanR[k] + wet * yR[k];
      const al = Math.abs(l);
      const ar = Math.abs(r);
      oL[off + k] = al > FLUSH_THRESHOLD && al < 1e30 ? l : 0;
      oR[off + k] = ar > FLUSH_THRESHOLD && ar < 1e30 ? r : 0;
    }
  }
  if (mixRamping) {
    remaining[R_MIX] -= n;
    if (remaining[R_MIX] === 0) {
      smooth[S_WET] = smooth[S_WET_TARGET];
      smooth[S_DRY] = 1 - smooth[S_WET_TARGET];
    } else {
      smooth[S_WET] = wet;
      smooth[S_DRY] = dry;
    }
  }
}
