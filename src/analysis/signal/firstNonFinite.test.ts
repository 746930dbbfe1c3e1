import { describe, expect, it } from 'vitest';
import { firstNonFinite } from './firstNonFinite.ts';

describe('firstNonFinite', () => {
  it.each([
    ['NaN', Number.NaN],
    ['+Infinity', Number.POSITIVE_INFINITY],
    ['−Infinity', Number.NEGATIVE_INFINITY],
  ])('finds the first %s', (_, bad) => {
    const x = Float32Array.from([0, 1e30, -3.4e38, 0.5, 0.25]);
    x[3] = bad;
    x[4] = bad;
    expect(firstNonFinite(x)).toBe(3);
    expect(firstNonFinite(Float64Array.from(x))).toBe(3);
  });

  it('answers −1 when every sample is finite, the largest and smallest included', () => {
    expect(firstNonFinite(Float32Array.from([3.4028234663852886e38, -3.4028234663852886e38, 1.4e-45, -0]))).toBe(-1);
    expect(firstNonFinite(new Float64Array([Number.MAX_VALUE, -Number.MIN_VALUE]))).toBe(-1);
    expect(firstNonFinite(new Float32Array(0))).toBe(-1);
  });
});
