import { delayLengthsSamples } from './delayLengths.ts';
import { designShelved } from './threeAnchorAbsorption.ts';

/** Sample rate at which a preset's low target is checked for reach (the shelf's limits move little with the rate). */
export const LOW_REACH_SAMPLE_RATE = 48_000;

export interface LowTargetQuery {
  lines: number;
  delayMinMs: number;
  delayMaxMs: number;
  rt60Seconds: number;
  rt60HighSeconds: number;
  midHz: number;
  highHz: number;
  lowHz: number;
}

/** True when every line of the network meets `rt60LowSeconds` with the shelf (not the two-anchor fallback). */
export function lowTargetMet(q: LowTargetQuery, rt60LowSeconds: number): boolean {
  const fs = LOW_REACH_SAMPLE_RATE;
  return delayLengthsSamples(q.lines, fs, q.delayMinMs, q.delayMaxMs)
    .every((m) => designShelved(m, fs, q.rt60Seconds, q.midHz, q.rt60HighSeconds, q.highHz, rt60LowSeconds, q.lowHz).met);
}

/**
 * The low targets every line can meet with these mid and high targets, at 48 kHz: the interval
 * around rt60Seconds found by bisection on either side (to 0.5 %), or null when not even the mid
 * target itself is reachable as a low target. Parse time only (it designs a few hundred filters).
 */
export function reachableLowTargetSeconds(q: LowTargetQuery): { minSeconds: number; maxSeconds: number } | null {
  const mid = q.rt60Seconds;
  if (!lowTargetMet(q, mid)) return null;
  const edge = (inside: number, outside: number) => {
    let a = inside;
    let b = outside;
    if (lowTargetMet(q, b)) return b;
    while (Math.abs(b - a) > 0.005 * mid) {
      const c = (a + b) / 2;
      if (lowTargetMet(q, c)) a = c;
      else b = c;
    }
    return a;
  };
  return { minSeconds: edge(mid, 0.1), maxSeconds: edge(mid, 30) };
}
