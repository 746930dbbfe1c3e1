import { kaiserSincKernel } from '../../dsp/kaiserSincKernel.ts';
import { type ChannelLevelSums, channelLevelSums } from '../signal/levelMetrics.ts';

/**
 * True peak (ITU-R BS.1770-4 Annex 2): the largest magnitude of the signal oversampled 4×.
 *
 * The interpolator is a Kaiser-windowed sinc, polyphase: phase p ∈ {1, 2, 3} estimates x(n + p/4) from
 * the TAPS_PER_PHASE samples x[n − 7 … n + 8]; phase 0 is the sample itself (so true peak ≥ sample
 * peak, always). Each phase's taps are normalised to unit DC gain. Samples outside the signal count as 0.
 * With 16 taps per phase and β = 7 a full-scale sine up to 0.45·fs never reads more than 0.01 dB over
 * its true peak (measured in truePeak.test.ts), and a steady sine no further under than the 4× grid itself,
 * 20·log10 cos(π·f/(4·fs)): −0.17 dB at fs/4, −0.55 dB at 0.45·fs (its samples come near every crest). The
 * phases' gain is flat to 0.005 dB up to 0.35·fs, then droops: −0.19/−0.39/−0.19 dB (phases 1/2/3) at 0.4·fs,
 * −0.5/−1.1 dB at 0.42·fs, −1.5/−3.7 dB at 0.45·fs; so a short burst up there whose crest falls between
 * samples reads under the grid's bound: Hann bursts of 30 samples, worst of 8 phases against a 64× sinc
 * reference, −0.19 dB at 0.35·fs, −0.76 dB at 0.4·fs, −1.72 dB at 0.45·fs (of 200 samples: −0.02, −0.44,
 * −0.12 dB); a band-limited pulse (flat to 0.45·fs) −0.17 dB, and 96 kHz full-band noise bursts up to
 * −1.0 dB (the loudness sweep of session 27). Programme at 44.1/48 kHz rarely peaks from content that high.
 *
 * Cost is 48 multiply-adds per filtered input sample, so most 256-sample chunks are never filtered: a
 * chunk whose bound on |y| cannot beat the peak found so far is skipped (the chunk of the largest bound
 * is filtered first, so the peak found is soon near the true one), which leaves the result unchanged. Two bounds, the
 * smaller wins, with M = max |x| and D = max |x[i] − x[i−1]| over the samples within the interpolators'
 * reach of the chunk:
 *   |y| ≤ M·Σ|t_j|                        (≈ 1.99·M: any signal)
 *   |y| ≤ |Σt_j|·M + Σ|t_j|·|j − c|·D      (y = Σt_j·x_c + Σt_j·(x_j − x_c), c the tap on x[n]; tight for
 *                                          programme material, whose samples move little from one to the next)
 * Chunks whose interpolators reach past either end of the signal take the first bound only.
 */
export const TAPS_PER_PHASE = 16;
export const OVERSAMPLING = 4;
const KAISER_BETA = 7;
const HALF = TAPS_PER_PHASE / 2;
const CHUNK = 256;
/** Relative margin on the bounds, far above the rounding of a 16-term sum, far below any audible level. */
const BOUND_MARGIN = 1 + 1e-9;
/**
 * D is the largest step rounded to binary32 (chunkStats), at most 2⁻²⁴ of it under the exact step (a
 * binary32 difference that is subnormal is exact): D·(1 + 2⁻²³) bounds the exact one.
 */
const STEP_ROUNDING = 1 + 2 ** -23;

/** taps[p − 1][j] multiplies x[n − HALF + 1 + j] to estimate x(n + p/4). */
export function truePeakTaps(): Float64Array[] {
  const phases: Float64Array[] = [];
  for (let p = 1; p < OVERSAMPLING; p++) phases.push(kaiserSincKernel(p / OVERSAMPLING, HALF, KAISER_BETA));
  return phases;
}

const PHASES = truePeakTaps();
const MAX_ABS_TAP_SUM = Math.max(...PHASES.map((t) => t.reduce((s, v) => s + Math.abs(v), 0)));
const MAX_TAP_SUM = Math.max(...PHASES.map((t) => Math.abs(t.reduce((s, v) => s + v, 0))));
const MAX_DISTANCE_TAP_SUM = Math.max(...PHASES.map((t) => t.reduce((s, v, j) => s + Math.abs(v) * Math.abs(j - (HALF - 1)), 0)));

/** Interpolated peak of samples [start, end) near either end of the signal: samples outside it count as 0. */
function interpolatedPeakAtEdge(samples: Float32Array, start: number, end: number): number {
  const n = samples.length;
  const t1 = PHASES[0], t2 = PHASES[1], t3 = PHASES[2];
  let peak = 0;
  for (let i = start; i < end; i++) {
    const first = i - HALF + 1;
    let y1 = 0, y2 = 0, y3 = 0;
    for (let j = 0; j < TAPS_PER_PHASE; j++) {
      const index = first + j;
      const x = index >= 0 && index < n ? samples[index] : 0;
      y1 += t1[j] * x;
      y2 += t2[j] * x;
      y3 += t3[j] * x;
    }
    const m = Math.max(Math.abs(y1), Math.abs(y2), Math.abs(y3));
    if (m > peak) peak = m;
  }
  return peak;
}

/**
 * Largest |y| of one phase over samples [start, end), every x[i − HALF + 1 … i + HALF] inside the signal:
 * the 16 taps in locals, each y summed in tap order from 0 exactly as the edge version does (same bits).
 */
function phasePeak(x: Float32Array, start: number, end: number, t: Float64Array, peakSoFar: number): number {
  const t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
  const t8 = t[8], t9 = t[9], t10 = t[10], t11 = t[11], t12 = t[12], t13 = t[13], t14 = t[14], t15 = t[15];
  let peak = peakSoFar;
  for (let i = start - HALF + 1, last = end - HALF + 1; i < last; i++) {
    let y = 0;
    y += t0 * x[i]; y += t1 * x[i + 1]; y += t2 * x[i + 2]; y += t3 * x[i + 3];
    y += t4 * x[i + 4]; y += t5 * x[i + 5]; y += t6 * x[i + 6]; y += t7 * x[i + 7];
    y += t8 * x[i + 8]; y += t9 * x[i + 9]; y += t10 * x[i + 10]; y += t11 * x[i + 11];
    y += t12 * x[i + 12]; y += t13 * x[i + 13]; y += t14 * x[i + 14]; y += t15 * x[i + 15];
    const a = Math.abs(y);
    if (a > peak) peak = a;
  }
  return peak;
}

/**
 * How a true-peak search gets its two costly steps done: `chunkStats` fills m[k − k0] = max |x| and
 * d[k − k0] = max |x[i] − x[i−1]| over the reach of each chunk k in [k0, k0 + m.length) (the first sample
 * of a reach has no step), and
 * `interiorPeak` filters chunks whose interpolators stay inside the signal. truePeakLinear does both in
 * JavaScript; truePeakSimd.ts in WebAssembly, with the same values to the last bit.
 */
export interface TruePeakSteps {
  chunkStats(samples: Float32Array, k0: number, m: Float64Array, d: Float64Array): void;
  /** max(peakSoFar, largest |y| of the three phases over samples [start, end)), interior chunks only. */
  interiorPeak(samples: Float32Array, start: number, end: number, peakSoFar: number): number;
  /** How many interior chunks `interiorPeaks` filters per call (1: it is not offered). */
  readonly batchChunks: number;
  /** max(peakSoFar, largest |y| over the `count` interior chunks listed), as interiorPeak chunk by chunk. */
  interiorPeaks(samples: Float32Array, chunks: Uint32Array, count: number, peakSoFar: number): number;
  /**
   * chunkStats of every chunk of a whole channel (m, d of its truePeakChunks length) and, in the same pass,
   * the channel's levels as levelMetricsPerChannel sums them: its largest |x|, Σx² in sample order from 0,
   * and Σx² continuing from `overallSumSquares` (the channels before it; undefined: this is the first).
   */
  levelsAndChunkStats(samples: Float32Array, overallSumSquares: number | undefined, m: Float64Array, d: Float64Array): ChannelLevelSums;
}

/** The chunk size and the interpolators' reach before and after a chunk, in samples. */
export const TRUE_PEAK_CHUNK = CHUNK;
export const TRUE_PEAK_REACH_BEFORE = HALF - 1;
export const TRUE_PEAK_REACH_AFTER = HALF;

/**
 * max |x| and max step over the reach [k·CHUNK − HALF, (k + 1)·CHUNK + HALF) ∩ signal of every chunk k,
 * each step rounded to binary32 (as a SIMD kernel computes it four at a time): the bound allows for it.
 */
function chunkStatsJs(samples: Float32Array, k0: number, mOut: Float64Array, dOut: Float64Array): void {
  const n = samples.length;
  for (let k = k0; k < k0 + mOut.length; k++) {
    const from = Math.max(0, k * CHUNK - HALF), to = Math.min(n, (k + 1) * CHUNK + HALF);
    let m = 0, d = 0;
    let previous = samples[from];
    for (let i = from; i < to; i++) {
      const v = samples[i];
      const a = Math.abs(v);
      if (a > m) m = a;
      const step = Math.abs(Math.fround(v - previous));
      if (step > d) d = step;
      previous = v;
    }
    mOut[k - k0] = m;
    dOut[k - k0] = d;
  }
}

function interiorPeakJs(samples: Float32Array, start: number, end: number, peakSoFar: number): number {
  let peak = peakSoFar;
  for (const taps of PHASES) peak = phasePeak(samples, start, end, taps, peak);
  return peak;
}

function levelsAndChunkStatsJs(samples: Float32Array, overallSumSquares: number | undefined, m: Float64Array, d: Float64Array): ChannelLevelSums {
  chunkStatsJs(samples, 0, m, d);
  return channelLevelSums(samples, overallSumSquares);
}

/** The JavaScript steps (the reference the WebAssembly ones are checked against). */
export const JS_TRUE_PEAK_STEPS: TruePeakSteps = {
  chunkStats: chunkStatsJs,
  levelsAndChunkStats: levelsAndChunkStatsJs,
  interiorPeak: interiorPeakJs,
  batchChunks: 1,
  interiorPeaks: (samples, chunks, count, peakSoFar) => {
    let peak = peakSoFar;
    for (let i = 0; i < count; i++) peak = interiorPeakJs(samples, chunks[i] * CHUNK, (chunks[i] + 1) * CHUNK, peak);
    return peak;
  },
};

/** How many chunks truePeakLinear cuts a signal of `frames` samples into (a search may cover any range of them). */
export function truePeakChunks(frames: number): number {
  return Math.ceil(frames / CHUNK);
}

/**
 * Largest |x| of one channel at 4× oversampling (linear, not dB). The chunk of the largest bound is
 * filtered first, then, in signal order (memory read in order: 20 % faster than by falling bound on the
 * 10-minute programme file), every chunk whose bound is still above the peak found (see above): exact,
 * and on programme material most chunks are never filtered. `steps` may do the chunk statistics and the
 * filtering elsewhere (truePeakSimd.ts); the result does not depend on it. `chunks` = [k0, k1) limits
 * the search to those chunks (samples k0·256 … k1·256, the interpolators still reading their
 * neighbours): the largest of the searches over ranges that tile the signal is the whole search's
 * result, so threads can share one channel.
 */
export function truePeakLinear(
  samples: Float32Array,
  steps: TruePeakSteps = JS_TRUE_PEAK_STEPS,
  chunks: readonly [number, number] = [0, truePeakChunks(samples.length)],
  /** Every chunk's statistics of the whole channel, already computed (levelsAndChunkStats): not computed again. */
  chunkStats?: { m: Float64Array; d: Float64Array },
): number {
  const n = samples.length;
  const [k0, k1] = chunks;
  const count = k1 - k0;
  const m = chunkStats ? chunkStats.m.subarray(k0, k1) : new Float64Array(count);
  const d = chunkStats ? chunkStats.d.subarray(k0, k1) : new Float64Array(count);
  if (!chunkStats) steps.chunkStats(samples, k0, m, d);
  const bound = new Float64Array(count);
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const k = k0 + i;
    if (m[i] > peak) peak = m[i];
    const lo = k * CHUNK - HALF, hi = (k + 1) * CHUNK + HALF;
    const anyInput = m[i] * MAX_ABS_TAP_SUM;
    bound[i] = (lo < 0 || hi > n ? anyInput : Math.min(anyInput, MAX_TAP_SUM * m[i] + MAX_DISTANCE_TAP_SUM * d[i] * STEP_ROUNDING)) * BOUND_MARGIN;
  }
  let top = -1;
  for (let i = 0; i < count; i++) if (bound[i] > peak && (top < 0 || bound[i] > bound[top])) top = i;
  // The chunk of the largest bound first (it usually holds the peak, or near it), then every other chunk
  // whose bound is still above the peak found, in signal order (the filter reads memory in order).
  // Interior chunks are filtered steps.batchChunks at a time: a batch may hold a few chunks whose bound
  // the peak has passed meanwhile, which costs a little time and changes nothing (their |y| ≤ bound ≤ peak).
  const batch = new Uint32Array(steps.batchChunks);
  let batched = 0;
  for (let v = -1; v < count && top >= 0; v++) {
    const i = v < 0 ? top : v;
    if ((v >= 0 && i === top) || bound[i] <= peak) continue;
    const k = k0 + i;
    const start = k * CHUNK, end = Math.min(n, (k + 1) * CHUNK);
    if (start - HALF + 1 < 0 || end + HALF > n) peak = Math.max(peak, interpolatedPeakAtEdge(samples, start, end));
    else if (steps.batchChunks === 1 || v < 0) peak = steps.interiorPeak(samples, start, end, peak);
    else {
      batch[batched++] = k;
      if (batched === batch.length) {
        peak = steps.interiorPeaks(samples, batch, batched, peak);
        batched = 0;
      }
    }
  }
  if (batched) peak = steps.interiorPeaks(samples, batch, batched, peak);
  return peak;
}

/** Largest |x| of one channel at the sample instants (linear); NaN if any sample is NaN. */
export function samplePeakLinear(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]);
    if (a > peak) peak = a;
    else if (a !== a) return Number.NaN;
  }
  return peak;
}
