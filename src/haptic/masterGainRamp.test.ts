import { describe, expect, it } from 'vitest';
import { MasterGainRamp, R_BAKED_DB, R_RATIO, R_TARGET_DB } from './masterGainRamp.ts';

const FS = 48000;
const R = 480; // 10 ms at 48 kHz
const NUM_T = 3;
const STRIDE = 512;

/** Ramps from 0 dB baked to `targetDb` over spans of the given lengths, on outputs of ones; returns transducer 1's ratios. */
function rampThrough(spans: number[], targetDb: number): Float32Array {
  const ramp = new MasterGainRamp();
  ramp.prepare(FS, STRIDE);
  ramp.reset(0);
  ramp.values[R_TARGET_DB] = targetDb;
  ramp.values[R_BAKED_DB] = 0;
  ramp.start();
  const out = new Float32Array(NUM_T * STRIDE).fill(1);
  let at = 0;
  let ended = 0;
  for (const n of spans) {
    ended = ramp.apply(out, 0, STRIDE, NUM_T, at, n);
    at += n;
  }
  expect(ended, 'the ramp reports its end on its last frame').toBe(1);
  return out.slice(STRIDE, STRIDE + R);
}

describe('MasterGainRamp', () => {
  it('moves the ratio linearly to 10^(Δ/20) over 10 ms and lands on it exactly, whatever the spans', () => {
    const whole = rampThrough([R], -20);
    const split = rampThrough([1, 17, 100, 62, 300], -20);
    expect(Array.from(split)).toEqual(Array.from(whole));
    expect(whole[R - 1]).toBe(Math.fround(0.1));
    const steps = whole.slice(1).map((v, i) => v - whole[i]);
    for (const s of steps) expect(s).toBeCloseTo(-0.9 / R, 6);
  });

  it('restarts from where it is when a new target comes mid-ramp (no step)', () => {
    const ramp = new MasterGainRamp();
    ramp.prepare(FS, STRIDE);
    ramp.reset(0);
    const out = new Float32Array(NUM_T * STRIDE).fill(1);
    ramp.values[R_TARGET_DB] = -60;
    ramp.start();
    ramp.apply(out, 0, STRIDE, NUM_T, 0, 100);
    const before = ramp.values[R_RATIO];
    ramp.values[R_TARGET_DB] = 0;
    ramp.start();
    ramp.apply(out, 0, STRIDE, NUM_T, 100, 1);
    expect(Math.abs(out[100] - before)).toBeLessThan(2 / R);
  });
});
