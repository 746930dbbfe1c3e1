import { type FeedbackMatrixKind, createFeedbackMatrix } from '../dsp/feedbackMatrix.ts';
import { DelayModulation, MOD_PHASE } from './delayModulation.ts';
import type { FdnArrays } from './fdnArrays.ts';
import type { FdnCoreState } from './fdnCoreState.ts';
import { framesBeforeWrap16, fused16 } from './fused16Kernel.ts';
import { mixInPlace, tapLine, writeLines } from './generalKernels.ts';
import { lastStagesAndWrite, radix2Stage, radix4Stage, readFilterGroup4 } from './hadamardKernels.ts';
import { LineCoefficients } from './lineCoefficients.ts';
import { readModulatedGroup4 } from './modulatedKernels.ts';
import { readOnePoleLine } from './onePoleKernels.ts';
import { readShelvedGroup4, readShelvedLine } from './shelvedKernels.ts';
import { stereoTaps } from './stereoTaps.ts';

/** Upper bound of one processing chunk (samples); chunks are further limited by the shortest line. */
export const MAX_CHUNK_FRAMES = 256;

/**
 * The loop of a feedback delay network, processed a chunk at a time: line i is a delay of m_i samples
 * followed by the one-pole s = b0_i·x + p_i·s; the filtered outputs are mixed by the orthogonal
 * matrix Q and written back with the input:
 *   s_i[n] = H_i(z)·x_i[n − m_i],  x[n] = Q·s[n] + σ ⊙ (g·(u_L + u_R), g·(u_L − u_R), …),  g = 1/√N,
 * with the seeded input signs σ and output gains of stereoTaps.ts. Stereo out: rows 0 and N/4 of Q·s
 * for Hadamard (free in the fused last stage), otherwise c_L/Rᵀ·s (stereoTaps.ts).
 * Because every line is at least m_min samples long, a chunk of up to m_min samples reads only values
 * written before it, so each stage runs as a tight loop over the chunk (the vectorised FDN); every
 * sample goes through the same arithmetic in the same order whatever the chunking, which keeps the
 * output bit-identical at every block size. Q comes from the dsp matrix registry: Hadamard runs as
 * fused radix-4 transforms (hadamardKernels.ts, 1/√N folded into b0), Householder as a rank-one update
 * and random orthogonal as a dense product (generalKernels.ts); a unit test checks each against the
 * registry's dense matrix. Modulated lines read at (m_i − 1) + D·sin(θ + 2πi/N) behind the previous
 * sample (delayModulation.ts) through the cubic (default) or linear interpolator (modulatedKernels.ts
 * while coefficients are at rest, the dsp Interpolator while they ramp — the same formula).
 * With a low RT60 target (`setShelved`) each line's one-pole is preceded by the low shelf of
 * threeAnchorAbsorption.ts, u = c0·x + c1·x[n−1] + q·u[n−1], read four lines at a time at rest and
 * line by line while ramping or modulated (shelvedKernels.ts, the same bits either way), then mixed by
 * the same stages; networks without one keep the one-pole kernels unchanged (and as fast). The
 * coefficients and their ramps live in lineCoefficients.ts; `process` only picks the kernels.
 * A fused 16-line shelved kernel (fused16Kernel.ts with the shelves added) measured no faster than the
 * grouped one — its 80 more live doubles spill — so it was not kept.
 * These JavaScript kernels are the reference. At rest (`atRest()`, pre-delay and mix at rest too),
 * FdnReverb renders Hadamard networks of 4…32 lines with its WebAssembly rest kernel instead
 * (fdnRestKernel.ts, bit-identical). Measured here, the whole reverb on these kernels (48 kHz stereo,
 * CPU time, this 2-core machine under load): `npm run bench -- fdn8_js_kernel fdn16_js_kernel`
 * 459× / 296× real time (N = 16 runs fused16Kernel.ts); `fdn16_low_target_stereo` (shelved) 177×.
 */
export class FdnCore {
  readonly lines: number;
  readonly delaySamples: Int32Array;
  readonly maxChunkFrames: number;
  private readonly matrixKind: FeedbackMatrixKind;
  private readonly dense: Float64Array;
  /** [1/√N] for Hadamard (folded into b0), [1] otherwise: a typed array, so no kernel call boxes it. */
  readonly scale: Float64Array;
  /** log2(N) for the Hadamard transform. */
  private readonly stages: number;
  /** The delay lines, rings of `ringFrames(delaySamples)` samples indexed with `mask`. */
  readonly rings: Float64Array[];
  readonly mask: number;
  /** The rings' write position (a kernel that renders outside `process` moves it with `advance`). */
  pos = 0;
  private readonly work: Float64Array[];
  private readonly spare: Float64Array[];
  private readonly sum: Float64Array;
  /** σ_i of stereoTaps.ts. */
  readonly inSign: Float64Array;
  /** g = 1/√N of the input distribution (stereoTaps.ts). */
  readonly inputGain: number;
  readonly outGainL: Float64Array;
  readonly outGainR: Float64Array;
  /** s[n−1] of each line's one-pole. */
  readonly filterState: Float64Array;
  /** The one-pole and shelf coefficients, their targets and ramps. */
  readonly coefficients: LineCoefficients;
  /** Low shelves on (a low RT60 target is set): see `setShelved`. */
  shelved = false;
  /** u[n−1] and x[n−1] of each line's shelf. */
  private readonly shelfState: Float64Array;
  private readonly inputState: Float64Array;
  /** The LFO of the line lengths, its depth ramp and the chunk's LFO samples. */
  readonly modulation: DelayModulation;
  /** Every array above, gathered once for the kernels (fdnArrays.ts). */
  private readonly arrays: FdnArrays;

  /** Samples in each ring for these line lengths: a power of two with room for modulation and a chunk. */
  static ringFrames(delaySamples: readonly number[]): number {
    const maxDepthSamples = Math.floor(Math.min(...delaySamples) / 2);
    let size = 1;
    while (size < Math.max(...delaySamples) + maxDepthSamples + MAX_CHUNK_FRAMES + 8) size *= 2;
    return size;
  }

  /**
   * Allocates everything (call from `prepare()`). `alloc` makes the rings and `filterState` (by default
   * plain arrays; FdnReverb carves them out of its WebAssembly memory so its rest kernel shares them);
   * `coefficientAlloc` the coefficient arrays (FdnReverb: its design kernel's memory).
   */
  constructor(
    delaySamples: readonly number[], matrixKind: FeedbackMatrixKind, seed: number, interpolation: 'linear' | 'cubic',
    alloc: (length: number) => Float64Array = (length) => new Float64Array(length),
    coefficientAlloc: (length: number) => Float64Array = (length) => new Float64Array(length),
  ) {
    const n = delaySamples.length;
    this.lines = n;
    this.delaySamples = Int32Array.from(delaySamples);
    this.matrixKind = matrixKind;
    this.dense = createFeedbackMatrix(matrixKind, n, seed).toDense();
    this.scale = Float64Array.of(matrixKind === 'hadamard' ? 1 / Math.sqrt(n) : 1);
    this.stages = Math.round(Math.log2(n));
    const mMin = Math.min(...delaySamples);
    const maxDepthSamples = Math.floor(mMin / 2);
    this.maxChunkFrames = Math.max(1, Math.min(MAX_CHUNK_FRAMES, mMin - maxDepthSamples - 3));
    this.modulation = new DelayModulation(delaySamples, this.maxChunkFrames, interpolation);
    const size = FdnCore.ringFrames(delaySamples);
    this.mask = size - 1;
    this.rings = Array.from({ length: n }, () => alloc(size));
    this.work = Array.from({ length: n }, () => new Float64Array(this.maxChunkFrames));
    this.spare = Array.from({ length: n }, () => new Float64Array(this.maxChunkFrames));
    this.sum = new Float64Array(this.maxChunkFrames);
    const taps = stereoTaps(n, seed);
    this.inSign = taps.inSign;
    this.inputGain = taps.inputGain;
    this.outGainL = taps.outGainL;
    this.outGainR = taps.outGainR;
    this.filterState = alloc(n);
    this.coefficients = new LineCoefficients(n, coefficientAlloc);
    this.shelfState = new Float64Array(n);
    this.inputState = new Float64Array(n);
    const c = this.coefficients;
    const m = this.modulation;
    this.arrays = {
      rings: this.rings, work: this.work, delays: this.delaySamples, scale: this.scale,
      b0: c.b0, pole: c.pole, b0Step: c.b0Step, poleStep: c.poleStep, onePoleStep: c.onePoleStep, shelf: c.shelf, shelfStep: c.shelfStep,
      filterState: this.filterState, shelfState: this.shelfState, inputState: this.inputState, inSign: this.inSign,
      cosOffset: m.cosOffset, sinOffset: m.sinOffset, sinBuf: m.sinBuf, cosBuf: m.cosBuf, depthBuf: m.depthBuf,
    };
  }

  /**
   * Turns the low shelves on or off. Switching on mid-stream (a Param event) starts each shelf as the
   * identity (c0 = 1, c1 = q = 0) with x[n−1] = u[n−1] = the line's previous sample from the ring (exact
   * for unmodulated lines), so the shelf then ramps from doing nothing to its design.
   */
  setShelved(on: boolean): void {
    if (on && !this.shelved) {
      const shelf = this.coefficients.shelf;
      for (let i = 0; i < this.lines; i++) {
        const previous = this.rings[i][(this.pos - this.delaySamples[i] - 1) & this.mask];
        this.inputState[i] = previous;
        this.shelfState[i] = previous;
        shelf[0][i] = 1;
        shelf[1][i] = 0;
        shelf[2][i] = 0;
      }
    }
    this.shelved = on;
  }

  /** Clears the signal state (rings, filters, LFO phase); keeps coefficients. */
  clear(): void {
    for (const r of this.rings) r.fill(0);
    this.clearFilters();
  }

  /** clear() but the rings (FdnReverb clears those in pieces): filters, write position, LFO phase. */
  clearFilters(): void {
    this.filterState.fill(0);
    this.shelfState.fill(0);
    this.inputState.fill(0);
    this.pos = 0;
    this.modulation.state[MOD_PHASE] = 0;
  }

  /**
   * True while nothing ramps or moves: coefficients at rest, no delay modulation, no low shelves — the
   * state in which the network is a fixed linear recursion (FdnReverb's rest kernel covers it).
   */
  atRest(): boolean {
    return this.coefficients.remainingFrames === 0 && !this.modulation.active && !this.shelved;
  }

  /** Moves the write position on by `frames` processed outside `process` (by a kernel that did the same work). */
  advance(frames: number): void {
    this.pos = (this.pos + frames) & this.mask;
  }

  /** Largest chunk that may start now: never crosses the end of a running ramp. */
  chunkLimit(): number {
    let limit = this.maxChunkFrames;
    const coefRemaining = this.coefficients.remainingFrames;
    const depthRemaining = this.modulation.remainingFrames;
    if (coefRemaining > 0 && coefRemaining < limit) limit = coefRemaining;
    if (depthRemaining > 0 && depthRemaining < limit) limit = depthRemaining;
    return limit;
  }

  /**
   * Processes `frames` ≤ chunkLimit() samples. Input: sum = g·(u_L + u_R) and diff = g·(u_L − u_R)
   * with g = `inputGain` (the caller forms them while it reads its pre-delay); wet outputs into
   * yL/yR. All arrays from index 0.
   */
  process(sum: Float64Array, diff: Float64Array, yL: Float64Array, yR: Float64Array, frames: number): void {
    const n = this.lines;
    const net = this.arrays;
    const c = this.coefficients;
    const mod = this.modulation;
    const modulated = mod.active;
    if (modulated) mod.prepareChunk(frames);
    const grouped = c.remainingFrames === 0 && n % 4 === 0 && !this.shelved;
    const hadamard = this.matrixKind === 'hadamard' && n >= 4;
    // Stages done with the reads: one (radix 2) when log2 N is odd, two (radix 4) when even and ≥ 4.
    const first: 0 | 2 | 4 = !hadamard || n === 4 ? 0 : this.stages % 2 === 1 ? 2 : 4;
    if (grouped && !modulated && hadamard && n === 16) {
      // The fused kernel needs every read window inside its ring: split the chunk where one wraps
      // (with 16 rings most chunks cross some ring's end, and the general kernels were taking them).
      for (let start = 0; start < frames; ) {
        const pos = (this.pos + start) & this.mask;
        const end = start + framesBeforeWrap16(this.delaySamples, pos, this.mask, frames - start);
        fused16(net, sum, diff, pos, this.mask, yL, yR, start, end);
        start = end;
      }
      this.pos = (this.pos + frames) & this.mask;
      return;
    }
    if (this.shelved && !modulated && c.remainingFrames === 0 && n % 4 === 0) {
      for (let i = 0; i < n; i += 4) {
        readShelvedGroup4(net, i, this.pos, this.mask, frames, first);
      }
    } else if (grouped && !modulated) {
      for (let i = 0; i < n; i += 4) {
        readFilterGroup4(net, i, this.pos, this.mask, frames, first);
      }
    } else {
      if (grouped) {
        for (let i = 0; i < n; i += 4) {
          readModulatedGroup4(net, i, this.pos, this.mask, frames, mod.cubic);
        }
      } else {
        for (let i = 0; i < n; i++) this.readLine(i, frames, modulated);
      }
      if (first === 2) radix2Stage(this.work, n, 1, frames);
      else if (first === 4) radix4Stage(this.work, n, 1, frames);
    }
    c.advance(frames);
    if (hadamard) {
      const done = first === 0 ? 0 : first === 2 ? 1 : 2;
      let h = 1 << done;
      for (let remaining = this.stages - done; remaining > 2; remaining -= 2, h *= 4) radix4Stage(this.work, n, h, frames);
      lastStagesAndWrite(net, sum, diff, 4, this.pos, this.mask, yL, yR, frames);
    } else {
      for (let i = 0; i < n; i++) tapLine(this.work, this.outGainL, this.outGainR, i, yL, yR, frames);
      mixInPlace(this.matrixKind, this.work, this.spare, this.dense, this.sum, n, frames);
      writeLines(net, sum, diff, this.pos, this.mask, frames);
    }
    this.pos = (this.pos + frames) & this.mask;
  }

  /**
   * Line i alone into work[i] (while coefficients ramp, or N not a multiple of 4): the plain or
   * modulated read, through the shelf when on, then the one-pole.
   */
  private readLine(i: number, frames: number, modulated: boolean): void {
    const w = this.work[i];
    const c = this.coefficients;
    if (modulated) this.modulation.readLine(this.rings[i], this.mask, this.pos, this.delaySamples[i], i, w, frames);
    const src = modulated ? w : this.rings[i];
    const offset = modulated ? 0 : this.pos - this.delaySamples[i];
    const mask = modulated ? -1 : this.mask;
    const ramping = c.remainingFrames > 0;
    if (this.shelved) readShelvedLine(this.arrays, src, w, offset, mask, frames, i, ramping);
    else readOnePoleLine(this.arrays, src, w, offset, mask, frames, i, ramping);
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
    const c = this.coefficients;
    return {
      pos: this.pos,
      rings: this.rings.map((r) => r.slice()),
      filterState: this.filterState.slice(),
      b0: c.b0.slice(),
      pole: c.pole.slice(),
      b0Target: c.b0Target.slice(),
      poleTarget: c.poleTarget.slice(),
      b0Step: c.b0Step.slice(),
      poleStep: c.poleStep.slice(),
      coefRemaining: c.remainingFrames,
      modulation: this.modulation.state.slice(),
      depthRemaining: this.modulation.remainingFrames,
      shelved: this.shelved ? 1 : 0,
      shelf: c.shelf.map((a) => a.slice()),
      shelfTarget: c.shelfTarget.map((a) => a.slice()),
      shelfStep: c.shelfStep.map((a) => a.slice()),
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
    this.coefficients.setState(s);
    this.modulation.state.set(s.modulation);
    this.modulation.remainingFrames = s.depthRemaining;
    this.modulation.restored();
    this.shelved = s.shelved === 1;
    this.shelfState.set(s.shelfState);
    this.inputState.set(s.inputState);
  }
}
