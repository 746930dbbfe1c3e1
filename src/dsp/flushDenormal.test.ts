import { describe, expect, it } from 'vitest';
import { flushDenormal } from './flushDenormal.ts';

describe('flushDenormal', () => {
  it('flushes values below 1e-30 in magnitude to +0 and keeps the rest unchanged', () => {
    expect([1e-31, -1e-31, 1e-40, -5e-324, 0, -0].map(flushDenormal).map((v) => Object.is(v, 0))).toEqual([true, true, true, true, true, true]);
    expect([1e-30, -1e-30, 0.5, -3, Number.POSITIVE_INFINITY].map(flushDenormal)).toEqual([1e-30, -1e-30, 0.5, -3, Number.POSITIVE_INFINITY]);
  });

  it('a one-pole decay that is flushed reaches exactly 0 instead of lingering in subnormals', () => {
    let flushed = 1;
    let raw = 1;
    for (let n = 0; n < 6800; n++) {
      flushed = flushDenormal(flushed * 0.9);
      raw *= 0.9;
    }
    expect(flushed).toBe(0);
    expect(raw).toBeGreaterThan(0);
    expect(raw).toBeLessThan(2.2250738585072014e-308);
  });
});
