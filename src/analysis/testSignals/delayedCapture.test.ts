import { describe, expect, it } from 'vitest';
import { delayedCapture } from './delayedCapture.ts';
import { fractionalDelay } from './fractionalDelay.ts';
import { gaussianNoise } from './seededRandom.ts';

describe('delayedCapture', () => {
  const reference = gaussianNoise(2000, 0.1, 3);
  const power = (x: Float32Array, from = 0, to = x.length) => x.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from);

  it('is the reference delayed, padded by the extra frames, with noise at the SNR asked', () => {
    const y = delayedCapture(reference, 37.25, 20, 5, { extraFrames: 100 });
    expect(y).toHaveLength(2100);
    const clean = fractionalDelay(Float32Array.from({ length: 2100 }, (_, i) => (i < 2000 ? reference[i] : 0)), 37.25);
    const noise = y.map((v, i) => v - clean[i]);
    expect(10 * Math.log10(power(clean) / power(noise))).toBeCloseTo(20, 0);
    // The delay: the clean part lines up with the reference 37.25 samples later (within the interpolator's error).
    expect(delayedCapture(reference, 37, Infinity, 5)[37 + 500]).toBeCloseTo(reference[500], 6);
  });

  it('inverts the path before the noise, which is the same either way; the same seed gives the same capture', () => {
    const up = delayedCapture(reference, 10.5, 30, 7);
    const down = delayedCapture(reference, 10.5, 30, 7, { inverted: true });
    const clean = delayedCapture(reference, 10.5, Infinity, 7);
    for (const i of [0, 100, 1500, 2300]) expect(up[i] - clean[i]).toBeCloseTo(down[i] + clean[i], 6);
    expect(delayedCapture(reference, 10.5, 30, 7)).toEqual(up);
    expect(delayedCapture(reference, 10.5, 30, 8)).not.toEqual(up);
  });
});
