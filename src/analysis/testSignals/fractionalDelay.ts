import { kaiserSincKernel } from '../../dsp/kaiserSincKernel.ts';

/**
 * Fractional delay by windowed sinc: y[n] = Σ_j x[n − D_int − j] · h(j − μ), j = −H+1 … H, with
 * D = D_int + μ (0 ≤ μ < 1), h(t) = sinc(t) · w(t/H) and w the Kaiser window (β = 8.6, I₀ Bessel),
 * taps normalised to unit DC gain (src/dsp/kaiserSincKernel.ts). This is band-limited interpolation of x at t = n − D (Smith, "Digital
 * Audio Resampling", ccrma.stanford.edu/~jos/resample). The default H = 32 (64 taps) keeps the
 * delay error under 0.001 sample and the gain within 0.01 dB up to 0.4·fs (measured in the test); above
 * about 0.45·fs the window's transition band attenuates. Samples outside x are taken as zero.
 */
export const DEFAULT_HALF_WIDTH = 32;
const KAISER_BETA = 8.6;

/** The 2H taps for fraction μ ∈ [0, 1): taps[j + H − 1] = h(j − μ). */
export function fractionalDelayKernel(fraction: number, halfWidth = DEFAULT_HALF_WIDTH): Float64Array {
  return kaiserSincKernel(fraction, halfWidth, KAISER_BETA);
}

/** x delayed by `delaySamples` (≥ 0, fractional), same length as x (the tail beyond the end is cut). */
export function fractionalDelay(x: Float32Array, delaySamples: number, halfWidth = DEFAULT_HALF_WIDTH): Float32Array {
  if (!(delaySamples >= 0)) throw new RangeError(`fractionalDelay: delaySamples must be ≥ 0, got ${delaySamples}`);
  const dInt = Math.floor(delaySamples);
  const taps = fractionalDelayKernel(delaySamples - dInt, halfWidth);
  const out = new Float32Array(x.length);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    const base = i - dInt + halfWidth - 1; // index of x for tap 0 (j = −H+1)
    const tapLo = Math.max(0, base - (n - 1));
    const tapHi = Math.min(taps.length - 1, base);
    for (let t = tapLo; t <= tapHi; t++) acc += x[base - t] * taps[t];
    out[i] = acc;
  }
  return out;
}
