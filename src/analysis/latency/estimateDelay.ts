import { detectClipping } from './clipping.ts';
import { correlationGrid, type CorrelationGridScratch, correlationGridScratch, GRID_POINTS_PER_LAG, gridReadingShare, periodGridAt } from './correlationGrid.ts';
import { inversePair } from './fft.ts';
import { accumulateCrossSpectra, type CrossSpectrumPlan, crossSpectrumScratch, planCrossSpectrum } from './segmentedCrossSpectrum.ts';

/**
 * Sub-sample delay between a reference and its capture: capture[n] ≈ g·reference[n − delaySamples] + noise.
 *
 * Method (chosen because it is broadband, needs no special probe and is cheap with FFTs):
 * 1. Cross-spectrum G_k = Σ_s X*_s,k·Y_s,k accumulated over reference segments (segmentedCrossSpectrum.ts):
 *    its inverse is the exact linear cross-correlation for every lag in [minDelay, maxDelay].
 * 2. Coarse integer lag d₀ = argmax |IFFT(G_k / |G_k|)| — GCC-PHAT (Knapp & Carter, IEEE ASSP 1976): the
 *    whitened correlation is a sharp peak whatever the reference's spectrum; bins where the reference holds
 *    less than −60 dB of its strongest bin, or outside the analysis band, carry no information and are dropped.
 *    The sign of the peak gives the polarity, so an inverted path reads `inverted: true` with the right delay.
 *    For a reference whose power lies high in the band the whole-lag peak can be the wrong lobe of the carrier
 *    (either polarity): after step 3 the highest crest of the band-limited correlation is kept (highestCrest: a grid
 *    of the correlation over every lag shows where a higher crest can be; the neighbouring lobes are walked to and
 *    refined where it shows one (highestLobe), and every grid maximum that could stand higher);
 *    a higher crest beyond the lags searched is "no measurement" ('delay-out-of-range'), never the edge's lobe.
 * 3. Sub-sample refinement by a magnitude-weighted phase-slope fit: after removing the polarity s,
 *    arg G_k ≈ −ω_k·d with ω_k = 2πk/M. Solved as Newton steps maximising C(d) = Re Σ_k s·G_k·e^{iω_k d}
 *    (the band-limited cross-correlation at continuous lag d), seeded by a parabola through the PHAT peak:
 *    d ← d − Σ ω_k·Im(s·G_k e^{iω_k d}) / Σ ω_k²·|G_k|, i.e. the weighted least-squares slope with weights
 *    |G_k| (≈ maximum likelihood for white noise: phase variance ∝ 1/SNR_k). A parabola alone is biased by
 *    up to ~0.1 sample on a sinc-shaped peak; the slope fit is unbiased for any fraction. Measured: delays
 *    0.25 … 4799.9 samples recovered within 0.01 sample at 40 dB SNR (sim/analysis/latency.test.ts).
 * 4. Confidence = ρ, the normalised correlation coefficient at the estimated delay, in the analysis band:
 *    ρ = r(d) / √(E_ref · E_cap), E_cap the capture's energy over the span the delayed reference covers
 *    (scaled by the capture's share of power in the band).
 *    For a delayed, scaled copy in white noise ρ² = SNR/(1 + SNR): 0.995 at 20 dB, 0.95 at 10 dB, 0.71 at
 *    0 dB, 0.30 at −10 dB, ≈ 0 for unrelated noise; snrDb = 10·log10(ρ²/(1 − ρ²)) (capped at 60 dB; above
 *    ~35 dB indicative only, see MAX_SNR_DB), gain g = r(d)/E_ref.
 *    Below `minConfidence` (default 0.65, about −1.6 dB SNR: a capture at or below the noise) the result is
 *    "no measurement" with its reason, never a number.
 *
 * The multi-tone phase method of jack_iodelay needs its own probe signal; this one works on any broadband
 * reference, including the calibration sweep of calibrationProbe.ts and programme renders.
 */
export type DelayEstimate =
  | { ok: true; delaySamples: number; confidence: number; inverted: boolean; clipped: boolean; clippedSamples: number; snrDb: number; gain: number }
  | { ok: false; reason: NoMeasurementReason; detail: string; clipped: boolean };

export type NoMeasurementReason = 'reference-silent' | 'capture-silent' | 'no-coherent-signal' | 'delay-out-of-range' | 'not-finite';

export interface DelayOptions {
  /** Smallest delay searched, in samples (default 0; negative means the capture leads). */
  minDelaySamples?: number;
  /**
   * Largest delay searched, in samples (default: capture length − 1, at most DEFAULT_MAX_DELAY_SAMPLES).
   * The FFT size is ≥ 2·(max − min + 1), so a smaller range is faster and lighter.
   */
  maxDelaySamples?: number;
  /** Analysis band in cycles per sample (default [0, 0.45]: converters' anti-alias filters bend the phase above). */
  bandCyclesPerSample?: [number, number];
  /** Confidence below which no delay is reported (default 0.65, about −1.6 dB SNR). */
  minConfidence?: number;
  /** Capture samples at or above this magnitude count as clipped (default 0.999). */
  clipLevelFs?: number;
}

/**
 * The capture's in-band energy over the span is estimated from its whole-window band share, good to about
 * 1e-4 relative; so ρ is good to ~1e-4 and SNRs above ~35 dB are indicative only (they may read high).
 * Reported SNRs are capped here rather than shown as 120 dB.
 */
const MAX_SNR_DB = 60;

/** 2¹⁷ samples (2.7 s at 48 kHz): beyond any audio path's latency, and it keeps the FFTs in memory bounds for long files. */
export const DEFAULT_MAX_DELAY_SAMPLES = 131072;

interface Settings extends BandBins {
  plan: CrossSpectrumPlan;
  minConfidence: number;
  clipLevelFs: number;
}

function energy(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) s += x[i] * x[i];
  return s;
}

/** The bins an estimate reads (step 2): the band's, and of those the mask. */
export interface BandBins {
  /** 1 where the reference carries energy (> −60 dB of its strongest bin in the band) and the bin is in the band. */
  mask: Uint8Array;
  kLo: number;
  kHi: number;
}

/**
 * The band [lo, hi] (cycles per sample) as bins of an M-point transform, kLo = max(1, ⌈lo·M⌉) … kHi = min(M/2 − 1, ⌊hi·M⌋)
 * (DC and Nyquist never), and the mask over them: 1 where the reference's power (`referencePower`, bins 0 … M/2) is over
 * 10⁻⁶ of the strongest bin's in the band, that bin and the band's top one included.
 */
export function bandBins(referencePower: Float64Array, M: number, [lo, hi]: readonly [number, number]): BandBins {
  const kLo = Math.max(1, Math.ceil(lo * M));
  const kHi = Math.min(M / 2 - 1, Math.floor(hi * M));
  let maxPower = 0;
  for (let k = kLo; k <= kHi; k++) maxPower = Math.max(maxPower, referencePower[k]);
  const mask = new Uint8Array(M / 2 + 1);
  for (let k = kLo; k <= kHi; k++) mask[k] = referencePower[k] > maxPower * 1e-6 ? 1 : 0;
  return { mask, kLo, kHi };
}

function makeSettings(reference: Float32Array, captureFrames: number, options: DelayOptions): Settings {
  const minDelay = Math.round(options.minDelaySamples ?? 0);
  const maxDelay = Math.round(options.maxDelaySamples ?? Math.max(0, Math.min(captureFrames - 1, DEFAULT_MAX_DELAY_SAMPLES)));
  if (!(maxDelay >= minDelay)) throw new RangeError(`estimateDelay: maxDelaySamples (${maxDelay}) < minDelaySamples (${minDelay})`);
  const plan = planCrossSpectrum(reference, minDelay, maxDelay);
  const { mask, kLo, kHi } = bandBins(plan.referencePower, plan.M, options.bandCyclesPerSample ?? [0, 0.45]);
  return { plan, mask, kLo, kHi, minConfidence: options.minConfidence ?? 0.65, clipLevelFs: options.clipLevelFs ?? 0.999 };
}

/** The PHAT-weighted, masked G/|G| (bins 0 … M/2; 0 outside the mask and where G is 0). */
export function phat(set: BandBins, G: Float64Array, W: Float64Array): void {
  W.fill(0);
  for (let k = set.kLo; k <= set.kHi; k++) {
    if (!set.mask[k]) continue;
    const m = Math.sqrt(G[2 * k] * G[2 * k] + G[2 * k + 1] * G[2 * k + 1]);
    if (m > 0) {
      W[2 * k] = G[2 * k] / m;
      W[2 * k + 1] = G[2 * k + 1] / m;
    }
  }
}

export interface Peak {
  /** Lag index k (delay = minLag + k). */
  k: number;
  sign: number;
  start: number;
}

/**
 * Index of the largest |r| for lags 0 … D (r interleaved with stride 2 from `offset`; of equal ones the earliest, as
 * the direct path comes before an echo as strong), its sign, and a parabolic sub-sample start value from the
 * neighbours (biased by up to ~0.1 sample; only a seed).
 */
export function coarsePeak(plan: Pick<CrossSpectrumPlan, 'M' | 'minLag' | 'maxLag'>, r: Float64Array, offset: number): Peak {
  const { M, minLag, maxLag } = plan;
  const at = (k: number): number => r[2 * (((k % M) + M) % M) + offset];
  let best = -1;
  let kBest = 0;
  for (let k = 0; k <= maxLag - minLag; k++) {
    const v = Math.abs(r[2 * k + offset]);
    if (v > best) {
      best = v;
      kBest = k;
    }
  }
  const sign = at(kBest) < 0 ? -1 : 1;
  const a = sign * at(kBest - 1);
  const b = sign * at(kBest);
  const c = sign * at(kBest + 1);
  const den = a - 2 * b + c;
  const frac = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
  return { k: kBest, sign, start: kBest + frac };
}

/**
 * At continuous lag index d, over the band: the gradient Σ ω_k·Im(s·G_k e^{iω_k d}) (masked bins) and the
 * band-limited correlation r(d) = (2/M)·Re Σ_k s·G_k e^{iω_k d}. The rotation e^{iω_k d} is advanced by a
 * complex recurrence instead of a sin/cos per bin.
 */
function rotatedSums(set: Settings, G: Float64Array, sign: number, d: number): { gradient: number; correlation: number } {
  const { M } = set.plan;
  const { mask } = set;
  const step = (2 * Math.PI * d) / M;
  const sr = Math.cos(step);
  const si = Math.sin(step);
  let cr = Math.cos(step * set.kLo);
  let ci = Math.sin(step * set.kLo);
  let gradient = 0;
  let band = 0;
  for (let k = set.kLo; k <= set.kHi; k++) {
    band += G[2 * k] * cr - G[2 * k + 1] * ci;
    if (mask[k]) gradient += k * (G[2 * k] * ci + G[2 * k + 1] * cr);
    const t = cr * sr - ci * si;
    ci = cr * si + ci * sr;
    cr = t;
  }
  return { gradient: (sign * 2 * Math.PI * gradient) / M, correlation: (sign * 2 * band) / M };
}

/**
 * Whether lag index `d` lies beyond the lags searched, 0 … `lastLag`: over half a lag past either end (a crest within half a
 * lag of an end is measured there, −0.3 and 200.3 searched over 0 … 200; beyond, the delay is not among them).
 */
export function beyondSearch(d: number, lastLag: number): boolean {
  return d < -0.5 || d > lastLag + 0.5;
}

/** A crest of C refined (newtonPeak). */
export interface Lobe {
  /** Lag index (delay = minLag + d). */
  d: number;
  sums: { gradient: number; correlation: number };
  sign: number;
}

/** Newton steps of the coarse peak's own lobe (as many as its parabolic seed, ≤ 0.1 sample off, needs). */
const PRIMARY_NEWTON_STEPS = 4;
/** Newton steps of a neighbouring lobe, seeded up to ~1/4 of the carrier's period off its crest. */
const LOBE_NEWTON_STEPS = 8;
/**
 * At most this many lobes walked from the coarse peak. The walk needs no more than the envelope's main lobe holds — its
 * half-width is about 1/B samples for a band B cycles/sample wide, and the coarse peak lies within it — so the hops are
 * ⌈1/(B·half period)⌉ + 1 (2 for white noise, ~17 for noise band-passed at 0.42·fs with Q 8), and never more than this.
 */
const MAX_LOBE_HOPS = 64;

/** Newton steps from `start` up the lobe of polarity `sign` (see refine). */
function newtonPeak(set: Settings, G: Float64Array, curvature: number, sign: number, start: number, steps: number): Lobe {
  let d = start;
  let sums = rotatedSums(set, G, sign, d);
  for (let iter = 0; iter < steps && curvature > 0; iter++) {
    const step = Math.max(-0.5, Math.min(0.5, sums.gradient / curvature));
    d -= step;
    sums = rotatedSums(set, G, sign, d);
    if (Math.abs(step) < 1e-4) break;
  }
  return { d, sums, sign };
}

/**
 * The lobe of the band-limited correlation with the highest crest, walked to from the coarse peak's. The coarse
 * search compares whole lags only: for a reference whose power lies high in the band, its correlation is a carrier
 * (period 2π/ω̄, ω̄ the |G|-weighted mean frequency) under a wide envelope, and a lobe sampled at its crest — of either
 * polarity, a half period or more from the true delay — can beat the true peak sampled between two lags (noise
 * high-passed at 0.2·fs, 30.5 samples, read 31.83 samples and inverted, confidence 0.91). So from the refined peak, the
 * lobes half a period either side are refined too (each its own polarity, from the correlation's sign at its seed), and
 * those a whole period either side (LOBE_OFFSETS), and the walk moves to the highest crest among them until none is
 * higher: the crests follow the envelope, which has one maximum near the delay. A lobe is kept only when its crest is
 * higher (so a broadband capture, whose neighbours are far lower, keeps the coarse peak's answer bit for bit). The walk
 * goes on past the lags searched where the crests rise there: a crest kept beyond them means the delay is not among them
 * (a narrow-band reference delayed 201.2 samples, searched up to 200, read 200.01 inverted at confidence 0.9999 without
 * this check), and highestCrest reports it with where it lies, never as the edge's lobe. (Until session 29 the walk
 * stopped at the first higher crest past an end and that one was named: on scripts/estimateDelayReferences.ts going on
 * named a crest 1.1–2.5 samples nearer the delay in 11 of 1272 refusals, e.g. 210.5 for 210.55 instead of 213.0, and
 * changed no measured delay.)
 */
function highestLobe(set: Settings, G: Float64Array, curvature: number, centroid: number, bandCyclesPerSample: number, start: Lobe): Lobe {
  if (!(centroid > 0)) return start; // no masked bin carries power (NaN): no carrier to walk
  const halfPeriod = Math.PI / centroid;
  const hops = Math.min(MAX_LOBE_HOPS, Math.ceil(1 / (bandCyclesPerSample * halfPeriod)) + 1);
  let best = start;
  for (let hop = 0; hop < hops; hop++) {
    let next: Lobe | undefined;
    for (const offset of LOBE_OFFSETS) {
      const seed = best.d + offset * halfPeriod;
      const atSeed = rotatedSums(set, G, 1, seed).correlation;
      const lobe = newtonPeak(set, G, curvature, atSeed < 0 ? -1 : 1, seed, LOBE_NEWTON_STEPS);
      if (!(lobe.sums.correlation > (next ?? best).sums.correlation)) continue;
      next = lobe;
    }
    if (!next) return best;
    best = next;
  }
  return best;
}

/**
 * Where highestLobe looks from a crest, in half carrier periods: the lobes either side (the other polarity), then the
 * next ones of the same polarity. The crests follow the envelope only to within what the rest of the band adds: over a
 * flat envelope (a Q 64 band at 0.2·fs, its crests 1e-4 apart) a white floor 37 dB down whose bins straddle the mask
 * left the other polarity's crests 2e-6 under this one's while the true crest, a period on, was 7e-5 over it — the walk
 * stopped there and read 30.15 samples as 25.15 (confidence 0.9998).
 * Each is refined, also a lobe a period on whose seed reads low: where the band holds two carriers (two bands, or tones)
 * the centroid's period lands that seed between crests, and a higher crest lies within the Newton steps' reach. Refined
 * only when its seed read over half of the crest (which saved 36 of 62 rotatedSums an estimate on white noise), a
 * reference of two bands (0.05 and 0.35·fs, Q 8) delayed 30.5 samples at 40 dB SNR read 2.84 samples off (confidence 0.90).
 */
const LOBE_OFFSETS = [-1, 1, -2, 2] as const;

/**
 * The highest crest of the band-limited correlation C among the lags searched, from the coarse peak's refined crest
 * (`primary`), and a crest beyond them that stands higher still (the delay is not among them), if any.
 * highestLobe walks from crest to crest by the centroid's half period, which follows the envelope of one carrier; a
 * reference of two or more bands (or tones) has crests where the carriers' periods meet instead, and a crest of either
 * polarity several samples from the delay can stand higher than its neighbours while the true one is higher still (two
 * bands at 0.08 and 0.4·fs, Q 16, 30.5 samples at 40 dB SNR read 6.25 samples off and inverted at confidence 0.9996;
 * in a random sweep of 400 references of 2–3 bands, 29 read a wrong crest whose true one was higher). So C is read on
 * a grid over the whole period (correlationGrid), and a grid maximum that can stand higher than the crest in hand —
 * within the grid's reading error e·max|C| of it: a crest lies at most h/2 from a grid point of spacing h, where it
 * reads at most e = ½·(πfh)² of max|C| lower (f the band's highest frequency, cycles/sample; Bernstein), and max|C| ≤
 * p/(1 − e), p the grid's largest |C| over the period — is refined (Newton), highest first, and kept when higher:
 * 1. Every half lag (one transform): when no maximum anywhere in the period can stand higher than `primary`, it is the
 *    answer, without the walk (a broadband capture: the walk's ~58 Newton evaluations were most of an estimate).
 * 2. Otherwise the walk, then every quarter lag (a second transform) among the lags searched, then the walk again from
 *    a higher crest found; beyond the lags searched, the highest crest on the quarter grid that stands higher, or the
 *    crest kept when it lies there, is reported as outside.
 * A grid maximum or refined crest within half a lag of the crest in hand is that crest (crests of |C| lie about half the
 * shortest period, over a lag, apart). Measured against the walk alone: 1500 random multi-band references (two sweeps,
 * seeds 777 and 4242: 107 and 122 estimates corrected, none made wrong, every estimate both got right identical as
 * JSON); 432 references of six kinds (white, programme, Q 64, high-, low- and band-passed) at 9 delays and 4 SNRs: the
 * same JSON for every delay among the lags searched, and delay-out-of-range for 24 beyond them that read a wrong delay
 * (5) or "no coherent signal" (19) before. Cost: `rig bench latency_estimate` 159.4 → 144.1 ms, the calibration's 32
 * channels (0.25 s probe, 139 000 lags) 1.06–1.17 → 0.90–0.97 s (interleaved, load 5–6); the multi-band sweep about
 * 1.8× the walk alone's time (1.1 → 2.0 s for 400; both transforms, ~8 Newton refinements an estimate).
 */
function highestCrest(set: Settings, G: Float64Array, curvature: number, centroid: number, bandCyclesPerSample: number, primary: Lobe, scratch: CorrelationGridScratch): { lobe: Lobe; outside?: Lobe } {
  const { plan, kLo, kHi } = set;
  const lastLag = plan.maxLag - plan.minLag;
  const highest = kHi / plan.M;
  correlationGrid(plan.fft, G, kLo, kHi, 'half', scratch);
  // No crest anywhere in the period, among the lags searched or beyond them, can stand higher: the coarse peak's own
  // crest is the answer, and the walk (and its Newton steps, most of an estimate's refinement) is not needed.
  // If that crest lies beyond the lags searched (the coarse peak at an end, its crest further), so does the delay.
  if (!periodHasRival(scratch.half, plan.M, primary, gridReadingError(highest, 2, scratch.peak))) return { lobe: primary, outside: beyondSearch(primary.d, lastLag) ? primary : undefined };
  const walked = highestLobe(set, G, curvature, centroid, bandCyclesPerSample, primary);
  correlationGrid(plan.fft, G, kLo, kHi, 'quarter', scratch);
  const readingError = gridReadingError(highest, GRID_POINTS_PER_LAG, scratch.peak);
  /** The crest refined from grid point q, of the polarity the grid reads there. */
  const refineAt = (q: number): Lobe => {
    const lag = q / GRID_POINTS_PER_LAG;
    // Lags past the period's middle are the wrapped negative ones (never among the lags searched: M > 2·lastLag).
    return newtonPeak(set, G, curvature, periodGridAt(scratch, q) < 0 ? -1 : 1, lag > plan.M / 2 ? lag - plan.M : lag, LOBE_NEWTON_STEPS);
  };
  const higher = higherAmong(scratch, gridMaxima(scratch, lastLag, walked, readingError), readingError, walked, lastLag, refineAt);
  const kept = higher ? highestLobe(set, G, curvature, centroid, bandCyclesPerSample, higher) : walked;
  // A crest beyond the lags searched counts if it stands higher than the crest kept: the highest the grid shows beyond
  // them; or the crest kept itself, when it lies beyond them — the coarse peak's, or one the walk went on to (the crest
  // just past an end, whose grid point lies among the lags searched: a Q 64 band 210.55 samples late, searched to 210,
  // read 208.05 without it).
  const outside =
    crestBeyond(scratch, maximaBeyond(scratch, lastLag, kept, readingError), readingError, kept, lastLag, refineAt) ??
    (beyondSearch(kept.d, lastLag) ? kept : undefined);
  return { lobe: kept, outside };
}

/**
 * The most a grid of `pointsPerLag` points a lag reads a crest of C low: e·max|C| ≤ e·peak/(1 − e), e the grid's
 * reading share (gridReadingShare, for a band whose highest frequency is `highestCyclesPerSample`) and `peak` the grid's
 * largest |C| over the whole period.
 */
export function gridReadingError(highestCyclesPerSample: number, pointsPerLag: number, peak: number): number {
  const e = gridReadingShare(highestCyclesPerSample, pointsPerLag);
  return (e * peak) / (1 - e);
}

/**
 * Whether the half-lag grid over the whole period (`half`, correlationGrid's 'half' stage: C(n) at 2n, C(n + ½) at
 * 2n + 1, n = 0 … M − 1, lags past the searched ones and the wrapped negative ones included) has a local maximum of
 * |C| that can stand for a crest higher than `best`'s and is not its own (half a lag from it or more, around the period).
 */
export function periodHasRival(half: Float64Array, M: number, best: Lobe, readingError: number): boolean {
  const points = 2 * M;
  for (let i = 0; i < points; i++) {
    const v = Math.abs(half[i]);
    if (v + readingError <= best.sums.correlation) continue;
    if (Math.abs(half[(i + points - 1) % points]) > v || Math.abs(half[(i + 1) % points]) >= v) continue;
    const apart = Math.abs(i / 2 - best.d) % M;
    if (Math.min(apart, M - apart) < 0.5) continue;
    return true;
  }
  return false;
}

/** Grid indices (periodGridAt), found in increasing order, by |C| there, highest first; of equal ones the lowest index first (the sort is stable). */
function highestFirst(scratch: CorrelationGridScratch, indices: number[]): number[] {
  return indices.sort((a, b) => Math.abs(periodGridAt(scratch, b)) - Math.abs(periodGridAt(scratch, a)));
}

/**
 * The quarter-lag grid's indices (periodGridAt) of the local maxima of |C| up to lag `lastLag`, its neighbours taken only
 * among those lags, that can stand for a crest higher than `best`'s (|C| + readingError over its crest) and are not its
 * own (half a lag from it or more); highest first.
 */
export function gridMaxima(scratch: CorrelationGridScratch, lastLag: number, best: Lobe, readingError: number): number[] {
  const at = (q: number) => Math.abs(periodGridAt(scratch, q));
  const last = lastLag * GRID_POINTS_PER_LAG;
  const found: number[] = [];
  for (let i = 0; i <= last; i++) {
    const v = at(i);
    if (v + readingError <= best.sums.correlation) continue;
    if ((i > 0 && at(i - 1) > v) || (i < last && at(i + 1) >= v)) continue;
    if (Math.abs(i / GRID_POINTS_PER_LAG - best.d) < 0.5) continue;
    found.push(i);
  }
  return highestFirst(scratch, found);
}

/**
 * The highest crest refined (`refineAt`) from the grid maxima `candidates` (highest first) that stands higher than
 * `start`'s and that `counts`, if any. A maximum is refined only while it can stand higher than the highest crest in hand
 * (|C| + readingError over it): the candidates come highest first, so none after it can.
 */
function highestRefined(scratch: CorrelationGridScratch, candidates: readonly number[], readingError: number, start: Lobe, refineAt: (q: number) => Lobe, counts: (lobe: Lobe) => boolean): Lobe | undefined {
  let higher: Lobe | undefined;
  for (const q of candidates) {
    const top = higher ?? start;
    if (Math.abs(periodGridAt(scratch, q)) + readingError <= top.sums.correlation) break;
    const lobe = refineAt(q);
    if (counts(lobe) && lobe.sums.correlation > top.sums.correlation) higher = lobe;
  }
  return higher;
}

/**
 * The highest crest refined (`refineAt`) from the grid maxima `candidates` (highest first) that stands higher than
 * `start`'s, among the lags searched (to half a lag past either end) and not `start`'s own (half a lag from it or more),
 * if any (highestRefined).
 */
export function higherAmong(scratch: CorrelationGridScratch, candidates: readonly number[], readingError: number, start: Lobe, lastLag: number, refineAt: (q: number) => Lobe): Lobe | undefined {
  return highestRefined(scratch, candidates, readingError, start, refineAt, (lobe) => !beyondSearch(lobe.d, lastLag) && Math.abs(lobe.d - start.d) >= 0.5);
}

/**
 * The quarter-lag grid's indices (periodGridAt, both stages of correlationGrid) of the local maxima of |C| beyond the
 * lags searched (past the last, or before the first: the period's wrapped lags), from half a lag past `lastLag` around to
 * the period's end, its neighbours taken around the period, that can stand for a crest higher than `best`'s; highest first.
 */
export function maximaBeyond(scratch: CorrelationGridScratch, lastLag: number, best: Lobe, readingError: number): number[] {
  const points = scratch.half.length * 2;
  const found: number[] = [];
  for (let q = 4 * lastLag + 3; q < points; q++) {
    const v = Math.abs(periodGridAt(scratch, q));
    if (v + readingError <= best.sums.correlation) continue;
    if (Math.abs(periodGridAt(scratch, q - 1)) > v || Math.abs(periodGridAt(scratch, (q + 1) % points)) >= v) continue;
    found.push(q);
  }
  return highestFirst(scratch, found);
}

/**
 * The highest crest beyond the lags searched (over half a lag past either end) that stands higher than `best`'s, refined
 * (`refineAt`) from the grid maxima beyond them (`candidates`, maximaBeyond), if any (highestRefined). The highest, not
 * the first found higher: a narrow band's crests beyond an end stand nearly as high as each other (Q 64 at 0.2·fs,
 * 9.4 samples searched from 10 at 40 dB SNR: the grid's highest point beyond, at 6.9, refines to a crest 5e-8 over the
 * crest in hand, the true one at 9.4 is 2e-6 higher; the first read named 6.9). The walk finds such a crest only within
 * its reach of the crest it starts from; a programme delayed 201.2 samples, searched up to 200, has an unrelated crest
 * at 174 higher than the edge's (confidence 0.85), which the grid's search would otherwise report as the delay.
 */
export function crestBeyond(scratch: CorrelationGridScratch, candidates: readonly number[], readingError: number, best: Lobe, lastLag: number, refineAt: (q: number) => Lobe): Lobe | undefined {
  return highestRefined(scratch, candidates, readingError, best, refineAt, (lobe) => beyondSearch(lobe.d, lastLag));
}

/**
 * Newton steps maximising C(d) = Re Σ_k s·G_k e^{iω_k d} over the masked band — the band-limited,
 * |G|-weighted cross-correlation at continuous lag d: d ← d − Σ ω_k Im(·) / Σ ω_k²|G_k|. This is the
 * magnitude-weighted phase-slope fit of the doc comment above, linearised around the current estimate.
 */
function refine(set: Settings, G: Float64Array, capturePower: Float64Array, capture: Float32Array, peak: Peak, gridScratch: CorrelationGridScratch): DelayEstimate {
  const { plan, mask } = set;
  const { M } = plan;
  const clip = detectClipping(capture, set.clipLevelFs);
  let curvature = 0;
  let firstBin = -1;
  let lastBin = -1;
  let weight = 0;
  let weightedOmega = 0;
  let referenceBand = 0;
  let captureBand = 0;
  for (let k = set.kLo; k <= set.kHi; k++) {
    referenceBand += plan.referencePower[k];
    captureBand += capturePower[k];
    if (!mask[k]) continue;
    const w = (2 * Math.PI * k) / M;
    const magnitude = Math.sqrt(G[2 * k] * G[2 * k] + G[2 * k + 1] * G[2 * k + 1]);
    curvature += magnitude * w * w;
    if (firstBin < 0) firstBin = k;
    lastBin = k;
    weight += magnitude;
    weightedOmega += magnitude * w;
  }
  /** The |G|-weighted mean frequency, rad/sample (NaN when no masked bin carries power). */
  const centroid = weightedOmega / weight;
  // The capture's power over the whole window, one-sided: bins 1 … M/2 − 1 stand for two bins each (k and M − k),
  // as do the band's; DC and Nyquist for one, so they count half (counted whole, a tone at Nyquist as loud as the
  // signal doubled its share and read ρ = 1 at 10 dB SNR).
  let captureTotal = 0.5 * (capturePower[0] + capturePower[M / 2]);
  for (let k = 1; k < M / 2; k++) captureTotal += capturePower[k];
  const referenceEnergy = (2 / M) * referenceBand;
  /** ρ of a lobe (see the doc comment's step 4), clamped to 0 … 1. */
  const confidenceOf = (at: Lobe): number => {
    const start = Math.round(plan.minLag + at.d);
    const captureEnergy = energy(capture, start, start + plan.referenceFrames) * (captureTotal > 0 ? captureBand / captureTotal : 0);
    const rho = captureEnergy > 0 && referenceEnergy > 0 ? at.sums.correlation / Math.sqrt(referenceEnergy * captureEnergy) : 0;
    return Math.max(0, Math.min(1, rho));
  };
  /** The masked bins' span, cycles/sample (the envelope's width is about its inverse). */
  const bandCyclesPerSample = (lastBin - firstBin + 1) / M;
  const { lobe, outside } = highestCrest(set, G, curvature, centroid, bandCyclesPerSample, newtonPeak(set, G, curvature, peak.sign, peak.start, PRIMARY_NEWTON_STEPS), gridScratch);
  if (outside && confidenceOf(outside) >= set.minConfidence) {
    return {
      ok: false,
      reason: 'delay-out-of-range',
      detail: `the correlation rises beyond the delays searched (${plan.minLag} … ${plan.maxLag} samples): a higher crest at about ${(plan.minLag + outside.d).toFixed(1)} samples (the delay lies there or further): search further`,
      clipped: clip.clipped,
    };
  }
  const { d, sums, sign } = lobe;
  const delaySamples = plan.minLag + d;
  const confidence = confidenceOf(lobe);
  if (!(confidence >= set.minConfidence)) {
    return {
      ok: false,
      reason: 'no-coherent-signal',
      detail: `the best delay explains only ${(100 * confidence * confidence).toFixed(1)} % of the capture's energy (confidence ${confidence.toFixed(3)} < ${set.minConfidence})`,
      clipped: clip.clipped,
    };
  }
  const snrDb = Math.min(MAX_SNR_DB, 10 * Math.log10((confidence * confidence) / Math.max(1e-12, 1 - confidence * confidence)));
  const gain = referenceEnergy > 0 ? (sign * sums.correlation) / referenceEnergy : 0;
  return { ok: true, delaySamples, confidence, inverted: sign < 0, clipped: clip.clipped, clippedSamples: clip.clippedSamples, snrDb, gain };
}

function precheck(reference: Float32Array, capture: Float32Array, referenceEnergy: number): DelayEstimate | undefined {
  const captureEnergy = energy(capture);
  if (!Number.isFinite(referenceEnergy) || !Number.isFinite(captureEnergy)) return { ok: false, reason: 'not-finite', detail: 'the reference or the capture holds NaN or infinite samples', clipped: false };
  if (reference.length === 0 || referenceEnergy === 0) return { ok: false, reason: 'reference-silent', detail: 'the reference holds no signal', clipped: false };
  if (capture.length === 0 || captureEnergy === 0) return { ok: false, reason: 'capture-silent', detail: 'the capture is silent (all zeros)', clipped: false };
  return undefined;
}

/** The delay of `capture` relative to `reference`, or a typed "no measurement" with its reason. */
export function estimateDelay(reference: Float32Array, capture: Float32Array, options: DelayOptions = {}): DelayEstimate {
  return estimateDelays(reference, [capture], options)[0];
}

/**
 * `estimateDelay` for many captures of one reference (e.g. the 32 channels of a calibration run): the
 * reference's segment spectra are computed once, and captures go through the FFT two at a time (one
 * complex transform carries two real signals, forward and inverse).
 */
export function estimateDelays(reference: Float32Array, captures: readonly Float32Array[], options: DelayOptions = {}): DelayEstimate[] {
  const results: DelayEstimate[] = new Array(captures.length);
  const pending: number[] = [];
  const referenceEnergy = energy(reference);
  captures.forEach((c, i) => {
    const bad = precheck(reference, c, referenceEnergy);
    if (bad) results[i] = bad;
    else pending.push(i);
  });
  if (pending.length === 0) return results;
  const longest = Math.max(...pending.map((i) => captures[i].length));
  const set = makeSettings(reference, longest, options);
  const { M, fft } = set.plan;
  const scratch = crossSpectrumScratch(set.plan);
  const G = [new Float64Array(M + 2), new Float64Array(M + 2)];
  const W = [new Float64Array(M + 2), new Float64Array(M + 2)];
  const P = [new Float64Array(M / 2 + 1), new Float64Array(M / 2 + 1)];
  const gridScratch = correlationGridScratch(M);
  for (let p = 0; p < pending.length; p += 2) {
    const ia = pending[p];
    const ib = pending[p + 1];
    const b = ib === undefined ? undefined : captures[ib];
    accumulateCrossSpectra(set.plan, captures[ia], b, G[0], G[1], P[0], P[1]);
    phat(set, G[0], W[0]);
    phat(set, G[1], W[1]);
    inversePair(fft, W[0], W[1], scratch.z);
    results[ia] = refine(set, G[0], P[0], captures[ia], coarsePeak(set.plan, scratch.z, 0), gridScratch);
    if (b) results[ib] = refine(set, G[1], P[1], b, coarsePeak(set.plan, scratch.z, 1), gridScratch);
  }
  return results;
}
