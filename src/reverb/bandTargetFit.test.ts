import { describe, expect, it } from 'vitest';
import { fitAnchorsToBands } from './bandTargetFit.ts';

describe('fitAnchorsToBands', () => {
  it('returns the targets themselves when the bands are the anchors (250, 500, 4000 Hz), within 1e-9', () => {
    const fit = fitAnchorsToBands({ '250': 2.8, '500': 2.2, '4000': 1.4 });
    expect(Math.abs(fit.rt60LowSeconds / 2.8 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(fit.rt60Seconds / 2.2 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(fit.rt60HighSeconds / 1.4 - 1)).toBeLessThan(1e-9);
    expect(fit.worstErrorPercent).toBeLessThan(1e-7);
  });

  it('meets six octave targets of a warm hall within 5 % (a least-squares compromise, reported)', () => {
    const fit = fitAnchorsToBands({ '125': 3.2, '250': 2.8, '500': 2.2, '1000': 2.1, '2000': 1.8, '4000': 1.4 });
    expect(fit.worstErrorPercent).toBeLessThan(5);
    expect(fit.worstErrorPercent).toBeGreaterThan(0.1); // the curve cannot pass through all six
  });

  it('reports a large error for targets the low/mid/high design cannot follow (a long low far beyond mid)', () => {
    expect(fitAnchorsToBands({ '250': 5, '500': 2, '4000': 1 }).worstErrorPercent).toBeGreaterThan(20);
  });
});
