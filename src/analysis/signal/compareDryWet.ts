import { powerSpectrum } from '../spectral/powerSpectrum.ts';
import { spectralFeatures } from '../spectral/spectralFeatures.ts';
import type { Samples } from './samples.ts';
import { thdPlusNoise, type ThdPlusNoiseResult } from './thdPlusNoise.ts';

/** How a process changed a signal. Null where a side is silent and the figure has no meaning. */
export interface DryWetComparison {
  /** Spectral centroid of wet minus dry (positive: brighter). */
  centroidShiftHz: number | null;
  /** Spectral bandwidth (spread) of wet minus dry (negative: narrower, e.g. a low-pass). */
  bandwidthChangeHz: number | null;
  /** 10·log10(E_wet / E_dry), energies Σx² over all samples and channels (a reverb tail counts in full). */
  energyRatioDb: number | null;
  /** THD+N of the wet signal, when the dry one is a sine of `sineFrequencyHz`. */
  thdPlusNoise?: ThdPlusNoiseResult;
}

function energy(channels: Samples[]): number {
  let e = 0;
  for (const x of channels) for (let i = 0; i < x.length; i++) e += x[i] * x[i];
  return e;
}

/**
 * Dry-versus-wet figures for an effect: centroid shift and bandwidth change from Welch spectra
 * (spectralFeatures), energy ratio in dB, and, for a sine input, the THD+N the process added
 * (measured on the wet signal; the dry sine's own THD+N is the floor and can be measured the same way).
 * Dry and wet may differ in length (a reverb's tail).
 */
export function compareDryWet(dry: Samples[], wet: Samples[], sampleRate: number, options: { sineFrequencyHz?: number } = {}): DryWetComparison {
  const d = spectralFeatures(powerSpectrum(dry, sampleRate));
  const w = spectralFeatures(powerSpectrum(wet, sampleRate));
  const eDry = energy(dry);
  const eWet = energy(wet);
  const result: DryWetComparison = {
    centroidShiftHz: d.centroidHz !== null && w.centroidHz !== null ? w.centroidHz - d.centroidHz : null,
    bandwidthChangeHz: d.bandwidthHz !== null && w.bandwidthHz !== null ? w.bandwidthHz - d.bandwidthHz : null,
    energyRatioDb: eDry > 0 && eWet > 0 ? 10 * Math.log10(eWet / eDry) : null,
  };
  if (options.sineFrequencyHz !== undefined) result.thdPlusNoise = thdPlusNoise(wet[0], sampleRate, options.sineFrequencyHz);
  return result;
}
