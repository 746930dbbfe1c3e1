import { describe, expect, it } from 'vitest';
import { fitLine } from './linearFit.ts';

describe('fitLine', () => {
  it('recovers slope and intercept of an exact line with r² = 1', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => 3 - 0.5 * i * 0.01);
    const fit = fitLine(y, 10, 90, 0.01)!;
    expect(fit.slope).toBeCloseTo(-0.5, 12);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('keeps precision over 200 000 points far from the origin', () => {
    const y = Float64Array.from({ length: 200_000 }, (_, i) => -60 * (i / 48000) - 5);
    expect(fitLine(y, 0, y.length, 1 / 48000)!.slope).toBeCloseTo(-60, 9);
  });

  it('gives r² below 1 for a bent curve', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? -i : -50 - 3 * (i - 50)));
    expect(fitLine(y, 0, 100)!.rSquared).toBeLessThan(0.99);
  });

  it('returns null for fewer than two points', () => {
    expect(fitLine(new Float64Array(5), 2, 3)).toBeNull();
  });

  it('fits a constant exactly: slope 0 and r² = 1 (no variance to explain)', () => {
    expect(fitLine(new Float64Array(10).fill(-42), 0, 10)).toEqual({ slope: 0, intercept: -42, rSquared: 1 });
  });
});
