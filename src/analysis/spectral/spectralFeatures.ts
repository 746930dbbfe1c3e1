import type { PowerSpectrum } from './powerSpectrum.ts';

/** Summary shape of a spectrum. All null for a silent signal (there is no spectrum to describe). */
export interface SpectralFeatures {
  /** Power-weighted mean frequency, Σ f·P / Σ P. */
  centroidHz: number | null;
  /** Power-weighted standard deviation about the centroid, √(Σ (f − c)²·P / Σ P) (the "spectral spread"). */
  bandwidthHz: number | null;
  /** Wiener entropy: geometric over arithmetic mean of P, 0 (a pure tone) … 1 (white noise). */
  flatness: number | null;
  /** 10·log10(flatness). */
  flatnessDb: number | null;
}

/**
 * Spectral centroid, bandwidth and flatness (Peeters, "A large set of audio features", IRCAM 2004, §6.1;
 * Johnston 1988 for flatness) from a power spectrum. Weights are power (|X|²), not magnitude as in
 * librosa; for white noise both give a centroid of fs/4, and bandwidth fs/(4√3) ≈ 0.144·fs/2.
 * Flatness uses the bins between DC and Nyquist, each floored at 10⁻¹⁵ of the largest so one empty bin
 * does not send the geometric mean to 0; Welch averaging over K frames biases it slightly below 1 for
 * white noise (≈ 0.98 with 22 frames).
 */
export function spectralFeatures(spectrum: PowerSpectrum): SpectralFeatures {
  const { power, frequenciesHz } = spectrum;
  let total = 0;
  let moment = 0;
  let max = 0;
  for (let k = 0; k < power.length; k++) {
    total += power[k];
    moment += frequenciesHz[k] * power[k];
    if (power[k] > max) max = power[k];
  }
  if (!(total > 0)) return { centroidHz: null, bandwidthHz: null, flatness: null, flatnessDb: null };
  const centroidHz = moment / total;
  let spread = 0;
  for (let k = 0; k < power.length; k++) spread += (frequenciesHz[k] - centroidHz) ** 2 * power[k];
  const floor = max * 1e-15;
  let logSum = 0;
  let linSum = 0;
  const inner = power.length - 2;
  for (let k = 1; k <= inner; k++) {
    const p = Math.max(power[k], floor);
    logSum += Math.log(p);
    linSum += p;
  }
  const flatness = inner > 0 ? Math.exp(logSum / inner) / (linSum / inner) : null;
  return { centroidHz, bandwidthHz: Math.sqrt(spread / total), flatness, flatnessDb: flatness === null ? null : 10 * Math.log10(flatness) };
}
