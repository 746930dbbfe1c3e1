import type { FftJs } from './fft.ts';

/** Grid points per lag of correlationGrid: the band-limited correlation sampled every quarter sample. */
export const GRID_POINTS_PER_LAG = 4;

/** Buffers of correlationGrid, made once per estimate batch (M the transform size). */
export interface CorrelationGridScratch {
  /** The transform's input: the band's bins and their mirrors, zero elsewhere. */
  work: Float64Array;
  out: Float64Array;
  /** C at lag index d = n + j/GRID_POINTS_PER_LAG in grid[n·GRID_POINTS_PER_LAG + j], n = 0 … lags − 1. */
  grid: Float64Array;
  /** The largest |C| of the grid over the whole period of lags (all M, searched or not), set by correlationGrid. */
  peak: number;
}

export function correlationGridScratch(M: number, lags: number): CorrelationGridScratch {
  return { work: new Float64Array(2 * M), out: new Float64Array(2 * M), grid: new Float64Array(lags * GRID_POINTS_PER_LAG), peak: 0 };
}

/**
 * The band-limited cross-correlation C(d) = (2/M)·Re Σ_{k = kLo … kHi} G_k·e^{iω_k d} (ω_k = 2πk/M; estimateDelay's r(d) of
 * polarity +1) at every quarter lag index d = n + j/4, n = 0 … lags − 1, into `s.grid`. Phase j is the real inverse of
 * A_k = G_k·e^{iω_k j/4} over the band (zero elsewhere, Hermitian), which is C at n + j/4 for every n at once; two phases
 * ride one complex inverse transform, A + i·B (as inversePair, written straight into the transform's input: the band's
 * bins k and their mirrors M − k, conj(A_k) + i·conj(B_k)).
 * Between grid points a crest of C lies at most 1/8 lag from one, so for a band whose highest bin is f cycles/sample the
 * grid reads every crest to within ½·(2πf/8)²·max|C| of its height (Bernstein: |C''| ≤ (2πf)²·max|C|).
 * Requires 1 ≤ kLo ≤ kHi < M/2 (no DC or Nyquist bin) and lags ≤ M.
 */
export function correlationGrid(fft: FftJs, G: Float64Array, kLo: number, kHi: number, lags: number, s: CorrelationGridScratch): Float64Array {
  const M = fft.size;
  const { work, out, grid } = s;
  let peak = 0;
  for (let j = 0; j < GRID_POINTS_PER_LAG; j += 2) {
    // e^{iω_k j/4} and e^{iω_k (j+1)/4} advanced from bin to bin by a complex recurrence, as in rotatedSums.
    const stepA = (2 * Math.PI * j) / (M * GRID_POINTS_PER_LAG);
    const stepB = (2 * Math.PI * (j + 1)) / (M * GRID_POINTS_PER_LAG);
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
    fft.inverseTransform(out, work);
    for (let n = 0; n < 2 * M; n++) peak = Math.max(peak, Math.abs(out[n]));
    for (let n = 0; n < lags; n++) {
      grid[n * GRID_POINTS_PER_LAG + j] = out[2 * n];
      grid[n * GRID_POINTS_PER_LAG + j + 1] = out[2 * n + 1];
    }
  }
  s.peak = peak;
  return grid;
}
