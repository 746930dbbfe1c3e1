import { energyBetween, peakBlockMeanSquare } from './energyEnvelope.ts';

/** The background noise of an impulse response and the decay range it leaves. */
export interface NoiseFloor {
  /** Mean square of the noise (full scale² per sample); 0 for digital silence. */
  noiseMeanSquare: number;
  /** Highest 10 ms mean square at or after the onset: the start of the decay. */
  peakMeanSquare: number;
  /** 10·log10(peak / noise): the decay range available above the noise (Infinity over digital silence). */
  dynamicRangeDb: number;
}

/** Length of the smoothing block used to read the decay's starting level (10 ms, Lundeby's shortest). */
export const PEAK_BLOCK_SECONDS = 0.01;

/**
 * Background noise as ISO 3382-1 and Lundeby et al. (1995) estimate it at first: the mean square of the
 * last `tailFraction` (10 %) of the response (or of [noiseStart, end) when given). If the response has not
 * decayed into noise by then, the "noise" is decay energy, so the reported range is an underestimate —
 * the safe direction for deciding whether T30 can be measured. `energy` is the backward integral of h²
 * over the whole signal (schroederIntegral(h)).
 */
export function estimateNoiseFloor(energy: Float64Array, sampleRate: number, onsetSample: number, noiseStart?: number, tailFraction = 0.1): NoiseFloor {
  const end = energy.length;
  const start = noiseStart ?? Math.floor(end - Math.max(1, (end - onsetSample) * tailFraction));
  const noiseMeanSquare = end > start ? Math.max(0, energyBetween(energy, start, end)) / (end - start) : 0;
  const peakMeanSquare = peakBlockMeanSquare(energy, onsetSample, end, Math.max(1, Math.round(PEAK_BLOCK_SECONDS * sampleRate)));
  const dynamicRangeDb = noiseMeanSquare > 0 ? 10 * Math.log10(peakMeanSquare / noiseMeanSquare) : peakMeanSquare > 0 ? Infinity : 0;
  return { noiseMeanSquare, peakMeanSquare, dynamicRangeDb };
}
