import type { Samples } from './samples.ts';

/** x[n] ≈ amplitude·cos(ω·n + phase) + offset, ω = 2π·frequencyHz/fs, phase in (−π, π]. */
export interface SineFit {
  frequencyHz: number;
  amplitude: number;
  phaseRadians: number;
  offset: number;
  /** Mean square of x − fit. */
  residualMeanSquare: number;
}

/** Solves the small dense system M·v = r in place by Gaussian elimination with partial pivoting. */
function solve(M: number[][], r: number[]): number[] | null {
  const n = r.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    if (!(Math.abs(M[p][c]) > 0)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    [r[c], r[p]] = [r[p], r[c]];
    for (let i = c + 1; i < n; i++) {
      const f = M[i][c] / M[c][c];
      for (let j = c; j < n; j++) M[i][j] -= f * M[c][j];
      r[i] -= f * r[c];
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = r[i];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * v[j];
    v[i] = s / M[i][i];
  }
  return v;
}

/**
 * Four-parameter least-squares sine fit (IEEE Std 1057, §4.1.3.3): starting from `frequencyHz`, each
 * Gauss–Newton step solves for A, B, C and Δω in
 *   x[n] ≈ A·cos ωt + B·sin ωt + C + Δω·t·(−A·sin ωt + B·cos ωt),  t = n − (N−1)/2 (centred for conditioning),
 * until Δω is below 10⁻¹² rad/sample (at most 20 steps). The start must lie within about one FFT bin
 * (fs/N) of the true frequency. Returns null for a signal too short (< 8 samples) or a singular system.
 */
export function fitSine(x: Samples, sampleRate: number, frequencyHz: number): SineFit | null {
  const N = x.length;
  if (N < 8) return null;
  const mid = (N - 1) / 2;
  let w = (2 * Math.PI * frequencyHz) / sampleRate;
  let A = 0, B = 0, C = 0;
  for (let iter = 0; iter < 20; iter++) {
    const M = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
    const r = [0, 0, 0, 0];
    const fourth = iter > 0;
    for (let n = 0; n < N; n++) {
      const t = n - mid;
      const c = Math.cos(w * t), s = Math.sin(w * t);
      const d = fourth ? t * (-A * s + B * c) : 0;
      const row = [c, s, 1, d];
      const v = x[n];
      for (let i = 0; i < 4; i++) {
        r[i] += row[i] * v;
        for (let j = i; j < 4; j++) M[i][j] += row[i] * row[j];
      }
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) M[i][j] = M[j][i];
    const sol = fourth ? solve(M, r) : solve(M.slice(0, 3).map((row) => row.slice(0, 3)), r.slice(0, 3));
    if (!sol) return null;
    [A, B, C] = sol;
    const dw = fourth ? sol[3] : 0;
    w += dw;
    if (fourth && Math.abs(dw) < 1e-12) break;
  }
  let residual = 0;
  for (let n = 0; n < N; n++) {
    const t = n - mid;
    const e = x[n] - (A * Math.cos(w * t) + B * Math.sin(w * t) + C);
    residual += e * e;
  }
  // A·cos ωt + B·sin ωt = R·cos(ωt − θ); referred back to n = 0.
  const amplitude = Math.hypot(A, B);
  const raw = -Math.atan2(B, A) - w * mid;
  const phaseRadians = raw - 2 * Math.PI * Math.round(raw / (2 * Math.PI));
  return { frequencyHz: (w * sampleRate) / (2 * Math.PI), amplitude, phaseRadians, offset: C, residualMeanSquare: residual / N };
}
