import { describe, expect, it } from 'vitest';
import { mixDryWet } from './dryWetMix.ts';
import { R_MIX, ReverbSmoothing, S_DRY, S_WET, S_WET_TARGET } from './reverbSmoothing.ts';

const N = 8;

function mix(smoothing: ReverbSmoothing, dry: number[], wet: number[]): Float32Array {
  const out = new Float32Array(N);
  mixDryWet(Float64Array.from(dry), Float64Array.from(dry), Float64Array.from(wet), Float64Array.from(wet), smoothing, out, new Float32Array(N), 0, N);
  return out;
}

describe('mixDryWet', () => {
  it('writes dry·x + wet·y at rest', () => {
    const s = new ReverbSmoothing();
    s.reset(0, 0.25);
    expect(mix(s, Array(N).fill(1), Array(N).fill(0.5))[3]).toBe(Math.fround(0.75 + 0.25 * 0.5));
  });

  it('writes 0 for NaN, Inf, sums ≥ 1e30 and magnitudes at or below 1e-30 (no subnormal out)', () => {
    const s = new ReverbSmoothing();
    s.reset(0, 1);
    const out = mix(s, Array(N).fill(0), [Number.NaN, Infinity, -Infinity, 2e30, 1e-30, -1e-31, 1e-38, 0.5]);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0, 0, 0.5]);
  });

  it('ramps wet and dry sample by sample and ends exactly at w and 1 − w', () => {
    const s = new ReverbSmoothing();
    s.reset(0, 0);
    s.values[S_WET_TARGET] = 1;
    s.startWetRamp(2 * N);
    const first = mix(s, Array(N).fill(1), Array(N).fill(0));
    expect(first[0]).toBe(Math.fround(1 - 1 / 16));
    mix(s, Array(N).fill(1), Array(N).fill(0));
    expect([s.values[S_WET], s.values[S_DRY], s.remaining[R_MIX]]).toEqual([1, 0, 0]);
  });
});
