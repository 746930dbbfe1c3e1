import type { Samples } from '../signal/samples.ts';

/** erfc(1/√2): the fraction of a Gaussian's samples lying more than one standard deviation from 0. */
export const GAUSSIAN_OUTSIDE_ONE_SIGMA = 0.31731050786291415;

/** Normalised echo density over time. */
export interface EchoDensityProfile {
  /** Window centres, seconds from the start of the signal. */
  timesSeconds: Float64Array;
  /** η at each centre: 0 for isolated echoes, ≈ 1 for Gaussian (fully diffuse) reverberation. */
  echoDensity: Float64Array;
}

/**
 * Normalised echo density (Abel & Huang, "A simple, robust measure of reverberation echo density",
 * AES 121st Convention, 2006):
 *   η(t) = (1 / erfc(1/√2)) · Σ_τ w(τ)·1{|h(t+τ)| > σ(t)},  σ(t)² = Σ_τ w(τ)·h(t+τ)²,
 * with w a rectangular window of `windowSeconds` (20 ms) normalised to sum 1. Gaussian noise gives
 * η ≈ 1 (measured 1.00 ± 0.01 over 1 s), uniform noise ≈ 1.33, a sparse impulse train ≈ 0.
 * Windows are evaluated every `hopSeconds` (1 ms); a window with no energy reads 0.
 */
export function echoDensityProfile(h: Samples, sampleRate: number, windowSeconds = 0.02, hopSeconds = 0.001): EchoDensityProfile {
  const W = Math.max(2, Math.round(windowSeconds * sampleRate));
  const hop = Math.max(1, Math.round(hopSeconds * sampleRate));
  const count = h.length >= W ? Math.floor((h.length - W) / hop) + 1 : 0;
  const timesSeconds = new Float64Array(count);
  const echoDensity = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const s = k * hop;
    let energy = 0;
    for (let i = s; i < s + W; i++) energy += h[i] * h[i];
    const sigma = Math.sqrt(energy / W);
    let above = 0;
    if (sigma > 0) for (let i = s; i < s + W; i++) if (Math.abs(h[i]) > sigma) above++;
    timesSeconds[k] = (s + W / 2) / sampleRate;
    echoDensity[k] = above / W / GAUSSIAN_OUTSIDE_ONE_SIGMA;
  }
  return { timesSeconds, echoDensity };
}

/**
 * Mixing time as Abel & Huang suggest: the first window centre at which η reaches `threshold` (1),
 * measured from `onsetSeconds`; null if the profile never gets there.
 */
export function mixingTimeSeconds(profile: EchoDensityProfile, onsetSeconds = 0, threshold = 1): number | null {
  for (let k = 0; k < profile.echoDensity.length; k++) {
    if (profile.timesSeconds[k] >= onsetSeconds && profile.echoDensity[k] >= threshold) return profile.timesSeconds[k] - onsetSeconds;
  }
  return null;
}
