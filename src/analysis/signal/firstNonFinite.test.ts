import { describe, expect, it } from 'vitest';
import { assertFinite, firstNonFinite, NonFiniteSampleError } from './firstNonFinite.ts';

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

describe('assertFinite', () => {
  it('names the first channel holding a non-finite sample, its frame and value', () => {
    const channels = [Float32Array.from([0, 1, 2]), Float32Array.from([0, Number.POSITIVE_INFINITY, Number.NaN]), Float32Array.from([Number.NaN])];
    expect(() => assertFinite(channels)).toThrow(new NonFiniteSampleError(1, 1, Number.POSITIVE_INFINITY));
    expect(() => assertFinite(channels)).toThrow('channel 2 holds a non-finite sample (Infinity) at frame 1');
    expect(() => assertFinite([Float32Array.from([0.5, -1])])).not.toThrow();
  });

  it('throws for a non-finite first sample, as a NonFiniteSampleError by name', () => {
    let caught: unknown;
    try {
      assertFinite([Float64Array.from([Number.NaN, 0])]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NonFiniteSampleError);
    expect((caught as Error).name).toBe('NonFiniteSampleError');
    expect((caught as NonFiniteSampleError).frame).toBe(0);
  });
});
