import { describe, expect, it } from 'vitest';
import { addSineBursts, sine } from './sine.ts';

describe('sine', () => {
  it('matches Math.sin within 1e-6 over 100 000 samples', () => {
    const x = sine(100000, 5357, 48000, 0.5, 0.3);
    let err = 0;
    for (let n = 0; n < x.length; n++) err = Math.max(err, Math.abs(x[n] - 0.5 * Math.sin((2 * Math.PI * 5357 * n) / 48000 + 0.3)));
    expect(err).toBeLessThan(1e-6);
  });

  it('shapes a burst with a raised-cosine attack that reaches full level at the end of the attack', () => {
    const x = addSineBursts(new Float32Array(2000), 48000, [{ startFrame: 100, frequencyHz: 12000, amplitude: 1, attackFrames: 96, sustainFrames: 500, releaseFrames: 96 }]);
    expect(x[99]).toBe(0);
    expect(Math.max(...x.subarray(196, 700))).toBeCloseTo(1, 3);
    expect(x[100 + 96 + 500 + 96 + 1]).toBe(0);
  });
});
