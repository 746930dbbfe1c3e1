import { fitLine } from './linearFit.ts';

/** Why a decay figure could not be given. */
export type DecayFailure =
  | { ok: false; reason: 'insufficient-dynamic-range'; availableDb: number; requiredDb: number }
  | { ok: false; reason: 'no-decay'; availableDb: number; requiredDb: number }
  | { ok: false; reason: 'shorter-than-filter'; measuredSeconds: number; minimumSeconds: number };

/**
 * Shortest reverberation time a band filter of bandwidth B lets through undistorted when the response is
 * filtered time-reversed: B·T ≥ 4 (Jacobsen & Rindel, JSV 117, 1987; forward filtering needs B·T ≥ 16,
 * Kürer & Kurze 1967). 89 ms in the 63 Hz octave, 5.6 ms in the 1 kHz octave.
 */
export function minimumBandDecaySeconds(bandwidthHz: number): number {
  return 4 / bandwidthHz;
}

/** Replaces a fitted time shorter than `minimumSeconds` by a `shorter-than-filter` refusal. */
export function refuseBelow(r: DecayResult | null, minimumSeconds: number): DecayResult | null {
  return r && r.ok && r.seconds < minimumSeconds ? { ok: false, reason: 'shorter-than-filter', measuredSeconds: r.seconds, minimumSeconds } : r;
}

/** A reverberation time read from a straight-line fit to part of the energy decay curve. */
export type DecayResult =
  | {
      ok: true;
      /** Time for a 60 dB decay at the fitted slope, −60/slope. */
      seconds: number;
      /** r² of the least-squares line over the evaluation range. */
      rSquared: number;
      /** Non-linearity ξ = 1000·(1 − r²) in per mille (ISO 3382-2 Annex B; > 10 ‰ is suspect). */
      xiPermille: number;
    }
  | DecayFailure;

/** Why a decay figure was refused, in words ("" for a measured one): what the CLI and the tuner print. */
export function describeDecayRefusal(r: DecayResult | null): string {
  if (!r || r.ok) return '';
  if (r.reason === 'insufficient-dynamic-range') return `only ${r.availableDb.toFixed(1)} dB of decay above the noise, ${r.requiredDb} dB needed`;
  if (r.reason === 'shorter-than-filter') {
    return `the decay (${(r.measuredSeconds * 1000).toFixed(1)} ms) is shorter than the band filter resolves (${(r.minimumSeconds * 1000).toFixed(1)} ms)`;
  }
  return 'the decay does not fall through the evaluation range';
}

/** An evaluation range of the EDC, in dB below its start (positive numbers). */
export interface DecayRange {
  name: 'EDT' | 'T20' | 'T30';
  fromDb: number;
  toDb: number;
  /** Decay range needed above the noise: the range's lower end plus a 10 dB margin (ISO 3382-1). */
  requiredDb: number;
}

export const EDT: DecayRange = { name: 'EDT', fromDb: 0, toDb: 10, requiredDb: 20 };
export const T20: DecayRange = { name: 'T20', fromDb: 5, toDb: 25, requiredDb: 35 };
export const T30: DecayRange = { name: 'T30', fromDb: 5, toDb: 35, requiredDb: 45 };

/**
 * Fits the energy decay curve `edc` (Σ h² from each sample on, non-increasing) in dB re its first value,
 * 10·log10(EDC(n)/EDC(0)), between −fromDb and −toDb, by least squares over every sample in that range,
 * and extrapolates to 60 dB: T = −60 / slope (slope in dB/s). Range ends are found in the energy domain
 * by bisection, and logarithms are taken only inside the range. Refuses with `insufficient-dynamic-range` when
 * `availableDb` (decay range above the noise) is below the range's need, rather than returning a number
 * the noise has bent; `no-decay` when the curve never falls through the range.
 */
export function fitDecay(edc: Float64Array, sampleRate: number, range: DecayRange, availableDb: number): DecayResult {
  if (!(availableDb >= range.requiredDb)) {
    return { ok: false, reason: 'insufficient-dynamic-range', availableDb, requiredDb: range.requiredDb };
  }
  const ref = edc[0];
  const high = ref * 10 ** (-range.fromDb / 10);
  const low = ref * 10 ** (-range.toDb / 10);
  // The EDC never increases, so the range ends are found by bisection.
  const firstBelow = (level: number, strict: boolean): number => {
    let lo = 0;
    let hi = edc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? edc[mid] < level : edc[mid] <= level) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const from = firstBelow(high, false);
  const to = firstBelow(low, true);
  if (!(ref > 0) || to >= edc.length || to - from < 2) return { ok: false, reason: 'no-decay', availableDb, requiredDb: range.requiredDb };
  const db = new Float64Array(to - from);
  const k = 10 / Math.LN10;
  for (let i = from; i < to; i++) db[i - from] = k * Math.log(edc[i] / ref);
  const fit = fitLine(db, 0, db.length, 1 / sampleRate);
  if (!fit || !(fit.slope < 0)) return { ok: false, reason: 'no-decay', availableDb, requiredDb: range.requiredDb };
  return { ok: true, seconds: -60 / fit.slope, rSquared: fit.rSquared, xiPermille: 1000 * (1 - fit.rSquared) };
}

/** Curvature C = 100·(T30/T20 − 1) % (ISO 3382-2 Annex B; > 10 % suggests a double-slope decay); null unless both exist. */
export function curvaturePercent(t20: DecayResult, t30: DecayResult): number | null {
  return t20.ok && t30.ok ? 100 * (t30.seconds / t20.seconds - 1) : null;
}
