import { DEFAULT_HALF_WIDTH, fractionalDelayKernel } from './fractionalDelay.ts';

/** Frames per block of constant delay in `driftingDelay` (48: steps of ≤ 10⁻³ sample up to ~20 ppm). */
export const DRIFT_BLOCK_FRAMES = 48;

/**
 * `x` as a capture whose clock drifts against the render's: delayed by latency + ppm·10⁻⁶·n at frame n (the
 * delay held for DRIFT_BLOCK_FRAMES frames at a time, band-limited by fractionalDelay's kernel), `extraFrames`
 * longer than x so its tail is kept. A playback and a capture clocked by two devices drift so: 20 ppm is
 * 9.6 samples over 10 s at 48 kHz.
 */
export function driftingDelay(x: Float32Array, latencySamples: number, ppm: number, extraFrames = Math.ceil(latencySamples) + 2 * DEFAULT_HALF_WIDTH): Float32Array {
  const H = DEFAULT_HALF_WIDTH;
  const y = new Float32Array(x.length + extraFrames);
  for (let b = 0; b < y.length; b += DRIFT_BLOCK_FRAMES) {
    const delay = latencySamples + ppm * 1e-6 * b;
    const whole = Math.floor(delay);
    const taps = fractionalDelayKernel(delay - whole, H);
    for (let n = b; n < Math.min(b + DRIFT_BLOCK_FRAMES, y.length); n++) {
      let acc = 0;
      for (let t = 0; t < taps.length; t++) {
        const m = n - whole + H - 1 - t;
        if (m >= 0 && m < x.length) acc += x[m] * taps[t];
      }
      y[n] = acc;
    }
  }
  return y;
}
