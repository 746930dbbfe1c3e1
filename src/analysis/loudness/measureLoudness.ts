import { addKWeightedSubBlockEnergies, subBlockBounds } from './subBlockEnergies.ts';
import { blockMeanSquares, integratedLoudness, loudnessRange, lufsFromMeanSquare } from './loudnessGating.ts';
import { firstNonFinite } from '../signal/firstNonFinite.ts';
import type { KWeightingPair } from './kWeightingSimd.ts';
import { samplePeakLinear, truePeakLinear } from './truePeak.ts';

/**
 * Programme loudness per ITU-R BS.1770-4 / EBU R128 (Tech 3341 meter, Tech 3342 loudness range).
 *
 * Channel order assumption (when no weights are passed): 1 = mono, 2 = L R, 3 = L R C, 5 = L R C Ls Rs,
 * 6 = L R C LFE Ls Rs (SMPTE/WAVE 5.1 order; the LFE is excluded with weight 0); weights 1, 1, 1, 1.41,
 * 1.41 for L, R, C, Ls, Rs. Any other channel count gets weight 1 per channel — pass `channelWeights`
 * for other layouts (channelWeightsFromMask gives them for a WAV file's declared speaker positions). A mono
 * file is measured as one channel (a −23 dBFS sine reads −26 LUFS); no dual-mono +3 dB is applied.
 */
export interface LoudnessOptions {
  /** One weight Gᵢ per channel (0 excludes a channel), overriding the layout defaults above. */
  channelWeights?: number[];
  /** Skip the 4× oversampled true peak (then truePeakDbtp = samplePeakDbfs; truePeakDbtpOf gives it from true peaks measured elsewhere). Default true. */
  truePeak?: boolean;
  /**
   * Each channel's largest |x|, already measured (e.g. levelMetricsPerChannel's peaks) over samples known
   * to be finite: used instead of a pass of samplePeakLinear per channel. Give them only for finite
   * channels: the check for NaN and ±Infinity is part of that pass.
   */
  samplePeaksLinear?: readonly number[];
  /** K-weights channels two at a time in WebAssembly (same sums to the last bit), when made for this sample rate. */
  kWeightingPair?: KWeightingPair;
}

export interface LoudnessResult {
  /** Gated integrated loudness in LUFS; null when every 400 ms block is below the −70 LUFS gate. */
  integratedLufs: number | null;
  /** Largest momentary (400 ms) loudness, LUFS; −Infinity for silence or a signal shorter than 400 ms. */
  momentaryMaxLufs: number;
  /** Largest short-term (3 s) loudness, LUFS; −Infinity for silence or a signal shorter than 3 s. */
  shortTermMaxLufs: number;
  /** EBU Tech 3342 loudness range in LU; 0 when no short-term block passes the gates. */
  loudnessRangeLu: number;
  /** Largest 4×-oversampled magnitude over all channels (LFE included), dBTP; −Infinity for silence. */
  truePeakDbtp: number;
  /** Largest sample magnitude over all channels, dBFS; −Infinity for silence. */
  samplePeakDbfs: number;
  /** Momentary loudness every 100 ms: element i covers [0.1·i, 0.1·i + 0.4) s. −Infinity when silent. */
  momentaryLufs: Float64Array;
  /** Short-term loudness every 100 ms: element i covers [0.1·i, 0.1·i + 3) s. −Infinity when silent. */
  shortTermLufs: Float64Array;
}

const SURROUND_WEIGHT = 1.41;

export function defaultChannelWeights(channelCount: number): number[] {
  if (channelCount === 5) return [1, 1, 1, SURROUND_WEIGHT, SURROUND_WEIGHT];
  if (channelCount === 6) return [1, 1, 1, 0, SURROUND_WEIGHT, SURROUND_WEIGHT];
  return new Array<number>(channelCount).fill(1);
}

const LFE_BIT = 1 << 3;
const BACK_PAIR = (1 << 4) | (1 << 5);
const SIDE_PAIR = (1 << 9) | (1 << 10);

/**
 * BS.1770-4 channel weights for the speaker positions of a WAVE_FORMAT_EXTENSIBLE channel mask (the channels
 * in bit order): 0 for the LFE; 1.41 for the surround pair — side left/right, or back left/right in a file
 * without sides (5.1 with mask 0x3F, quad 0x33: there the back pair is the surround pair); 1 for the rest,
 * among them the back pair of 7.1 (0x63F), at ±135–150°, outside BS.1770-4's 60–120° of azimuth (ffmpeg's
 * ebur128 weights it 1.41). Channels past the mask's positions get 1.
 */
export function channelWeightsFromMask(channelMask: number, channelCount: number): number[] {
  const backIsSurround = (channelMask & SIDE_PAIR) === 0;
  const weights: number[] = [];
  for (let bit = 0; bit < 32 && weights.length < channelCount; bit++) {
    const position = 2 ** bit;
    if ((channelMask & position) === 0) continue;
    weights.push(position === LFE_BIT ? 0 : (SIDE_PAIR & position) !== 0 || (backIsSurround && (BACK_PAIR & position) !== 0) ? SURROUND_WEIGHT : 1);
  }
  while (weights.length < channelCount) weights.push(1);
  return weights;
}

function toDb(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}

/** The true peak over all channels in dBTP from each channel's truePeakLinear (−Infinity for silence). */
export function truePeakDbtpOf(truePeaksLinear: readonly number[]): number {
  let truePeak = 0;
  for (const p of truePeaksLinear) truePeak = Math.max(truePeak, p);
  return toDb(truePeak);
}

function maxOf(values: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

export function measureLoudness(channels: Float32Array[], sampleRate: number, options: LoudnessOptions = {}): LoudnessResult {
  if (channels.length === 0) throw new RangeError('measureLoudness: no channels given');
  const frames = channels[0].length;
  channels.forEach((c, i) => {
    if (c.length !== frames) throw new RangeError(`measureLoudness: channel ${i + 1} (from 1) has ${c.length} frames, channel 1 has ${frames}`);
  });
  const weights = options.channelWeights ?? defaultChannelWeights(channels.length);
  if (weights.length !== channels.length || weights.some((w) => !(Number.isFinite(w) && w >= 0))) {
    throw new RangeError(
      `measureLoudness: channelWeights [${weights.join(', ')}] must hold one finite weight ≥ 0 per channel (${channels.length} channels)`,
    );
  }

  const bounds = subBlockBounds(frames, sampleRate);
  const energies = new Float64Array(bounds.length - 1);
  const pair = options.kWeightingPair?.sampleRateHz === sampleRate ? options.kWeightingPair : undefined;
  for (let i = 0; i < channels.length; i++) {
    if (pair && i + 1 < channels.length) pair.addEnergiesOfPair(channels[i], channels[i + 1], bounds, weights[i], weights[++i], energies);
    else addKWeightedSubBlockEnergies(channels[i], sampleRate, bounds, weights[i], energies);
  }
  const momentary = blockMeanSquares(energies, bounds, 4);
  const shortTerm = blockMeanSquares(energies, bounds, 30);
  const momentaryLufs = momentary.map(lufsFromMeanSquare);
  const shortTermLufs = shortTerm.map(lufsFromMeanSquare);

  let samplePeak = 0;
  const truePeaks: number[] = [];
  for (const [i, c] of channels.entries()) {
    const channelPeak = options.samplePeaksLinear?.[i] ?? samplePeakLinear(c);
    if (!Number.isFinite(channelPeak)) {
      const at = firstNonFinite(c);
      throw new RangeError(`measureLoudness: channel ${i + 1} (from 1) sample ${at} is ${c[at]}; loudness needs finite samples`);
    }
    samplePeak = Math.max(samplePeak, channelPeak);
    if (options.truePeak !== false) truePeaks.push(truePeakLinear(c));
  }

  return {
    integratedLufs: integratedLoudness(momentary),
    momentaryMaxLufs: maxOf(momentaryLufs),
    shortTermMaxLufs: maxOf(shortTermLufs),
    loudnessRangeLu: loudnessRange(shortTerm),
    truePeakDbtp: options.truePeak === false ? toDb(samplePeak) : truePeakDbtpOf(truePeaks),
    samplePeakDbfs: toDb(samplePeak),
    momentaryLufs,
    shortTermLufs,
  };
}
