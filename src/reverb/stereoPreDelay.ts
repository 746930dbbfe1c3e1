import { MAX_CHUNK_FRAMES } from './fdnCore.ts';
import { MAX_PRE_DELAY_SAMPLES } from './reverbParams.ts';
import { R_PRE_DELAY, type ReverbSmoothing, S_PRE_DELAY, S_PRE_DELAY_STEP, S_PRE_DELAY_TARGET } from './reverbSmoothing.ts';

/**
 * The input stage of `FdnReverb`, a chunk at a time: the stereo input with NaN/Inf and |x| ≥ 1e9
 * replaced by 0 (`cleanL/R`, also the dry path), delayed by d samples, then formed into the network's
 * inputs sum = g·(u_L + u_R) and diff = g·(u_L − u_R) (g = 1/√N, see FdnCore and stereoTaps.ts).
 * At rest d is whole and u[n] = x[n − d] exactly; while d ramps (`ReverbSmoothing`) it is read
 * by linear interpolation between the two nearest samples, u = x[n − ⌊d⌋] + f·(x[n − ⌊d⌋ − 1] − x[n − ⌊d⌋]).
 * The ring holds max(500 ms, `MAX_PRE_DELAY_SAMPLES`) plus a chunk, a power of two indexed with a mask.
 */
export class StereoPreDelay {
  /** The delay rings (saved as `FdnReverbState.preL/preR`). */
  readonly left: Float64Array;
  readonly right: Float64Array;
  /** Write position in the rings. */
  pos = 0;
  /** The chunk's input with non-finite and huge samples replaced by 0 (the dry signal). */
  readonly cleanL: Float64Array;
  readonly cleanR: Float64Array;
  /** The chunk's network inputs g·(u_L + u_R) and g·(u_L − u_R). */
  readonly sum: Float64Array;
  readonly diff: Float64Array;
  readonly mask: number;
  /** g of the network's input (1/√N). */
  readonly inputGain: number;
  private readonly smoothing: ReverbSmoothing;

  /** Samples in each ring at this rate (a power of two). */
  static ringFrames(sampleRate: number): number {
    let size = 1;
    while (size < Math.max(Math.ceil((500 * sampleRate) / 1000), MAX_PRE_DELAY_SAMPLES) + MAX_CHUNK_FRAMES + 4) size *= 2;
    return size;
  }

  /**
   * Allocates everything (call from `prepare()`); `inputGain` is the network's g. `alloc` makes the two
   * rings (FdnReverb puts them in its WebAssembly memory, shared with its rest kernel).
   */
  constructor(
    sampleRate: number, maxChunkFrames: number, inputGain: number, smoothing: ReverbSmoothing,
    alloc: (length: number) => Float64Array = (length) => new Float64Array(length),
  ) {
    const size = StereoPreDelay.ringFrames(sampleRate);
    this.left = alloc(size);
    this.right = alloc(size);
    this.mask = size - 1;
    this.cleanL = new Float64Array(maxChunkFrames);
    this.cleanR = new Float64Array(maxChunkFrames);
    this.sum = new Float64Array(maxChunkFrames);
    this.diff = new Float64Array(maxChunkFrames);
    this.inputGain = inputGain;
    this.smoothing = smoothing;
  }

  clear(): void {
    this.left.fill(0);
    this.right.fill(0);
    this.pos = 0;
  }

  /** The two rings, for clearing in pieces (FdnReverb.resetSteps: then `rewind()`). */
  get rings(): readonly [Float64Array, Float64Array] {
    return [this.left, this.right];
  }

  /** clear() but the rings: the position back to the start. */
  rewind(): void {
    this.pos = 0;
  }

  /** Reads `n` ≤ one chunk of input from `off` into `cleanL/R` and `sum`/`diff` (from index 0). */
  process(xL: Float32Array, xR: Float32Array, off: number, n: number): void {
    const { cleanL, cleanR, sum, diff, left: preL, right: preR } = this;
    const { values: smooth, remaining } = this.smoothing;
    const pm = this.mask;
    const p0 = this.pos;
    const g = this.inputGain;
    let d = smooth[S_PRE_DELAY];
    if (remaining[R_PRE_DELAY] === 0) {
      // At rest the delay is a whole number d ≥ 0 of samples: sample k reads what was written d
      // samples earlier — in this loop or a previous chunk — so the write, the read and the sums share one pass.
      const base = p0 - d;
      for (let k = 0; k < n; k++) {
        const x = xL[off + k];
        const y = xR[off + k];
        const a = x > -1e9 && x < 1e9 ? x : 0;
        const b = y > -1e9 && y < 1e9 ? y : 0;
        cleanL[k] = a;
        cleanR[k] = b;
        preL[(p0 + k) & pm] = a;
        preR[(p0 + k) & pm] = b;
        const i0 = (base + k) & pm;
        const u = preL[i0];
        const v = preR[i0];
        sum[k] = g * (u + v);
        diff[k] = g * (u - v);
      }
      this.pos = (p0 + n) & pm;
      return;
    }
    for (let k = 0; k < n; k++) {
      const a = xL[off + k];
      const b = xR[off + k];
      cleanL[k] = a > -1e9 && a < 1e9 ? a : 0;
      cleanR[k] = b > -1e9 && b < 1e9 ? b : 0;
      preL[(p0 + k) & pm] = cleanL[k];
      preR[(p0 + k) & pm] = cleanR[k];
    }
    const dStep = smooth[S_PRE_DELAY_STEP];
    for (let k = 0; k < n; k++) {
      d += dStep;
      const di = Math.floor(d);
      const f = d - di;
      const i0 = (p0 + k - di) & pm;
      const i1 = (i0 - 1) & pm;
      const a = preL[i0] + f * (preL[i1] - preL[i0]);
      const b = preR[i0] + f * (preR[i1] - preR[i0]);
      sum[k] = g * (a + b);
      diff[k] = g * (a - b);
    }
    remaining[R_PRE_DELAY] -= n;
    smooth[S_PRE_DELAY] = remaining[R_PRE_DELAY] === 0 ? smooth[S_PRE_DELAY_TARGET] : d;
    this.pos = (p0 + n) & pm;
  }
}
