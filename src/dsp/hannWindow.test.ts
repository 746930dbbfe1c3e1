import { describe, expect, it } from 'vitest';
import { hannWindow } from './hannWindow.ts';

describe('hannWindow', () => {
  it('is the periodic Hann: 0 at the start, 1 at N/2, Σw = N/2 and Σw² = 3N/8', () => {
    const w = hannWindow(64);

    expect(w[0]).toBe(0);
    expect(w[32]).toBe(1);
    expect(w.reduce((a, v) => a + v, 0)).toBeCloseTo(32, 12);
    expect(w.reduce((a, v) => a + v * v, 0)).toBeCloseTo(24, 12);
  });

  it('sums to a constant (1) when frames overlap by half', () => {
    const w = hannWindow(16);

    const sums = Array.from({ length: 8 }, (_, i) => w[i] + w[i + 8]);

    for (const s of sums) expect(s).toBeCloseTo(1, 15);
  });
});
