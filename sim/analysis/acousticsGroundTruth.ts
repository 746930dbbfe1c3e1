import { octaveBands } from '../../src/analysis/acoustics/octaveBands.ts';
import { gaussianNoise, mulberry32 } from '../../src/analysis/signal/seededNoise.ts';

/**
 * Signals whose room-acoustic figures are known exactly, for the ground-truth suite.
 */

/** Energy falls 60 dB in T: amplitude factor 10^(−3n/(fs·T)) at sample n. */
export const decayGain = (n: number, sampleRate: number, rt60Seconds: number): number => 10 ** ((-3 * n) / (sampleRate * rt60Seconds));

/** Clarity of an ideal exponential decay: C_te = 10·log10(exp(13.8155·te/T) − 1) (REFERENCES.md). */
export const exponentialClarityDb = (earlySeconds: number, rt60Seconds: number): number => 10 * Math.log10(Math.exp((6 * Math.LN10 * earlySeconds) / rt60Seconds) - 1);

/**
 * Random-sign noise (±1 each sample, seeded) times the decay: h² is exactly the decay envelope squared,
 * so energy ratios (C50, C80, D50) carry no statistical spread — the estimator alone is tested.
 */
export function decayingSignNoise(sampleRate: number, seconds: number, rt60Seconds: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const h = new Float64Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < h.length; i++) h[i] = (next() < 0.5 ? -1 : 1) * decayGain(i, sampleRate, rt60Seconds);
  return h;
}

/**
 * One exponentially decaying sine at each octave band's exact centre frequency (random phases), all with
 * reverberation time T, plus optional white Gaussian noise at `noiseFloorDb` re each sine's initial RMS.
 * In each band the answer is exactly T: the band's own sine dominates, and its neighbours (≥ 19.6 dB down
 * through the 6th-order filter) decay at the same rate.
 */
export function decayingBandSines(sampleRate: number, seconds: number, rt60Seconds: number, seed: number, noiseFloorDb?: number): Float64Array {
  const n = Math.round(seconds * sampleRate);
  const h = new Float64Array(n);
  const next = mulberry32(seed);
  const step = decayGain(1, sampleRate, rt60Seconds);
  for (const band of octaveBands(sampleRate)) {
    const w = (2 * Math.PI * band.centreHz) / sampleRate;
    const phase = 2 * Math.PI * next();
    let g = 1;
    for (let i = 0; i < n; i++, g *= step) h[i] += Math.sin(w * i + phase) * g;
  }
  if (noiseFloorDb !== undefined) {
    const z = gaussianNoise(n, seed + 1000);
    const a = 10 ** (noiseFloorDb / 20) / Math.SQRT2;
    for (let i = 0; i < n; i++) h[i] += a * z[i];
  }
  return h;
}

/**
 * Standard deviation of a reverberation time read from one band-limited noise decay (ISO 3382-2:2008,
 * §A.3, after Davy et al. 1979, with the integrated-impulse-response method counted as an average of
 * n = 10 decays): σ(T20) = 0.88·T·√((1 + 1.90/10)/(B·T)), σ(T30) = 0.55·T·√((1 + 1.52/10)/(B·T)),
 * B the bandwidth in Hz.
 */
export function isoDecayStd(kind: 't20' | 't30', rt60Seconds: number, bandwidthHz: number): number {
  return kind === 't20'
    ? 0.88 * rt60Seconds * Math.sqrt((1 + 1.9 / 10) / (bandwidthHz * rt60Seconds))
    : 0.55 * rt60Seconds * Math.sqrt((1 + 1.52 / 10) / (bandwidthHz * rt60Seconds));
}
