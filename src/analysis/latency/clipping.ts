/**
 * Clipping evidence in a capture: samples at or above `levelFs` of full scale (a converter's ±1 rail),
 * and flat tops — runs of at least `minRunFrames` identical samples at the signal's own peak magnitude
 * (an analogue stage or a fixed-point path that saturates below full scale). A clean sine at −0.1 dBFS has
 * neither; a sine driven 1 dB into a ±0.5 limiter has flat tops of about 8 % of each period at 1 kHz.
 */
export interface ClippingReport {
  clipped: boolean;
  /** Samples at ≥ levelFs plus samples inside flat-top runs. */
  clippedSamples: number;
  peak: number;
}

export function detectClipping(signal: Float32Array, levelFs = 0.999, minRunFrames = 3): ClippingReport {
  let peak = 0;
  let above = 0;
  for (let i = 0; i < signal.length; i++) {
    const v = signal[i];
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
    if (a >= levelFs) above++;
  }
  let flat = 0;
  if (peak > 0 && peak < levelFs) {
    let run = 1;
    for (let i = 1; i < signal.length; i++) {
      const v = signal[i];
      if (v === signal[i - 1] && (v === peak || v === -peak)) {
        run++;
        if (run === minRunFrames) flat += minRunFrames;
        else if (run > minRunFrames) flat++;
      } else {
        run = 1;
      }
    }
  }
  return { clipped: above + flat > 0, clippedSamples: above + flat, peak };
}
