import { describe, expect, it } from 'vitest';
import { besselI0 } from './besselI0.ts';

describe('besselI0', () => {
  it('matches reference values (mpmath, 30 digits) within 2e-15 relative', () => {
    const reference: [number, number][] = [
      [0, 1],
      [1, 1.2660658777520083356],
      [5, 27.239871823604446895],
      [8, 427.56411572180478518],
      [8.6, 750.46115956316609112],
      [12, 18948.925349296308861],
    ];

    const worst = Math.max(...reference.map(([x, i0]) => Math.abs(besselI0(x) / i0 - 1)));

    expect(worst).toBeLessThan(2e-15);
  });
});
