import { describe, expect, it } from 'vitest';
import { ReverbSmoothing, S_PRE_DELAY_TARGET } from './reverbSmoothing.ts';
import { StereoPreDelay } from './stereoPreDelay.ts';

const CHUNK = 64;
const G = 0.25;

function setup(preDelaySamples: number) {
  const smoothing = new ReverbSmoothing();
  smoothing.reset(preDelaySamples, 0.5);
  return { smoothing, pre: new StereoPreDelay(48000, CHUNK, G, smoothing) };
}

/** Runs `x` through in chunks of CHUNK and returns the concatenated sum and diff outputs. */
function run(pre: StereoPreDelay, xL: Float32Array, xR: Float32Array): [Float64Array, Float64Array] {
  const sum = new Float64Array(xL.length);
  const diff = new Float64Array(xL.length);
  for (let off = 0; off < xL.length; off += CHUNK) {
    pre.process(xL, xR, off, CHUNK);
    sum.set(pre.sum, off);
    diff.set(pre.diff, off);
  }
  return [sum, diff];
}

describe('StereoPreDelay', () => {
  it('delays by exactly d whole samples at rest and forms g·(L + R) and g·(L − R)', () => {
    const { pre } = setup(100);
    const xL = Float32Array.from({ length: 512 }, (_, k) => Math.sin(0.1 * k));
    const xR = Float32Array.from({ length: 512 }, (_, k) => Math.cos(0.07 * k));
    const [sum, diff] = run(pre, xL, xR);
    for (let k = 0; k < 512; k++) {
      const l = k < 100 ? 0 : xL[k - 100];
      const r = k < 100 ? 0 : xR[k - 100];
      expect(sum[k]).toBe(G * (l + r));
      expect(diff[k]).toBe(G * (l - r));
    }
  });

  it('replaces NaN, ±Inf and |x| ≥ 1e9 by 0 in the dry copy and the network input', () => {
    const { pre } = setup(0);
    const xL = Float32Array.from({ length: CHUNK }, (_, k) => [Number.NaN, Infinity, -Infinity, 2e9][k % 4]);
    pre.process(xL, xL, 0, CHUNK);
    expect([...pre.cleanL, ...pre.sum, ...pre.diff].every((v) => v === 0)).toBe(true);
  });

  it('glides to a new delay, landing on the target exactly when the ramp ends', () => {
    const { pre, smoothing } = setup(0);
    const x = Float32Array.from({ length: 4 * CHUNK }, (_, k) => k);
    smoothing.values[S_PRE_DELAY_TARGET] = 10;
    smoothing.startPreDelayRamp(2 * CHUNK);
    const [sum] = run(pre, x, new Float32Array(x.length));
    // A ramp (linear interpolation) is a delay of d[k] = 10·(k + 1)/128 on a ramp input.
    expect(Math.abs(sum[63] - G * (63 - (10 * 64) / 128))).toBeLessThan(1e-12);
    expect(sum.subarray(2 * CHUNK).every((v, k) => v === G * (2 * CHUNK + k - 10))).toBe(true);
  });
});
