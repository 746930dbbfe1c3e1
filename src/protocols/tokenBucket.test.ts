import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.ts';

describe('TokenBucket', () => {
  it('gives a burst of perSecond at once, then one token per 1/perSecond', () => {
    let now = 0;
    const bucket = new TokenBucket(200, () => now);
    const burst = Array.from({ length: 250 }, () => bucket.take()).filter(Boolean).length;
    now += 100; // 20 tokens' worth
    const after = Array.from({ length: 50 }, () => bucket.take()).filter(Boolean).length;

    expect(burst).toBe(200);
    expect(after).toBe(20);
  });

  it('never exceeds perSecond · (1 + T) over any span of T seconds, whatever the arrival times', () => {
    // Bursts (gaps 0–0.05 ms, ~300 arrivals: the bucket emptied in ~10 ms) between pauses of up to 1.5 s, so bursts
    // start full, cross whole seconds and find the bucket part-refilled.
    const gap = fc.oneof({ arbitrary: fc.double({ min: 0, max: 0.05, noNaN: true }), weight: 300 }, { arbitrary: fc.double({ min: 0, max: 1500, noNaN: true }), weight: 1 });
    fc.assert(
      fc.property(fc.array(gap, { minLength: 1000, maxLength: 3000, size: 'max' }), (gapsMs) => {
        let now = 0;
        const bucket = new TokenBucket(200, () => now);
        const taken: number[] = [];
        for (const g of gapsMs) {
          now += g;
          if (bucket.take()) taken.push(now);
        }
        // The worst span between two takes (both included): takes over its bound, > 0 is a breach.
        let worst = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < taken.length; i++) {
          for (let j = i; j < taken.length && j - i <= 400; j++) worst = Math.max(worst, j - i + 1 - 200 * (1 + (taken[j] - taken[i]) / 1000));
        }
        expect(worst).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it('gives no second burst across a whole second: 200 at 999 ms, at 1001 ms only what 2 ms refilled (0.4 token: none)', () => {
    let now = 0;
    const bucket = new TokenBucket(200, () => now);
    const takes = (ms: number, n: number) => {
      now = ms;
      return Array.from({ length: n }, () => bucket.take()).filter(Boolean).length;
    };

    expect(takes(999, 250)).toBe(200);
    expect(takes(1001, 250)).toBe(0);
    expect(takes(1006, 250)).toBe(1);
  });

  it('does not refill from a clock that steps back, and refuses a rate of 0', () => {
    let now = 1000;
    const bucket = new TokenBucket(2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now = 0;
    expect(bucket.take()).toBe(false);
    expect(() => new TokenBucket(0)).toThrow(RangeError);
  });
});
