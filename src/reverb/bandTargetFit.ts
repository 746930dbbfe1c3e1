import { designShelved, shelvedMagnitude } from './threeAnchorAbsorption.ts';

/** Octave bands `rt60BandsSeconds` may name (nominal centre frequencies in Hz). */
export const RT60_BAND_KEYS = ['125', '250', '500', '1000', '2000', '4000', '8000'] as const;
export type Rt60BandKey = (typeof RT60_BAND_KEYS)[number];

export interface AnchorFit {
  rt60LowSeconds: number;
  rt60Seconds: number;
  rt60HighSeconds: number;
  /** Largest |T60(f_b)/target_b − 1| of the fitted curve over the given bands, in %. */
  worstErrorPercent: number;
}

/** The curve is taken from a 31 ms line at 48 kHz: Jot designs give every line nearly the same T60(f). */
const REFERENCE_DELAY_SAMPLES = 1499;
const REFERENCE_RATE = 48000;
const STEPS = 16;
const LOG_MIN = [Math.log(0.1), Math.log(0.1), Math.log(0.05)];
const LOG_MAX = Math.log(30);

/**
 * Per-octave RT60 targets → the three anchors of the low/mid/high design (threeAnchorAbsorption.ts).
 * The anchors x = ln(T_250, T_500, T_4000) minimise Σ_b (ln T60(f_b; x) − ln target_b)² over the given
 * bands, T60(f; x) being the designed line's achieved T60 = −60·m/(fs·20·log10|H(f)|): Levenberg–
 * Marquardt from the targets' log-log interpolation at 250/500/4000 Hz, the low one brought within
 * 0.65…1.4 × mid where the design meets it (numerical Jacobian, 16 steps, the best point kept). Bands at 250, 500 and 4000 Hz only are met exactly; others are met as
 * far as the design's curve follows them (one shelf and one pole: no dip or peak between the anchors),
 * which `worstErrorPercent` reports. The targets are point values of T60 at the band centres, not the
 * band T30 a measurement reads (a band mixes decay rates; see rt60Prediction.ts). Runs at parse time
 * (allocates; not for the audio path).
 */
export function fitAnchorsToBands(bands: Partial<Record<Rt60BandKey, number>>): AnchorFit {
  const points = Object.entries(bands).map(([key, seconds]) => ({ hz: Number(key), logT: Math.log(seconds as number) }));
  if (points.length < 3) throw new RangeError(`fitAnchorsToBands: need at least three bands, got ${points.length}`);
  points.sort((a, b) => a.hz - b.hz);
  const residuals = (x: readonly number[]) => {
    const c = designShelved(REFERENCE_DELAY_SAMPLES, REFERENCE_RATE, Math.exp(x[1]), 500, Math.exp(x[2]), 4000, Math.exp(x[0]), 250);
    return points.map((p) => {
      const t60 = (-60 * REFERENCE_DELAY_SAMPLES) / (REFERENCE_RATE * 20 * Math.log10(shelvedMagnitude(c, p.hz, REFERENCE_RATE)));
      return Math.log(t60) - p.logT;
    });
  };
  const cost = (r: readonly number[]) => r.reduce((a, v) => a + v * v, 0);
  const clamp = (x: number[]) => x.map((v, i) => Math.min(LOG_MAX, Math.max(LOG_MIN[i], v)));
  let x = clamp([250, 500, 4000].map((hz) => interpolateLogLog(points, hz)));
  // Start where the design meets its low anchor (beyond ~0.6…1.5 × mid it falls back and ignores it).
  x[0] = Math.min(x[1] + Math.log(1.4), Math.max(x[1] + Math.log(0.65), x[0]));
  let r = residuals(x);
  let best = { x, c: cost(r) };
  let lambda = 1e-3;
  for (let step = 0; step < STEPS && best.c > 1e-24; step++) {
    const jacobian = [0, 1, 2].map((j) => {
      const h = 1e-6;
      const shifted = x.slice();
      shifted[j] += h;
      return residuals(shifted).map((v, b) => (v - r[b]) / h);
    });
    // (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr, solved by Cramer's rule.
    const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => jacobian[i].reduce((s, v, b) => s + v * jacobian[j][b], 0)));
    const g = [0, 1, 2].map((i) => -jacobian[i].reduce((s, v, b) => s + v * r[b], 0));
    for (let i = 0; i < 3; i++) a[i][i] += lambda * a[i][i] + 1e-12;
    const delta = solve3(a, g);
    const candidate = clamp(x.map((v, i) => v + delta[i]));
    const rc = residuals(candidate);
    const cc = cost(rc);
    if (cc < best.c) {
      x = candidate;
      r = rc;
      best = { x, c: cc };
      lambda /= 10;
    } else {
      lambda *= 10;
    }
  }
  const worst = Math.max(...residuals(best.x).map((v) => Math.abs(Math.exp(v) - 1)));
  return { rt60LowSeconds: Math.exp(best.x[0]), rt60Seconds: Math.exp(best.x[1]), rt60HighSeconds: Math.exp(best.x[2]), worstErrorPercent: 100 * worst };
}

/** ln T at `hz` by linear interpolation of ln T over ln f (constant beyond the end bands). */
function interpolateLogLog(points: readonly { hz: number; logT: number }[], hz: number): number {
  if (hz <= points[0].hz) return points[0].logT;
  for (let i = 1; i < points.length; i++) {
    if (hz <= points[i].hz) {
      const u = Math.log(hz / points[i - 1].hz) / Math.log(points[i].hz / points[i - 1].hz);
      return points[i - 1].logT + u * (points[i].logT - points[i - 1].logT);
    }
  }
  return points[points.length - 1].logT;
}

function solve3(a: number[][], b: number[]): number[] {
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(a);
  return [0, 1, 2].map((k) => det(a.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)))) / d);
}
