import type { Samples } from '../signal/samples.ts';

/**
 * The start of an impulse response as ISO 3382-1 (A.3.4) places it: the first sample whose level
 * comes within `withinDb` (20 dB) of the peak, i.e. the first n with h[n]² ≥ max(h²)·10^(−withinDb/10).
 * Returns null for a signal that is all zeros (there is no onset to find).
 */
export function findDecayOnset(h: Samples, withinDb = 20): number | null {
  let peak = 0;
  for (let i = 0; i < h.length; i++) {
    const e = h[i] * h[i];
    if (e > peak) peak = e;
  }
  if (!(peak > 0)) return null;
  const threshold = peak * 10 ** (-withinDb / 10);
  for (let i = 0; i < h.length; i++) if (h[i] * h[i] >= threshold) return i;
  return null;
}
