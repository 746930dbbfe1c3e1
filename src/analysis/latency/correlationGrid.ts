import type { FftJs } from './fft.ts';

/** Grid points per lag of a full correlationGrid: the band-limited correlation sampled every quarter sample. */
export const GRID_POINTS_PER_LAG = 4;

/** Buffers of correlationGrid, made once per estimate batch (M the transform size). */
export interface CorrelationGridScratch {
  /** The 'half' stage's transform over the whole period: C(n) at [2n], C(n + ½) at [2n + 1], n = 0 … M − 1. */
  half: Float64Array;
  /** The 'quarter' stage's: C(n + ¼) at [2n], C(n + ¾) at [2n + 1]. */
  quarter: Float64Array;
  /** The largest |C| the stages computed so far read over the whole period of lags (all M, searched or not). */
  peak: number;
}

export function correlationGridScratch(M: number): CorrelationGridScratch {
  return { half: new Float64Array(2 * M), quarter: new Float64Array(2 * M), peak: 0 };
}

/**
 * The band-limited cross-correlation C(d) = (2/M)·Re Σ_{k = kLo … kHi} G_k·e^{iω_k d} (ω_k = 2πk/M; estimateDelay's r(d) of
 * polarity +1) on a grid of lag indices over the whole period, into `s.half` and `s.quarter` (read them as one grid with
 * periodGridAt), in two stages of one complex inverse transform each: 'half' reads d = n and n + 1/2 for every n = 0 … M − 1,
 * 'quarter' then adds n + 1/4 and n + 3/4 (call 'half' first, with the same G and band). Phase j is the real inverse of A_k = G_k·e^{iω_k j/4} over the band (zero elsewhere,
 * Hermitian), which is C at n + j/4 for every n at once; two phases ride one transform, A + i·B (as inversePair, written
 * straight into the transform's input: the band's bins k and their mirrors M − k, conj(A_k) + i·conj(B_k)).
 * A crest of C lies at most h/2 from a grid point of spacing h, so for a band whose highest bin is f cycles/sample the grid
 * reads every crest to within ½·(πfh)²·max|C| of its height (Bernstein: |C''| ≤ (2πf)²·max|C|): gridReadingShare.
 * Requires 1 ≤ kLo ≤ kHi < M/2 (no DC or Nyquist bin).
 */
export function correlationGrid(fft: FftJs, G: Float64Array, kLo: number, kHi: number, stage: 'half' | 'quarter', s: CorrelationGridScratch): void {
  const M = fft.size;
  // The transform's input, written in the kernel's own array: the band's bins and their mirrors, zero elsewhere.
  const work = fft.buffers[0];
  const out = stage === 'half' ? s.half : s.quarter;
  // The stage's two phases, in quarter lags: 0 and 2, or 1 and 3.
  const ja = stage === 'half' ? 0 : 1;
  const jb = ja + 2;
  // e^{iω_k ja/4} and e^{iω_k jb/4} advanced from bin to bin by a complex recurrence, as in rotatedSums.
  const stepA = (2 * Math.PI * ja) / (M * GRID_POINTS_PER_LAG);
  const stepB = (2 * Math.PI * jb) / (M * GRID_POINTS_PER_LAG);
  const sar = Math.cos(stepA);
  const sai = Math.sin(stepA);
  const sbr = Math.cos(stepB);
  const sbi = Math.sin(stepB);
  let car = Math.cos(stepA * kLo);
  let cai = Math.sin(stepA * kLo);
  let cbr = Math.cos(stepB * kLo);
  let cbi = Math.sin(stepB * kLo);
  // Zero outside the band and its mirrors (the band's own bins are all written below).
  work.fill(0, 0, 2 * kLo);
  work.fill(0, 2 * (kHi + 1), 2 * (M - kHi));
  work.fill(0, 2 * (M - kLo + 1));
  for (let k = kLo; k <= kHi; k++) {
    const gr = G[2 * k];
    const gi = G[2 * k + 1];
    const ar = gr * car - gi * cai;
    const ai = gr * cai + gi * car;
    const br = gr * cbr - gi * cbi;
    const bi = gr * cbi + gi * cbr;
    work[2 * k] = ar - bi;
    work[2 * k + 1] = ai + br;
    const m = M - k;
    work[2 * m] = ar + bi;
    work[2 * m + 1] = br - ai;
    const ta = car * sar - cai * sai;
    cai = car * sai + cai * sar;
    car = ta;
    const tb = cbr * sbr - cbi * sbi;
    cbi = cbr * sbi + cbi * sbr;
    cbr = tb;
  }
  const transformed = fft.transformWithin('inverse', 0);
  let peak = stage === 'half' ? 0 : s.peak;
  for (let n = 0; n < 2 * M; n++) {
    const v = transformed[n];
    out[n] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  s.peak = peak;
}

/** C(q/4) from the stages' transforms over the whole period, q = 0 … 4M − 1 (both stages computed). */
export function periodGridAt(s: CorrelationGridScratch, q: number): number {
  const n = q >> 2;
  switch (q & 3) {
    case 0:
      return s.half[2 * n];
    case 1:
      return s.quarter[2 * n];
    case 2:
      return s.half[2 * n + 1];
    default:
      return s.quarter[2 * n + 1];
  }
}

/**
 * The share e of max|C| by which a grid of `pointsPerLag` points a lag can read a crest low: ½·(π·f/pointsPerLag)², f the
 * band's highest frequency (cycles/sample). And max|C| ≤ peak/(1 − e), peak the grid's largest |C| over the whole period.
 */
export function gridReadingShare(highestCyclesPerSample: number, pointsPerLag: number): number {
  return 0.5 * ((Math.PI * highestCyclesPerSample) / pointsPerLag) ** 2;
}
