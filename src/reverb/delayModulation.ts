import { createInterpolator } from '../dsp/interpolators/createInterpolator.ts';
import type { Interpolator } from '../dsp/interpolators/interpolator.ts';

/** Indices into `DelayModulation.state` (doubles live in a typed array: storing them never allocates). */
export const MOD_DEPTH = 0, MOD_TARGET = 1, MOD_STEP = 2, MOD_PHASE = 3, MOD_INCREMENT = 4;

/**
 * The LFO that modulates the FDN's line lengths: line i of N is read
 *   d_i[k] = (m_i − 1) + D[k]·sin(θ[k] + 2πi/N)   samples behind sample k − 1,
 * with θ advancing by 2π·rate/fs per sample (wrapped at 2π) and the depth D ≤ `maxDepthSamples` =
 * ⌊m_min/2⌋ ramping linearly to its target. `prepareChunk` fills the chunk's sin θ, cos θ and D once,
 * shared by every line (sin(θ + φ_i) = sin θ·cos φ_i + cos θ·sin φ_i, so the per-line offsets are two
 * constants); the grouped kernel (modulatedKernels.ts) reads them directly, the per-line path through
 * `readLine` and the dsp Interpolator — the same formula, the same bits.
 */
export class DelayModulation {
  /** Largest modulation depth (samples) this network was allocated for: half the shortest line. */
  readonly maxDepthSamples: number;
  /** [depth, target, step per sample, LFO phase, phase step] in samples and radians; see `MOD_*`. */
  readonly state = new Float64Array(5);
  /** Frames left in the depth ramp (0 at rest). */
  remainingFrames = 0;
  /**
   * D ≠ 0, kept wherever D is written (`startDepthRamp`, the end of a ramp in `prepareChunk`,
   * `restored`): `active` runs every period and must read no double, which V8's unoptimised tiers box.
   */
  private depthNonZero = false;
  readonly cubic: boolean;
  /** cos φ_i and sin φ_i, φ_i = 2πi/N. */
  readonly cosOffset: Float64Array;
  readonly sinOffset: Float64Array;
  /** sin θ[k], cos θ[k] and D[k] of the present chunk. */
  readonly sinBuf: Float64Array;
  readonly cosBuf: Float64Array;
  readonly depthBuf: Float64Array;
  private readonly delayBuf: Float64Array;
  private readonly interpolator: Interpolator;

  /** Allocates everything (from `FdnCore`'s constructor). */
  constructor(delaySamples: readonly number[], maxChunkFrames: number, interpolation: 'linear' | 'cubic') {
    const n = delaySamples.length;
    this.interpolator = createInterpolator(interpolation);
    this.cubic = interpolation === 'cubic';
    this.interpolator.prepare(1, Math.max(...delaySamples) + Math.floor(Math.min(...delaySamples) / 2));
    this.maxDepthSamples = Math.floor(Math.min(...delaySamples) / 2);
    this.sinBuf = new Float64Array(maxChunkFrames);
    this.cosBuf = new Float64Array(maxChunkFrames);
    this.depthBuf = new Float64Array(maxChunkFrames);
    this.delayBuf = new Float64Array(maxChunkFrames);
    this.cosOffset = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
    this.sinOffset = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n));
  }

  /** True while the depth is non-zero or still ramping: the lines are then read through the interpolator. */
  get active(): boolean {
    return this.depthNonZero || this.remainingFrames > 0;
  }

  /** Call after writing `state` and `remainingFrames` directly (a restored state). */
  restored(): void {
    this.depthNonZero = this.state[MOD_DEPTH] !== 0;
  }

  /**
   * Ramps the modulation depth to `state[MOD_TARGET]` (samples, clamped to `maxDepthSamples`) over
   * `rampFrames`. (The target is a field, not an argument: a double argument of a call that is not
   * inlined is boxed, which would allocate on the audio path.)
   */
  startDepthRamp(rampFrames: number): void {
    const mod = this.state;
    mod[MOD_TARGET] = Math.min(this.maxDepthSamples, Math.max(0, mod[MOD_TARGET]));
    if (rampFrames <= 0) {
      mod[MOD_DEPTH] = mod[MOD_TARGET];
      mod[MOD_STEP] = 0;
      this.remainingFrames = 0;
      this.restored();
    } else {
      mod[MOD_STEP] = (mod[MOD_TARGET] - mod[MOD_DEPTH]) / rampFrames;
      this.remainingFrames = rampFrames;
    }
  }

  /** Fills sin θ, cos θ and D for the next `frames` samples and advances the LFO and the depth ramp. */
  prepareChunk(frames: number): void {
    const mod = this.state;
    let phase = mod[MOD_PHASE];
    const inc = mod[MOD_INCREMENT];
    let depth = mod[MOD_DEPTH];
    const step = mod[MOD_STEP];
    const ramping = this.remainingFrames > 0;
    for (let k = 0; k < frames; k++) {
      if (ramping) depth += step;
      this.depthBuf[k] = depth;
      this.sinBuf[k] = Math.sin(phase);
      this.cosBuf[k] = Math.cos(phase);
      phase += inc;
      if (phase >= 2 * Math.PI) phase -= 2 * Math.PI;
    }
    mod[MOD_PHASE] = phase;
    if (ramping) {
      this.remainingFrames -= frames;
      mod[MOD_DEPTH] = this.remainingFrames === 0 ? mod[MOD_TARGET] : depth;
      // Inline, not restored(): a call this rare is not inlined, and would run unoptimised (boxing D).
      if (this.remainingFrames === 0) this.depthNonZero = mod[MOD_DEPTH] !== 0;
    }
  }

  /**
   * The modulated read of line i (length `delaySamples` m_i) into `out` (unfiltered), for the chunk
   * that starts at ring position `pos`.
   */
  readLine(ring: Float64Array, mask: number, pos: number, delaySamples: number, i: number, out: Float64Array, frames: number): void {
    const delays = this.delayBuf;
    const m = delaySamples - 1;
    const co = this.cosOffset[i];
    const so = this.sinOffset[i];
    for (let k = 0; k < frames; k++) delays[k] = m + this.depthBuf[k] * (this.sinBuf[k] * co + this.cosBuf[k] * so);
    // Sample pos + k is read with `newest` = pos + k − 1 (the sample before it), hence m − 1 above.
    this.interpolator.readBlockModulated(ring, mask, pos + frames - 2, out, 0, frames, delays, 0);
  }
}
