import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.ts';

describe('percentile', () => {
  it('interpolates linearly between order statistics', () => {
    const sorted = [1, 2, 3, 4, 5];

    const values = [0, 50, 90, 100].map((p) => percentile(sorted, p));

    expect(values).toEqual([1, 3, 4.6, 5]);
  });

  it('clamps p to 0…100', () => {
    expect([percentile([1, 2], -5), percentile([1, 2], 250)]).toEqual([1, 2]);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
