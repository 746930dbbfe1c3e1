/**
 * Per-transducer taps of one travelling stimulus: what transducer t hears of a source at (x, y).
 *
 *   distance d_t = √((x − x_t)² + (y − y_t)²)            metres
 *   delay τ_t   = d_t / c · fs (+ latency)                samples, c = wave speed in m/s
 *   gain g_t    = G / (1 + 2·d_t)                          G = master gain (linear)
 *
 * Linear interpolation (latency 0): τ = D + f, y[n] = g·(1 − f)·x[n − D] + g·f·x[n − D − 1].
 * Cubic (Lagrange order 3, latency 1 sample so the newest tap is never in the future): τ + 1 = D + f,
 *   y[n] = g·(h₋₁ x[n−D+1] + h₀ x[n−D] + h₁ x[n−D−1] + h₂ x[n−D−2]) with
 *   h₋₁ = −f(f−1)(f−2)/6, h₀ = (f+1)(f−1)(f−2)/2, h₁ = −(f+1)f(f−2)/2, h₂ = (f+1)f(f−1)/6
 *   (at f = 0.5: [−1/16, 9/16, 9/16, −1/16], REFERENCES.md). Taps sum to 1.
 * Written in the layout mixKernel.ts reads: D[numT] as i32, then c0…c3[numT] as f32.
 */
export type Interpolation = 'linear' | 'cubic';

export const INTERPOLATION_LATENCY_SAMPLES: Record<Interpolation, number> = { linear: 0, cubic: 1 };

export interface TapGeometry {
  xsM: Float64Array;
  ysM: Float64Array;
}

/** Indices into the argument block of writeTapCoefficients (a Float64Array, so no number is boxed on the audio thread). */
export const TapArg = { xM: 0, yM: 1, waveSpeedMps: 2, sampleRate: 3, gainLinear: 4 } as const;

export function writeTapCoefficients(
  geometry: TapGeometry,
  args: Float64Array,
  /** 0 linear, 1 cubic (a number, not the name: this runs on the audio thread). */
  cubic: number,
  i32: Int32Array,
  f32: Float32Array,
  baseWord: number,
): void {
  const { xsM, ysM } = geometry;
  const xM = args[TapArg.xM];
  const yM = args[TapArg.yM];
  const waveSpeedMps = args[TapArg.waveSpeedMps];
  const sampleRate = args[TapArg.sampleRate];
  const gainLinear = args[TapArg.gainLinear];
  const n = xsM.length;
  const samplesPerMetre = sampleRate / waveSpeedMps;
  const latency = cubic;
  for (let t = 0; t < n; t++) {
    const dx = xM - xsM[t];
    const dy = yM - ysM[t];
    const distanceM = Math.sqrt(dx * dx + dy * dy);
    const g = gainLinear / (1 + 2 * distanceM);
    const delay = distanceM * samplesPerMetre + latency;
    const d = Math.floor(delay);
    const f = delay - d;
    i32[baseWord + t] = d;
    if (cubic === 0) {
      f32[baseWord + n + t] = g * (1 - f);
      f32[baseWord + 2 * n + t] = g * f;
      f32[baseWord + 3 * n + t] = 0;
      f32[baseWord + 4 * n + t] = 0;
    } else {
      f32[baseWord + n + t] = (g * -(f * (f - 1) * (f - 2))) / 6;
      f32[baseWord + 2 * n + t] = (g * ((f + 1) * (f - 1) * (f - 2))) / 2;
      f32[baseWord + 3 * n + t] = (g * -((f + 1) * f * (f - 2))) / 2;
      f32[baseWord + 4 * n + t] = (g * ((f + 1) * f * (f - 1))) / 6;
    }
  }
}
