import { blockMeanSquare, peakBlockMeanSquare } from './energyEnvelope.ts';
import { fitLine } from './linearFit.ts';
import { estimateNoiseFloor } from './noiseFloor.ts';

/** Where the decay meets the noise, and the energy the truncated tail would have carried. */
export type LundebyResult =
  | {
      ok: true;
      /** Absolute sample index at which to stop the Schroeder integral. */
      crosspointSample: number;
      /** Energy (Σ h²) of the decay extrapolated beyond the crosspoint, added to the integral. */
      tailEnergy: number;
      noiseMeanSquare: number;
      /** Decay range above the final noise estimate, dB. */
      dynamicRangeDb: number;
      /** Slope of the late decay, dB per second (negative). */
      lateSlopeDbPerSecond: number;
      iterations: number;
      converged: boolean;
    }
  | { ok: false; reason: 'no-decay-above-noise'; dynamicRangeDb: number };

const INITIAL_BLOCK_SECONDS = 0.01;
const BLOCKS_PER_10_DB = 5;
const NOISE_MARGIN_DB = 5;
const LATE_FIT_RANGE_DB = 20;
const NOISE_START_AFTER_CROSSPOINT_DB = 10;
const CONVERGED_SECONDS = 0.01;
const MAX_ITERATIONS = 10;
/** Shortest block of a band-filtered response, in units of 1/B: a block's mean square has ~2·B·L degrees of freedom. */
const MIN_BLOCK_BANDWIDTH_PRODUCT = 2;
/** Fewest blocks the late fit of a band-filtered response takes: two blocks of 2/B can lie flat by chance. */
const LATE_FIT_FEWEST_BAND_BLOCKS = 3;

const toDb = (v: number): number => 10 * Math.log10(v);

/**
 * Fits the block levels (dB) from the first block at or below `highDb` after the peak to the last above `lowDb`.
 * The peak is the last of equal loudest blocks: the decay is what follows the last maximum.
 */
function fitBlocks(levels: Float64Array, blockSamples: number, highDb: number, lowDb: number, fewest = 2): { slope: number; intercept: number } | null {
  let peak = 0;
  for (let b = 1; b < levels.length; b++) if (levels[b] >= levels[peak]) peak = b;
  let first = peak;
  while (first < levels.length && levels[first] > highDb) first++;
  let last = first;
  while (last < levels.length && levels[last] > lowDb) last++;
  if (last - first < fewest) return null;
  // Block b's centre is at (b + ½)·L samples after the onset.
  const centred = new Float64Array(last - first);
  for (let b = first; b < last; b++) centred[b - first] = levels[b];
  const fit = fitLine(centred, 0, centred.length, blockSamples);
  if (!fit || !(fit.slope < 0)) return null;
  const x0 = (first + 0.5) * blockSamples;
  return { slope: fit.slope, intercept: fit.intercept - fit.slope * x0 };
}

/**
 * Lundeby, Vigran, Bietz & Vorländer, "Uncertainties of measurements in room acoustics",
 * Acustica 81 (1995) 344–355: finds where the decay sinks into the background noise so the Schroeder
 * integral can stop there, and estimates the energy lost by stopping.
 *  1. square and average h in 10 ms blocks; noise = mean square of the last 10 %;
 *  2. fit a line to the block levels from the peak down to 10 dB above the noise; crosspoint where it meets the noise;
 *  3. re-average in blocks of (10 dB / slope)/5 (five per 10 dB of decay); noise from 10 dB of decay past the
 *     crosspoint (at least the last 10 %); fit the late decay from 25 dB to 5 dB above the noise;
 *     new crosspoint; repeat until it moves < 10 ms (at most 10 times). One refinement over the paper: the
 *     late fit uses block levels with the noise mean square subtracted, which removes a measured 1.4 dB
 *     (23 ms at T = 1 s) late bias of the crosspoint and a 45 % overestimate of the tail energy;
 *  4. tail energy = e(tc)/(1 − 10^(s/10)), the geometric sum of the fitted decay e(n) = 10^((A + s·n)/10) past tc.
 * With `bandwidthHz` (a band-filtered response), step 3's blocks are at least 2/B long: a block of band noise of
 * bandwidth B and length L has ~2·B·L degrees of freedom, and five blocks per 10 dB of a fast decay in a narrow band
 * (10 ms at 200 dB/s, under 1/B = 22 ms at 63 Hz) swing by ±10 dB, so the late fit followed the swings (a slope of
 * −20 dB/s for −180 dB/s) and put the crosspoint on the recording's end. A decay too fast for two such blocks in
 * the late range keeps its first fit (10 ms blocks over the whole decay); so does one with fewer than three blocks
 * there (two fluctuating ones gave −30 dB/s for −160 dB/s and a crosspoint on the end).
 * `energy` is the backward integral of h² over the whole signal (schroederIntegral(h)), so every block
 * and noise average costs O(1). With the tail added, T30 of a 60 dB-range exponential decay comes within 0.5 % of the truth (sim/analysis).
 */
export function lundebyTruncation(energy: Float64Array, sampleRate: number, onsetSample: number, bandwidthHz?: number): LundebyResult {
  const end = energy.length;
  const length = end - onsetSample;
  const initial = estimateNoiseFloor(energy, sampleRate, onsetSample);
  if (initial.noiseMeanSquare === 0) {
    let last = end;
    while (last > onsetSample && energy[last - 1] === 0) last--;
    return { ok: true, crosspointSample: last, tailEnergy: 0, noiseMeanSquare: 0, dynamicRangeDb: initial.dynamicRangeDb, lateSlopeDbPerSecond: NaN, iterations: 0, converged: true };
  }
  let noiseDb = toDb(initial.noiseMeanSquare);
  const minimumBlock = bandwidthHz ? Math.max(1, Math.round((MIN_BLOCK_BANDWIDTH_PRODUCT / bandwidthHz) * sampleRate)) : 1;
  let block = Math.max(1, Math.round(INITIAL_BLOCK_SECONDS * sampleRate));
  let levels = blockMeanSquare(energy, onsetSample, end, block).map(toDb);
  let fit = fitBlocks(levels, block, Infinity, noiseDb + 10);
  if (!fit) return { ok: false, reason: 'no-decay-above-noise', dynamicRangeDb: initial.dynamicRangeDb };
  // The decay's starting level for the range, read in blocks of at least 2/B too: the loudest 10 ms block of a
  // narrow band is a fluctuation's peak (the 63 Hz band has ~0.9 degrees of freedom in 10 ms).
  const peakMeanSquare = minimumBlock > block ? peakBlockMeanSquare(energy, onsetSample, end, minimumBlock) : initial.peakMeanSquare;
  let crosspoint = Math.min(length, (noiseDb - fit.intercept) / fit.slope);
  let iterations = 0;
  let converged = false;
  let noiseMeanSquare = initial.noiseMeanSquare;
  while (iterations < MAX_ITERATIONS && !converged) {
    iterations++;
    block = Math.max(minimumBlock, Math.round(10 / -fit.slope / BLOCKS_PER_10_DB));
    const blocks = blockMeanSquare(energy, onsetSample, end, block);
    const noiseFrom = Math.min(Math.round(crosspoint + NOISE_START_AFTER_CROSSPOINT_DB / -fit.slope), Math.floor(length * 0.9));
    noiseMeanSquare = estimateNoiseFloor(energy, sampleRate, onsetSample, onsetSample + Math.max(0, noiseFrom)).noiseMeanSquare;
    if (!(noiseMeanSquare > 0)) break;
    noiseDb = toDb(noiseMeanSquare);
    // Block levels with the noise's mean square taken out, so the line is the decay's own and not bent up by
    // the noise near its lower end (at 5 dB above the noise, the noise is a quarter of the block's energy).
    const floor = noiseMeanSquare;
    levels = blocks.map((ms) => toDb(Math.max(ms - floor, floor * 1e-3)));
    const late = fitBlocks(levels, block, noiseDb + NOISE_MARGIN_DB + LATE_FIT_RANGE_DB, noiseDb + NOISE_MARGIN_DB, bandwidthHz ? LATE_FIT_FEWEST_BAND_BLOCKS : 2);
    if (!late) break;
    fit = late;
    const next = Math.min(length, (noiseDb - fit.intercept) / fit.slope);
    converged = Math.abs(next - crosspoint) < CONVERGED_SECONDS * sampleRate;
    crosspoint = next;
  }
  const crosspointSample = Math.max(onsetSample + 1, Math.min(end, onsetSample + Math.round(crosspoint)));
  const tc = crosspointSample - onsetSample;
  const eAtCrosspoint = 10 ** ((fit.intercept + fit.slope * tc) / 10);
  const tailEnergy = eAtCrosspoint / (1 - 10 ** (fit.slope / 10));
  return {
    ok: true,
    crosspointSample,
    tailEnergy,
    noiseMeanSquare,
    dynamicRangeDb: 10 * Math.log10(peakMeanSquare / noiseMeanSquare),
    lateSlopeDbPerSecond: fit.slope * sampleRate,
    iterations,
    converged,
  };
}
