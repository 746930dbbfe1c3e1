import { describe, expect, it } from 'vitest';
import { lowTargetMet, reachableLowTargetSeconds } from './lowTargetReach.ts';

const q = { lines: 8, delayMinMs: 23, delayMaxMs: 67, rt60Seconds: 2, rt60HighSeconds: 1.2, midHz: 500, highHz: 4000, lowHz: 250 };

describe('reachableLowTargetSeconds', () => {
  it('brackets the low targets every line meets (mid 2 s, high 1.2 s: about 0.58–1.5 × mid), met inside and not 2 % outside', () => {
    const r = reachableLowTargetSeconds(q);
    expect(r).not.toBeNull();
    expect(r!.minSeconds / q.rt60Seconds).toBeGreaterThan(0.5);
    expect(r!.minSeconds / q.rt60Seconds).toBeLessThan(0.65);
    expect(r!.maxSeconds / q.rt60Seconds).toBeGreaterThan(1.4);
    expect(r!.maxSeconds / q.rt60Seconds).toBeLessThan(1.6);
    expect(lowTargetMet(q, r!.minSeconds)).toBe(true);
    expect(lowTargetMet(q, r!.maxSeconds)).toBe(true);
    expect(lowTargetMet(q, r!.minSeconds * 0.98)).toBe(false);
    expect(lowTargetMet(q, r!.maxSeconds * 1.02)).toBe(false);
  });
});
