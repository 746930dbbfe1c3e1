import { type FftJs, fftOfSize, inversePair, nextPowerOfTwo, spectraOfPair } from '../latency/fft.ts';

/**
 * Least-squares residual of a capture span against the aligned reference at EVERY integer shift at once:
 *   E(s) = Σ_{i<V} (y[i] − g·a[i + S − s])² = Σ y² − 2g·c(S − s) + g²·A(S − s),   s ∈ [−S, S],
 * with a[j] the reference aligned to the capture's first span frame minus S, c(k) = Σ_i y[i]·a[i + k] the
 * cross-correlation (by FFT of size M ≥ V + 2S, exact: no circular wrap for k ≤ 2S) and A(k) = Σ_i a[i + k]²
 * (prefix sums). A shift s > 0 means the capture gained s frames (latency + s).
 *
 * Two spans share one reference: a short one (where the disturbance has settled; decides which shifts fit)
 * and a long one (long enough to contain a burst onset or offset, which tells apart shifts that differ by
 * whole periods of a tone and so fit a steady sine equally). Cost: 3 complex FFTs of M points per call
 * (M = 16384 for S = 4096, V = 4096: ≈ 2 ms on this machine), against ~40 ms for direct correlation.
 */
export class ShiftResiduals {
  readonly maxShiftFrames: number;
  readonly shortFrames: number;
  readonly longFrames: number;
  /** E_short(s) at index s + S, E_long likewise; refShort/refLong: g²·A(S − s) over each span. */
  readonly short: Float64Array;
  readonly long: Float64Array;
  readonly refShort: Float64Array;
  readonly refLong: Float64Array;
  /**
   * What the FFT's rounding may leave in short/long where a shift fits exactly (a noise-free capture): M·ε·(Σy² + max g²A),
   * the size of the terms E(s) cancels. Measured on a noise-free 220 Hz burst train at 0.5 (S = 4096, M = 16384): exact
   * fits left 2.6e-12 (short) and 5.1e-12 (long) against bounds of 9.4e-10 and 1.8e-9; noise 100 dB under it adds
   * 2·V·σ² = 8e-9 (σ² = 4e-12), so the bound matters only where the noise is far under that.
   */
  roundingShort = 0;
  roundingLong = 0;
  /** The reference buffer to fill: ref[j] = aligned(c0 − S + j), j < longFrames + 2S. */
  readonly ref: Float32Array;
  private readonly fft: FftJs;
  private readonly fa: Float64Array;
  private readonly fyl: Float64Array;
  private readonly fys: Float64Array;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  private readonly out: Float64Array;
  private readonly prefix: Float64Array;

  constructor(maxShiftFrames: number, shortFrames: number, longFrames: number) {
    this.maxShiftFrames = maxShiftFrames;
    this.shortFrames = shortFrames;
    this.longFrames = longFrames;
    const shifts = 2 * maxShiftFrames + 1;
    this.short = new Float64Array(shifts);
    this.long = new Float64Array(shifts);
    this.refShort = new Float64Array(shifts);
    this.refLong = new Float64Array(shifts);
    this.ref = new Float32Array(longFrames + 2 * maxShiftFrames);
    const M = nextPowerOfTwo(this.ref.length);
    this.fft = fftOfSize(M);
    this.fa = new Float64Array(M + 2);
    this.fyl = new Float64Array(M + 2);
    this.fys = new Float64Array(M + 2);
    this.p = new Float64Array(M + 2);
    this.q = new Float64Array(M + 2);
    this.out = new Float64Array(2 * M);
    this.prefix = new Float64Array(this.ref.length + 1);
  }

  /** Fills the four arrays for capture spans yShort (≤ shortFrames) and yLong (≤ longFrames), both from c0; `ref` must be filled. */
  compute(yShort: Float32Array, yLong: Float32Array, gain: number): void {
    const S = this.maxShiftFrames;
    const half = this.fft.size / 2;
    spectraOfPair(this.fft, this.ref, yLong, this.fa, this.fyl);
    spectraOfPair(this.fft, yShort, undefined, this.fys, this.p);
    for (let k = 0; k <= half; k++) {
      const ar = this.fa[2 * k];
      const ai = this.fa[2 * k + 1];
      const lr = this.fyl[2 * k];
      const li = this.fyl[2 * k + 1];
      const sr = this.fys[2 * k];
      const si = this.fys[2 * k + 1];
      this.p[2 * k] = ar * lr + ai * li; // a·conj(y)
      this.p[2 * k + 1] = ai * lr - ar * li;
      this.q[2 * k] = ar * sr + ai * si;
      this.q[2 * k + 1] = ai * sr - ar * si;
    }
    inversePair(this.fft, this.p, this.q, this.out);
    const pre = this.prefix;
    for (let j = 0; j < this.ref.length; j++) pre[j + 1] = pre[j] + this.ref[j] * this.ref[j];
    let yl2 = 0;
    for (let i = 0; i < yLong.length; i++) yl2 += yLong[i] * yLong[i];
    let ys2 = 0;
    for (let i = 0; i < yShort.length; i++) ys2 += yShort[i] * yShort[i];
    const g2 = gain * gain;
    let aShortMost = 0;
    let aLongMost = 0;
    for (let k = 0; k <= 2 * S; k++) {
      const at = S - k + S; // index of shift s = S − k
      const aL = g2 * (pre[k + yLong.length] - pre[k]);
      const aS = g2 * (pre[k + yShort.length] - pre[k]);
      this.refLong[at] = aL;
      this.refShort[at] = aS;
      this.long[at] = Math.max(0, yl2 - 2 * gain * this.out[2 * k] + aL);
      this.short[at] = Math.max(0, ys2 - 2 * gain * this.out[2 * k + 1] + aS);
      aShortMost = Math.max(aShortMost, aS);
      aLongMost = Math.max(aLongMost, aL);
    }
    this.roundingShort = this.fft.size * Number.EPSILON * (ys2 + aShortMost);
    this.roundingLong = this.fft.size * Number.EPSILON * (yl2 + aLongMost);
  }

  /**
   * The shift to believe, after `compute`: the shifts whose short-span residual is within 10 % + 2·V·σ² of
   * the best fit the disturbed stretch equally; among them the long span (with its burst boundary) keeps
   * those within 10 % + 2·V·σ² of its best, and of these the smallest |s| wins (exact periodicity cannot be
   * told apart; no shift is the simplest explanation). σ² = noise variance per sample. Both margins also hold
   * the FFT's rounding (roundingShort/Long): with a noise-free capture (σ = 0) the exact fits of a periodic
   * render differ by rounding alone, which would otherwise pick among them. Only the shifts in [from, to] are compared
   * (default: all): a search for a part of a shift already found (the detector's held search) reads its range alone.
   * Shifts −2 … +2 count at their sub-sample best (subSampleMin, both spans): a latency that moved by less
   * than a sample (a clock re-locked) fits one of them once the fraction is followed, and a tone whose period is
   * not a whole number of frames fits some whole-period alias of it almost exactly (a 0.7-sample move of a
   * 70 Hz tone: −685 ≡ +0.714 leaves 0.014 sample, +1 leaves 0.3): without this the alias won, reported as a
   * 685-frame drop. ±2 since 2026-12-06: a move of 1.5 has its vertex half a frame from +1 and from +2, and with
   * the credit at −1 … +1 only, +1's was refused whenever noise put it past the half (440 Hz, 1.5 at 60 dB SNR: the
   * alias −544 ≡ +1.45 won); latencyMoveSweep with moves of ±1.4, ±1.5, 1.6, ±2.5: 78 → 103 of 126 lines one right
   * shift, its default moves and dropoutSweep unchanged.
   */
  bestShift(noiseVariance: number, shortLen: number, longLen: number, from = -this.maxShiftFrames, to = this.maxShiftFrames): number {
    const S = this.maxShiftFrames;
    // The residuals as compared: −2 … +2 at their sub-sample best, every other shift as computed (in place of
    // two copies of the whole curves with five entries changed).
    const short = (k: number) => (Math.abs(k - S) <= 2 ? subSampleFit(this.short, k) : this.short[k]);
    const long = (k: number) => (Math.abs(k - S) <= 2 ? subSampleFit(this.long, k) : this.long[k]);
    const first = from + S;
    const end = to + S + 1;
    let shortMin = Infinity;
    for (let k = first; k < end; k++) shortMin = Math.min(shortMin, short(k));
    const shortTol = 1.1 * shortMin + 2 * shortLen * noiseVariance + this.roundingShort;
    let longMin = Infinity;
    for (let k = first; k < end; k++) if (short(k) <= shortTol) longMin = Math.min(longMin, long(k));
    const longTol = 1.1 * longMin + 2 * longLen * noiseVariance + this.roundingLong;
    let best = -1;
    for (let k = first; k < end; k++) {
      if (short(k) <= shortTol && long(k) <= longTol && (best < 0 || Math.abs(k - S) < Math.abs(best - S))) best = k;
    }
    return best - S;
  }

  /**
   * From `shift` (bestShift's), down the short span's residual curve to the bottom of its valley: while a neighbour's
   * whole-shift residual is lower by more than 3 standard deviations of what noise puts into the difference, move
   * there. bestShift takes the smallest |s| among fits equal to within 2·V·σ², which chooses among a tone's whole-period
   * aliases (far apart), but near the true shift that band also holds its neighbours when the misfit is weak: a 2-sample
   * drop of a 77 Hz tone at 40 dB SNR left 0.047 of misfit energy over a noise energy of 0.0079 (2·V·σ² = 0.016), and
   * −1 (which leaves a quarter of the misfit) was chosen over −2. The noise's share of a difference of two shifts'
   * residuals is 2g·Σ n·(a_s′ − a_s), of standard deviation 2σ·√(g²·Σ(a_s − a_s′)²) — the Σn² both hold cancels — so
   * at that drop it was 6.5e-4 against a difference of 0.012. The FFT's rounding (roundingShort) is added to the margin.
   * Where both neighbours qualify (a crest, which bestShift's band does not offer) the lower is taken; of two equal, the
   * smaller shift.
   */
  valleyBottom(shift: number, noiseVariance: number, shortLen: number, gain: number): number {
    const S = this.maxShiftFrames;
    const sigma = Math.sqrt(noiseVariance);
    let k = shift + S;
    for (;;) {
      let next = k;
      for (const side of [-1, 1]) {
        const j = k + side;
        if (j < 0 || j >= this.short.length || !(this.short[j] < this.short[next])) continue;
        if (this.short[k] - this.short[j] > 6 * sigma * Math.abs(gain) * Math.sqrt(this.differenceEnergy(k, j, shortLen)) + this.roundingShort) next = j;
      }
      if (next === k) return k - S;
      k = next;
    }
  }

  /** Σ_{i<V} (a[i + S − s] − a[i + S − s′])² for the shifts at indices k and j (s = k − S): the energy of two shifted references' difference. */
  private differenceEnergy(k: number, j: number, shortLen: number): number {
    const ref = this.ref;
    const S = this.maxShiftFrames;
    const a = 2 * S - k;
    const b = 2 * S - j;
    let sum = 0;
    for (let i = 0; i < shortLen; i++) sum += (ref[i + a] - ref[i + b]) ** 2;
    return sum;
  }

  /**
   * The short span's sub-sample offset of the fit at `shift` (subSampleMin): the capture fits shift + offset best.
   * Where the vertex lies more than half a frame from `shift`, the neighbour's on that side, as seen from `shift`
   * (in ½…1): a move of a whole number and a half (1.5 lies as near 1 as 2; noise picks the side, and bestShift may
   * choose a shift whose own vertex is refused — one past ±2, which gets no sub-sample credit, or a tie) read 0
   * there, and the misfit of half a sample left was a glitch every 125 ms until a search happened to land on the near
   * side (a 100 Hz tone moved by 1.5 at 60 dB SNR: 76 glitches, before bestShift's credit reached ±2).
   */
  fractionAt(shift: number): number {
    const k = shift + this.maxShiftFrames;
    const own = subSampleMin(this.short, k);
    if (own.curvature > 0) return own.offset;
    let best = 0;
    let bestResidual = Infinity;
    for (const side of [1, -1]) {
      const near = subSampleMin(this.short, k + side);
      if (near.curvature > 0 && side * near.offset <= 0 && near.residual < bestResidual) {
        best = side + near.offset;
        bestResidual = near.residual;
      }
    }
    return best;
  }
}

/**
 * A sub-sample shift's residual as bestShift compares it: subSampleMin less 0.25·x²·a (x the vertex's offset, a the
 * parabola's curvature: what a misfit of x/2 leaves), floored at 0. A tone's E = B·(1 − cos ω(s − δ)) is not quite
 * a parabola: its vertex value overstates the minimum by ≈ 0.21·(ω·δ)²·a, 1.4 % of a for a 5 kHz tone at δ = 0.38
 * (computed), and a whole-period alias a few hundredths of a sample off beat that on a noise-free capture (a
 * 0.62-sample move of a 5 kHz tone reported as a 9-frame drop, of a 440 Hz one by 0.64 as a 437-frame insert,
 * measured). The margin covers it for tones up to ω ≈ 1 rad/sample (~7 kHz at 48 kHz); it is 0 at an exact whole fit.
 */
function subSampleFit(e: Float64Array, k: number): number {
  const { residual, offset, curvature } = subSampleMin(e, k);
  return Math.max(0, residual - 0.25 * offset * offset * curvature);
}

/**
 * A residual curve's minimum between whole shifts near index k: the vertex of the parabola through k − 1, k, k + 1,
 *   E(k + x) ≈ E(k) + b·x + a·x²,  a = (E(k+1) + E(k−1) − 2E(k))/2,  b = (E(k+1) − E(k−1))/2,  vertex x = −b/(2a),
 * when it opens upwards and its vertex lies within half a frame of k (else k itself, offset 0; the neighbour nearer
 * the vertex has its own). A capture delayed by x more than the reference leaves E ≈ x²·Σ(g·a′)² near its fit for
 * content well under fs/2 (a parabola), so the vertex is the sub-sample delay and its value the residual once the
 * delay is followed (never below 0).
 */
export function subSampleMin(e: Float64Array, k: number): { residual: number; offset: number; curvature: number } {
  if (k <= 0 || k >= e.length - 1) return { residual: e[k], offset: 0, curvature: 0 };
  const a = (e[k + 1] + e[k - 1] - 2 * e[k]) / 2;
  const b = (e[k + 1] - e[k - 1]) / 2;
  if (!(a > 0)) return { residual: e[k], offset: 0, curvature: 0 };
  const x = -b / (2 * a);
  if (Math.abs(x) > 0.5) return { residual: e[k], offset: 0, curvature: 0 };
  return { residual: Math.max(0, e[k] - (b * b) / (4 * a)), offset: x, curvature: a };
}

/**
 * Index i in [0, length] minimising Σ_{j<i} before[j] + Σ_{j≥i} after[j]: where a stretch stops fitting the
 * old model and starts fitting the new one (per-sample squared residuals of each).
 */
export function bestSplit(before: Float64Array, after: Float64Array): number {
  let right = 0;
  for (let i = 0; i < after.length; i++) right += after[i];
  let left = 0;
  let best = right;
  let at = 0;
  for (let i = 0; i < after.length; i++) {
    left += before[i];
    right -= after[i];
    if (left + right < best) {
      best = left + right;
      at = i + 1;
    }
  }
  return at;
}
