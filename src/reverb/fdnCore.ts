import { createInterpolator } from '../dsp/interpolators/createInterpolator.ts';
import type { Interpolator } from '../dsp/interpolators/interpolator.ts';
import { type FeedbackMatrixKind, createFeedbackMatrix } from '../dsp/feedbackMatrix.ts';
import { lastStagesAndWrite, radix2Stage, radix4Stage, readFilterGroup4 } from './hadamardKernels.ts';
import { readModulatedGroup4 } from './modulatedKernels.ts';
import { framesBeforeWrap16, fused16 } from './fused16Kernel.ts';
import { mixInPlace, tapLine, writeLines } from './generalKernels.ts';
import { readShelvedGroup4, readShelvedLine } from './shelvedKernels.ts';

/** Values below this are flushed to 0 where they are stored, so the loop never carries subnormals. */
export const FLUSH_THRESHOLD = 1e-30;
/** Upper bound of one processing chunk (samples); chunks are further limited by the shortest line. */
export const MAX_CHUNK_FRAMES = 256;

export interface FdnCoreState {
  pos: number;
  rings: Float64Array[];
  filterState: Float64Array;
  b0: Float64Array;
  pole: Float64Array;
  b0Target: Float64Array;
  poleTarget: Float64Array;
  b0Step: Float64Array;
  poleStep: Float64Array;
  coefRemaining: number;
  /** [depth, depthTarget, depthStep, phase, phaseIncrement], see `MOD_*`. */
  modulation: Float64Array;
  depthRemaining: number;
  /** Low-shelf (low-target) absorption: 1 when on, and the shelves' coefficients and state. */
  shelved: number;
  shelf: Float64Array[];
  shelfTarget: Float64Array[];
  shelfStep: Float64Array[];
  shelfState: Float64Array;
  inputState: Float64Array;
}

/** Indices into `FdnCore.modulation` (doubles live in a typed array: storing them never allocates). */
export const MOD_DEPTH = 0, MOD_TARGET = 1, MOD_STEP = 2, MOD_PHASE = 3, MOD_INCREMENT = 4;

/**
 * The loop of a feedback delay network, processed a chunk at a time: line i is a delay of m_i samples
 * followed by the one-pole s = b0_i·x + p_i·s; the filtered outputs are mixed by the orthogonal
 * matrix Q and written back with the input:
 *   s_i[n] = H_i(z)·x_i[n − m_i],  x[n] = Q·s[n] + σ ⊙ (g·(u_L + u_R), g·(u_L − u_R), …),  g = 1/√N,
 * even lines taking the sum and odd lines the difference, with seeded signs σ (so the L and R input
 * patterns are orthogonal). Stereo out: rows 0 and N/4 of Q·s for Hadamard (free in the fused last
 * stage), otherwise c_L/Rᵀ·s with seeded sign patterns of weight 1/√N (orthogonal when 4 divides N).
 * Because every line is at least m_min samples long, a chunk of up to m_min samples reads only values
 * written before it, so each stage runs as a tight loop over the chunk (the vectorised FDN); every
 * sample goes through the same arithmetic in the same order whatever the chunking, which keeps the
 * output bit-identical at every block size. Q comes from the dsp matrix registry: Hadamard runs as
 * fused radix-4 transforms (hadamardKernels.ts, 1/√N folded into b0), Householder as a rank-one update
 * and random orthogonal as a dense product (generalKernels.ts); a unit test checks each against the
 * registry's dense matrix. Modulated lines read at (m_i − 1) + D·sin(θ + 2πi/N) behind the previous
 * sample through the cubic (default) or linear interpolator (modulatedKernels.ts while coefficients
 * are at rest, the dsp Interpolator while they ramp — the same formula).
 * With a low RT60 target (`setShelved`) each line's one-pole is preceded by the low shelf of
 * threeAnchorAbsorption.ts, u = c0·x + c1·x[n−1] + q·u[n−1], read four lines at a time at rest and
 * line by line while ramping or modulated (shelvedKernels.ts, the same bits either way), then mixed by
 * the same stages; networks without one keep the one-pole kernels below unchanged (and as fast).
 * Measured with a low target (48 kHz stereo, same machine under load): FDN-8 ≈ 390×, FDN-16 ≈ 220×
 * (a fused 16-line shelved kernel, fused16Kernel.ts with the shelves added, measured no faster —
 * 226× against 225×: 80 more live doubles spill — so it was not kept).
 * Measured (48 kHz, stereo, CPU time on this 2-core machine under load): FDN-8 ≈ 460×, FDN-16 ≈ 285×
 * real time (N = 16 runs the unrolled fused16Kernel.ts, +4 %, bit-identical to the grouped kernels);
 * the first straightforward version ran 221× and 105×.
 */
export class FdnCore {
  readonly lines: number;
  readonly delaySamples: Int32Array;
  readonly maxChunkFrames: number;
  private readonly matrixKind: FeedbackMatrixKind;
  private readonly dense: Float64Array;
  private readonly writeScale: number;
  private readonly scale: Float64Array;
  /** log2(N) for the Hadamard transform. */
  private readonly stages: number;
  private readonly interpolator: Interpolator;
  private readonly cubic: boolean;
  private readonly rings: Float64Array[];
  private readonly mask: number;
  private pos = 0;
  private readonly work: Float64Array[];
  private readonly spare: Float64Array[];
  private readonly sum: Float64Array;
  private readonly sinBuf: Float64Array;
  private readonly cosBuf: Float64Array;
  private readonly depthBuf: Float64Array;
  private readonly delayBuf: Float64Array;
  /** Line i is fed σ_i·g·(u_L + u_R) (even i) or σ_i·g·(u_L − u_R) (odd i), g = 1/√N: L and R patterns orthogonal. */
  private readonly inSign: Float64Array;
  /** g = 1/√N of the input distribution. */
  readonly inputGain: number;
  private sumIn: Float64Array;
  private diffIn: Float64Array;
  readonly outGainL: Float64Array;
  readonly outGainR: Float64Array;
  private readonly cosOffset: Float64Array;
  private readonly sinOffset: Float64Array;
  readonly filterState: Float64Array;
  readonly b0: Float64Array;
  readonly pole: Float64Array;
  readonly b0Target: Float64Array;
  readonly poleTarget: Float64Array;
  private readonly b0Step: Float64Array;
  private readonly poleStep: Float64Array;
  coefRemaining = 0;
  /** Low shelves on (a low RT60 target is set): see `setShelved`. */
  shelved = false;
  /** Per-line shelf coefficients [c0, c1, q] (identity: 1, 0, 0), their targets and ramp steps. */
  readonly shelf: Float64Array[];
  readonly shelfTarget: Float64Array[];
  private readonly shelfStep: Float64Array[];
  /** [b0 step, pole step] per line, handed to the shelved kernel. */
  private readonly onePoleStep: Float64Array[];
  /** u[n−1] and x[n−1] of each line's shelf. */
  private readonly shelfState: Float64Array;
  private readonly inputState: Float64Array;
  /** Largest modulation depth (samples) this core was allocated for: half the shortest line. */
  readonly maxDepthSamples: number;
  /** Modulation state in samples and radians: [depth, target, step per sample, LFO phase, phase step]. */
  readonly modulation = new Float64Array(5);
  depthRemaining = 0;

  /** Allocates everything (call from `prepare()`). */
  constructor(delaySamples: readonly number[], matrixKind: FeedbackMatrixKind, seed: number, interpolation: 'linear' | 'cubic') {
    const n = delaySamples.length;
    this.lines = n;
    this.delaySamples = Int32Array.from(delaySamples);
    this.matrixKind = matrixKind;
    this.dense = createFeedbackMatrix(matrixKind, n, seed).toDense();
    this.writeScale = matrixKind === 'hadamard' ? 1 / Math.sqrt(n) : 1;
    this.scale = Float64Array.of(this.writeScale);
    this.stages = Math.round(Math.log2(n));
    this.interpolator = createInterpolator(interpolation);
    this.cubic = interpolation === 'cubic';
    this.interpolator.prepare(1, Math.max(...delaySamples) + Math.floor(Math.min(...delaySamples) / 2));
    const mMin = Math.min(...delaySamples);
    const mMax = Math.max(...delaySamples);
    this.maxDepthSamples = Math.floor(mMin / 2);
    this.maxChunkFrames = Math.max(1, Math.min(MAX_CHUNK_FRAMES, mMin - this.maxDepthSamples - 3));
    let size = 1;
    while (size < mMax + this.maxDepthSamples + MAX_CHUNK_FRAMES + 8) size *= 2;
    this.mask = size - 1;
    this.rings = Array.from({ length: n }, () => new Float64Array(size));
    this.work = Array.from({ length: n }, () => new Float64Array(this.maxChunkFrames));
    this.spare = Array.from({ length: n }, () => new Float64Array(this.maxChunkFrames));
    this.sum = new Float64Array(this.maxChunkFrames);
    this.sinBuf = new Float64Array(this.maxChunkFrames);
    this.cosBuf = new Float64Array(this.maxChunkFrames);
    this.depthBuf = new Float64Array(this.maxChunkFrames);
    this.delayBuf = new Float64Array(this.maxChunkFrames);
    // Signed input and output gains from a seeded xorshift: L and R patterns are orthogonal
    // (R = L·(−1)^i), which decorrelates the two outputs.
    let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
    const nextSign = () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x & 0x100 ? 1 : -1;
    };
    const g = 1 / Math.sqrt(n);
    this.inSign = new Float64Array(n);
    this.inputGain = g;
    this.sumIn = new Float64Array(this.maxChunkFrames);
    this.diffIn = new Float64Array(this.maxChunkFrames);
    this.outGainL = new Float64Array(n);
    this.outGainR = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const si = nextSign();
      const so = nextSign();
      this.inSign[i] = si;
      this.outGainL[i] = so * g;
      this.outGainR[i] = so * (i % 4 < 2 ? 1 : -1) * g;
    }
    this.cosOffset = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
    this.sinOffset = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n));
    this.filterState = new Float64Array(n);
    this.b0 = new Float64Array(n);
    this.pole = new Float64Array(n);
    this.b0Target = new Float64Array(n);
    this.poleTarget = new Float64Array(n);
    this.b0Step = new Float64Array(n);
    this.poleStep = new Float64Array(n);
    this.shelf = [new Float64Array(n).fill(1), new Float64Array(n), new Float64Array(n)];
    this.shelfTarget = [new Float64Array(n).fill(1), new Float64Array(n), new Float64Array(n)];
    this.shelfStep = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    this.onePoleStep = [this.b0Step, this.poleStep];
    this.shelfState = new Float64Array(n);
    this.inputState = new Float64Array(n);
  }

  /**
   * Turns the low shelves on or off. Switching on mid-stream (a Param event) starts each shelf as the
   * identity (c0 = 1, c1 = q = 0) with x[n−1] = u[n−1] = the line's previous sample from the ring (exact
   * for unmodulated lines), so the shelf then ramps from doing nothing to its design.
   */
  setShelved(on: boolean): void {
    if (on && !this.shelved) {
      for (let i = 0; i < this.lines; i++) {
        const previous = this.rings[i][(this.pos - this.delaySamples[i] - 1) & this.mask];
        this.inputState[i] = previous;
        this.shelfState[i] = previous;
        this.shelf[0][i] = 1;
        this.shelf[1][i] = 0;
        this.shelf[2][i] = 0;
      }
    }
    this.shelved = on;
  }

  /** Clears the signal state (rings, filters, LFO phase); keeps coefficients. */
  clear(): void {
    for (const r of this.rings) r.fill(0);
    this.filterState.fill(0);
    this.shelfState.fill(0);
    this.inputState.fill(0);
    this.pos = 0;
    this.modulation[MOD_PHASE] = 0;
  }

  /** Sets b0/pole targets (already in `b0Target`/`poleTarget`) and ramps to them over `rampFrames` (0 = at once). */
  startCoefficientRamp(rampFrames: number): void {
    if (rampFrames <= 0) {
      this.b0.set(this.b0Target);
      this.pole.set(this.poleTarget);
      for (let c = 0; c < 3; c++) {
        this.shelf[c].set(this.shelfTarget[c]);
        this.shelfStep[c].fill(0);
      }
      this.b0Step.fill(0);
      this.poleStep.fill(0);
      this.coefRemaining = 0;
      return;
    }
    for (let i = 0; i < this.lines; i++) {
      this.b0Step[i] = (this.b0Target[i] - this.b0[i]) / rampFrames;
      this.poleStep[i] = (this.poleTarget[i] - this.pole[i]) / rampFrames;
      for (let c = 0; c < 3; c++) this.shelfStep[c][i] = (this.shelfTarget[c][i] - this.shelf[c][i]) / rampFrames;
    }
    this.coefRemaining = rampFrames;
  }

  /**
   * Ramps the modulation depth to `depthTarget` (samples, clamped to `maxDepthSamples`) over
   * `rampFrames`. (The target is a field, not an argument: a double argument of a call that is not
   * inlined is boxed, which would allocate on the audio path.)
   */
  startDepthRamp(rampFrames: number): void {
    const mod = this.modulation;
    mod[MOD_TARGET] = Math.min(this.maxDepthSamples, Math.max(0, mod[MOD_TARGET]));
    if (rampFrames <= 0) {
      mod[MOD_DEPTH] = mod[MOD_TARGET];
      mod[MOD_STEP] = 0;
      this.depthRemaining = 0;
    } else {
      mod[MOD_STEP] = (mod[MOD_TARGET] - mod[MOD_DEPTH]) / rampFrames;
      this.depthRemaining = rampFrames;
    }
  }

  /** Largest chunk that may start now: never crosses the end of a running ramp. */
  chunkLimit(): number {
    let limit = this.maxChunkFrames;
    if (this.coefRemaining > 0 && this.coefRemaining < limit) limit = this.coefRemaining;
    if (this.depthRemaining > 0 && this.depthRemaining < limit) limit = this.depthRemaining;
    return limit;
  }

  /**
   * Processes `frames` ≤ chunkLimit() samples. Input: sum = g·(u_L + u_R) and diff = g·(u_L − u_R)
   * with g = `inputGain` (the caller forms them while it reads its pre-delay); wet outputs into
   * yL/yR. All arrays from index 0.
   */
  process(sum: Float64Array, diff: Float64Array, yL: Float64Array, yR: Float64Array, frames: number): void {
    const n = this.lines;
    const modulated = this.modulation[MOD_DEPTH] !== 0 || this.depthRemaining > 0;
    if (modulated) this.prepareModulation(frames);
    this.sumIn = sum;
    this.diffIn = diff;
    const grouped = this.coefRemaining === 0 && n % 4 === 0 && !this.shelved;
    const hadamard = this.matrixKind === 'hadamard' && n >= 4;
    // Stages done with the reads: one (radix 2) when log2 N is odd, two (radix 4) when even and ≥ 4.
    const first: 0 | 2 | 4 = !hadamard || n === 4 ? 0 : this.stages % 2 === 1 ? 2 : 4;
    if (grouped && !modulated && hadamard && n === 16) {
      // The fused kernel needs every read window inside its ring: split the chunk where one wraps
      // (with 16 rings most chunks cross some ring's end, and the general kernels were taking them).
      for (let start = 0; start < frames; ) {
        const pos = (this.pos + start) & this.mask;
        const end = start + framesBeforeWrap16(this.delaySamples, pos, this.mask, frames - start);
        fused16(this.rings, this.delaySamples, this.b0, this.pole, this.filterState, this.scale, this.inSign, this.sumIn, this.diffIn, pos, this.mask, yL, yR, start, end);
        start = end;
      }
      this.pos = (this.pos + frames) & this.mask;
      return;
    }
    if (this.shelved && !modulated && this.coefRemaining === 0 && n % 4 === 0) {
      for (let i = 0; i < n; i += 4) {
        readShelvedGroup4(
          this.rings, this.work, this.delaySamples, this.scale, this.b0, this.pole, this.shelf,
          this.filterState, this.shelfState, this.inputState, i, this.pos, this.mask, frames, first,
        );
      }
    } else if (grouped && !modulated) {
      for (let i = 0; i < n; i += 4) {
        readFilterGroup4(this.rings, this.work, this.delaySamples, this.b0, this.pole, this.filterState, this.scale, i, this.pos, this.mask, frames, first);
      }
    } else {
      if (grouped) {
        for (let i = 0; i < n; i += 4) {
          readModulatedGroup4(
            this.rings, this.work, this.delaySamples, this.b0, this.pole, this.filterState, this.scale,
            this.cosOffset, this.sinOffset, this.sinBuf, this.cosBuf, this.depthBuf, i, this.pos, this.mask, frames, this.cubic,
          );
        }
      } else {
        for (let i = 0; i < n; i++) {
          if (this.shelved) this.readShelved(i, frames, modulated);
          else if (modulated) this.readModulated(i, frames);
          else this.readLine(i, frames);
        }
      }
      if (first === 2) radix2Stage(this.work, n, 1, frames);
      else if (first === 4) radix4Stage(this.work, n, 1, frames);
    }
    this.advanceCoefficients(frames);
    if (hadamard) {
      const done = first === 0 ? 0 : first === 2 ? 1 : 2;
      let h = 1 << done;
      for (let remaining = this.stages - done; remaining > 2; remaining -= 2, h *= 4) radix4Stage(this.work, n, h, frames);
      lastStagesAndWrite(this.work, this.rings, this.inSign, this.sumIn, this.diffIn, n, 4, this.pos, this.mask, yL, yR, frames);
    } else {
      for (let i = 0; i < n; i++) tapLine(this.work, this.outGainL, this.outGainR, i, yL, yR, frames);
      mixInPlace(this.matrixKind, this.work, this.spare, this.dense, this.sum, n, frames);
      writeLines(this.rings, this.work, this.inSign, this.sumIn, this.diffIn, n, this.pos, this.mask, frames);
    }
    this.pos = (this.pos + frames) & this.mask;
  }

  /** Line i alone (while coefficients ramp): s = (scale·b0)·x[n − m] + p·s into work[i]. */
  private readLine(i: number, frames: number): void {
    const ring = this.rings[i];
    const mask = this.mask;
    const w = this.work[i];
    const sc = this.writeScale;
    const offset = this.pos - this.delaySamples[i];
    let s = this.filterState[i];
    let b = this.b0[i];
    let p = this.pole[i];
    if (this.coefRemaining > 0) {
      const bs = this.b0Step[i];
      const ps = this.poleStep[i];
      for (let k = 0; k < frames; k++) {
        b += bs;
        p += ps;
        s = sc * b * ring[(offset + k) & mask] + p * s;
        w[k] = s;
      }
      this.b0[i] = b;
      this.pole[i] = p;
    } else {
      const gb = sc * b;
      for (let k = 0; k < frames; k++) {
        s = gb * ring[(offset + k) & mask] + p * s;
        w[k] = s;
      }
    }
    this.filterState[i] = s;
  }

  /** Line i through its shelf and one-pole (plain or modulated read, ramping or not) into work[i]. */
  private readShelved(i: number, frames: number, modulated: boolean): void {
    const w = this.work[i];
    if (modulated) this.interpolateLine(i, frames);
    readShelvedLine(
      modulated ? w : this.rings[i], w, modulated ? 0 : this.pos - this.delaySamples[i], modulated ? -1 : this.mask, frames, i, this.scale,
      this.b0, this.pole, this.shelf, this.onePoleStep, this.shelfStep, this.filterState, this.shelfState, this.inputState, this.coefRemaining > 0,
    );
  }

  private prepareModulation(frames: number): void {
    const mod = this.modulation;
    let phase = mod[MOD_PHASE];
    const inc = mod[MOD_INCREMENT];
    let depth = mod[MOD_DEPTH];
    const step = mod[MOD_STEP];
    const ramping = this.depthRemaining > 0;
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
      this.depthRemaining -= frames;
      mod[MOD_DEPTH] = this.depthRemaining === 0 ? mod[MOD_TARGET] : depth;
    }
  }

  /** The modulated read of line i into work[i] (unfiltered). */
  private interpolateLine(i: number, frames: number): void {
    const delays = this.delayBuf;
    const m = this.delaySamples[i] - 1;
    const co = this.cosOffset[i];
    const so = this.sinOffset[i];
    for (let k = 0; k < frames; k++) delays[k] = m + this.depthBuf[k] * (this.sinBuf[k] * co + this.cosBuf[k] * so);
    // Sample pos + k is read with `newest` = pos + k − 1 (the sample before it), hence m − 1 above.
    this.interpolator.readBlockModulated(this.rings[i], this.mask, this.pos + frames - 2, this.work[i], 0, frames, delays, 0);
  }

  private readModulated(i: number, frames: number): void {
    const w = this.work[i];
    this.interpolateLine(i, frames);
    const sc = this.writeScale;
    let s = this.filterState[i];
    let b = this.b0[i];
    let p = this.pole[i];
    if (this.coefRemaining > 0) {
      const bs = this.b0Step[i];
      const ps = this.poleStep[i];
      for (let k = 0; k < frames; k++) {
        b += bs;
        p += ps;
        s = sc * b * w[k] + p * s;
        w[k] = s;
      }
      this.b0[i] = b;
      this.pole[i] = p;
    } else {
      const gb = sc * b;
      for (let k = 0; k < frames; k++) {
        s = gb * w[k] + p * s;
        w[k] = s;
      }
    }
    this.filterState[i] = s;
  }

  private advanceCoefficients(frames: number): void {
    if (this.coefRemaining <= 0) return;
    this.coefRemaining -= frames;
    if (this.coefRemaining === 0) {
      this.b0.set(this.b0Target);
      this.pole.set(this.poleTarget);
      for (let c = 0; c < 3; c++) this.shelf[c].set(this.shelfTarget[c]);
    }
  }

  /** Σ over lines of the energy stored in the last m_i samples of each line (for losslessness tests). */
  storedEnergy(): number {
    let e = 0;
    for (let i = 0; i < this.lines; i++) {
      const ring = this.rings[i];
      for (let k = 1; k <= this.delaySamples[i]; k++) {
        const v = ring[(this.pos - k) & this.mask];
        e += v * v;
      }
    }
    return e;
  }

  getState(): FdnCoreState {
    return {
      pos: this.pos,
      rings: this.rings.map((r) => r.slice()),
      filterState: this.filterState.slice(),
      b0: this.b0.slice(),
      pole: this.pole.slice(),
      b0Target: this.b0Target.slice(),
      poleTarget: this.poleTarget.slice(),
      b0Step: this.b0Step.slice(),
      poleStep: this.poleStep.slice(),
      coefRemaining: this.coefRemaining,
      modulation: this.modulation.slice(),
      depthRemaining: this.depthRemaining,
      shelved: this.shelved ? 1 : 0,
      shelf: this.shelf.map((a) => a.slice()),
      shelfTarget: this.shelfTarget.map((a) => a.slice()),
      shelfStep: this.shelfStep.map((a) => a.slice()),
      shelfState: this.shelfState.slice(),
      inputState: this.inputState.slice(),
    };
  }

  /** Restores a state taken from a core of the same configuration (throws on a mismatch: not the audio path). */
  setState(s: FdnCoreState): void {
    if (s.rings.length !== this.lines || s.rings.some((r) => r.length !== this.rings[0].length)) {
      throw new RangeError(`FdnCore.setState: the state is for a different network (${s.rings.length} lines)`);
    }
    this.pos = s.pos;
    s.rings.forEach((r, i) => this.rings[i].set(r));
    this.filterState.set(s.filterState);
    this.b0.set(s.b0);
    this.pole.set(s.pole);
    this.b0Target.set(s.b0Target);
    this.poleTarget.set(s.poleTarget);
    this.b0Step.set(s.b0Step);
    this.poleStep.set(s.poleStep);
    this.coefRemaining = s.coefRemaining;
    this.modulation.set(s.modulation);
    this.depthRemaining = s.depthRemaining;
    this.shelved = s.shelved === 1;
    for (let c = 0; c < 3; c++) {
      this.shelf[c].set(s.shelf[c]);
      this.shelfTarget[c].set(s.shelfTarget[c]);
      this.shelfStep[c].set(s.shelfStep[c]);
    }
    this.shelfState.set(s.shelfState);
    this.inputState.set(s.inputState);
  }
}
