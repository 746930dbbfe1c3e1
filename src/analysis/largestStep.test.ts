import { describe, expect, it } from 'vitest';
import { largestStep } from './largestStep.ts';

describe('largestStep', () => {
  it('finds the largest absolute step, in either direction, and 0 for fewer than two samples', () => {
    expect(largestStep([0, 0.1, -0.4, -0.3])).toBeCloseTo(0.5, 12);
    expect(largestStep(Float32Array.of(1))).toBe(0);
    expect(largestStep([])).toBe(0);
    // The first step and the last are steps too.
    expect(largestStep([0, 1, 1])).toBe(1);
    expect(largestStep([1, 1, 0])).toBe(1);
  });
});
