import { describe, expect, it } from 'vitest';
import { gridDomain } from './gridDomain.ts';

describe('gridDomain', () => {
  it('spans the finite values when they differ by more than the minimum span', () => {
    expect(gridDomain([3.0, null, 3.4, Number.NaN, 3.2], 0.1)).toEqual([3.0, 3.4]);
  });

  it('widens values equal but for rounding noise to the minimum span about their centre', () => {
    const [lo, hi] = gridDomain([5.1458333333333332, 5.1458333333333333, 5.145833333333334], 0.1);
    expect(hi - lo).toBeCloseTo(0.1, 12);
    expect((lo + hi) / 2).toBeCloseTo(5.1458333, 6);
  });

  it('raises the low end to the floor so an exact residual does not stretch the map', () => {
    expect(gridDomain([-420, -300, -35], 1, -160)).toEqual([-160, -35]);
  });

  it('reaches up to the given top so channels all far below it are drawn dark', () => {
    expect(gridDomain([-428, -274], 1, -160, -40)).toEqual([-160, -40]);
  });
});
