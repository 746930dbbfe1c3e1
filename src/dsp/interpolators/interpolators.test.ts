import { describe, expect, it } from 'vitest';
import { CubicInterpolator } from './cubicInterpolator.ts';
import { createInterpolator, interpolatorKinds } from './createInterpolator.ts';
import type { FirInterpolator } from './interpolator.ts';
import { LinearInterpolator } from './linearInterpolator.ts';
import { NoInterpolator } from './noInterpolator.ts';

const prepared = <T extends FirInterpolator>(interp: T): T => (interp.prepare(1, 60), interp);
const firs: FirInterpolator[] = [prepared(new NoInterpolator()), prepared(new LinearInterpolator()), prepared(new CubicInterpolator())];

/** Reads the interpolator over a ring holding x[n] = n·slope + c, newest at index 63. */
function readRamp(interp: FirInterpolator, delaySamples: number): number {
  const buffer = new Float64Array(64);
  for (let i = 0; i < 64; i++) buffer[i] = 0.25 * i - 3;
  return interp.read(buffer, 63, 63, delaySamples, 0);
}

describe('interpolators', () => {
  it('declare their input length and latency', () => {
    expect(firs.map((i) => [i.kind, i.inputLength, i.latencySamples])).toEqual([
      ['none', 1, 0],
      ['linear', 2, 0],
      ['cubic', 4, 1],
    ]);
    expect(createInterpolator('thiran')).toMatchObject({ inputLength: 2, latencySamples: 0, minDelaySamples: 0.1, stateful: true });
    // Fresh instances (not `firs`, built when the file loads): a mutation tester switches mutants on per test.
    expect([new NoInterpolator(), new LinearInterpolator(), new CubicInterpolator()].map((i) => i.stateful)).toEqual([false, false, false]);
    expect(interpolatorKinds.map((kind) => createInterpolator(kind).kind)).toEqual(interpolatorKinds);
  });

  it.each(firs.map((i) => [i.kind, i] as const))('%s taps sum to 1 within 1e-15 for fractions across [0, 1)', (_kind, interp) => {
    const taps = new Float64Array(interp.inputLength);
    let worst = 0;
    for (let f = 0; f < 1; f += 1 / 97) {
      interp.taps(f, taps);
      worst = Math.max(worst, Math.abs(taps.reduce((a, b) => a + b, 0) - 1));
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('cubic taps at fraction 0.5 are [−1/16, 9/16, 9/16, −1/16]', () => {
    const taps = new Float64Array(4);
    new CubicInterpolator().taps(0.5, taps);
    expect(Array.from(taps)).toEqual([-1 / 16, 9 / 16, 9 / 16, -1 / 16]);
  });

  it('cubic taps at fraction 0 are a unit impulse on the sample at the integer delay', () => {
    const taps = new Float64Array(4);
    new CubicInterpolator().taps(0, taps);
    expect(Array.from(taps).map((t) => t + 0)).toEqual([0, 1, 0, 0]);
  });

  it('linear and cubic reproduce a ramp exactly at any fraction (they are exact for degree ≤ 1)', () => {
    for (const interp of [prepared(new LinearInterpolator()), prepared(new CubicInterpolator())]) {
      for (const d of [1, 1.25, 2.5, 7.75, 10.125]) expect(readRamp(interp, d)).toBeCloseTo(0.25 * (63 - d) - 3, 12);
    }
  });

  it('read() agrees with taps() on random data', () => {
    const buffer = Float64Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7) + 0.3 * Math.cos(i * 0.4));
    for (const interp of firs) {
      const taps = new Float64Array(interp.inputLength);
      for (const d of [1, 1.3, 4.5, 9.99]) {
        const i = Math.floor(d);
        interp.taps(d - i, taps);
        let expected = 0;
        for (let k = 0; k < interp.inputLength; k++) expected += taps[k] * buffer[(20 - i + interp.latencySamples - k) & 31];
        expect(interp.read(buffer, 31, 20, d, 0)).toBeCloseTo(expected, 14);
      }
    }
  });

  it('readTaps, readBlock and readBlockModulated agree with read()', () => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9) - 0.2 * Math.cos(i * 2.1));
    const delays = Float64Array.of(1, 2.5, 7.25, 30.8);
    for (const interp of firs) {
      const viaTaps = new Float64Array(4);
      interp.readTaps(buffer, 63, 50, delays, viaTaps, 4);
      expect(Array.from(viaTaps)).toEqual(Array.from(delays, (d) => interp.read(buffer, 63, 50, d, 0)));
      const block = new Float64Array(4);
      interp.readBlock(buffer, 63, 50, block, 0, 4, 3.75, 0);
      expect(Array.from(block)).toEqual([47, 48, 49, 50].map((n) => interp.read(buffer, 63, n, 3.75, 0)));
      interp.readBlockModulated(buffer, 63, 50, block, 0, 4, delays, 0);
      expect(Array.from(block)).toEqual([47, 48, 49, 50].map((n, j) => interp.read(buffer, 63, n, delays[j], 0)));
    }
  });

  it('readBlock gives read()\'s bits where its window wraps around the ring too (the masked loop), at every fraction', () => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9) - 0.2 * Math.cos(i * 2.1));
    for (const interp of firs) {
      interp.prepare(1, 40);
      for (const newest of [1, 3, 6, 50]) {
        for (const delay of [1, 1.5, 2.25, 3.75, 5.9]) {
          const block = new Float64Array(8);
          interp.readBlock(buffer, 63, newest, block, 0, 8, delay, 0);
          expect(Array.from(block)).toEqual(Array.from({ length: 8 }, (_, j) => interp.read(buffer, 63, newest - 7 + j, delay, 0)));
        }
      }
    }
  });

  it('clamp delays to [minDelaySamples, maxDelaySamples] set by prepare', () => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => i);
    const cubic = new CubicInterpolator();
    cubic.prepare(1, 10);
    expect([cubic.read(buffer, 63, 40, 0.2, 0), cubic.read(buffer, 63, 40, 99, 0), cubic.read(buffer, 63, 40, Number.NaN, 0)]).toEqual([39, 30, 39]);
  });

  it('names the allowed kinds for an unknown one', () => {
    expect(interpolatorKinds).toEqual(['none', 'linear', 'cubic', 'thiran']);
    expect(() => createInterpolator('sinc' as never)).toThrow(/unknown kind "sinc"; expected one of none, linear, cubic, thiran/);
  });

  it('clamp delays below the minimum and above the maximum in readTaps, readBlock and readBlockModulated as read() does', () => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9) - 0.2 * Math.cos(i * 2.1));
    const delays = Float64Array.of(-3, 0.2, 45, 99);
    for (const interp of firs) {
      interp.prepare(1, 40);
      const viaTaps = new Float64Array(4);
      interp.readTaps(buffer, 63, 50, delays, viaTaps, 4);
      expect(Array.from(viaTaps)).toEqual(Array.from(delays, (d) => interp.read(buffer, 63, 50, d, 0)));
      for (const d of delays) {
        const block = new Float64Array(4);
        interp.readBlock(buffer, 63, 50, block, 0, 4, d, 0);
        expect(Array.from(block)).toEqual([47, 48, 49, 50].map((n) => interp.read(buffer, 63, n, d, 0)));
      }
      const block = new Float64Array(4);
      interp.readBlockModulated(buffer, 63, 50, block, 0, 4, delays, 0);
      expect(Array.from(block)).toEqual([47, 48, 49, 50].map((n, j) => interp.read(buffer, 63, n, delays[j], 0)));
      // A negative delay would read ahead of the newest sample: it is clamped to the smallest delay.
      expect(interp.read(buffer, 63, 50, -3, 0)).toBe(interp.read(buffer, 63, 50, interp.minDelaySamples, 0));
      expect(interp.read(buffer, 63, 50, 99, 0)).toBe(interp.read(buffer, 63, 50, 40, 0));
    }
  });

  it('readBlock gives read()\'s bits for a window ending anywhere in the ring (both loops and the edge between them)', () => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9) - 0.2 * Math.cos(i * 2.1));
    for (const interp of firs) {
      interp.prepare(1, 40);
      for (let newest = 0; newest < 64; newest++) {
        for (const delay of [1, 1.5, 2.25]) {
          const block = new Float64Array(5);
          interp.readBlock(buffer, 63, newest, block, 0, 5, delay, 0);
          expect(Array.from(block)).toEqual(Array.from({ length: 5 }, (_, j) => interp.read(buffer, 63, newest - 4 + j, delay, 0)));
        }
      }
    }
  });

  it.each(interpolatorKinds)('%s writes out[offset, offset + count) and nothing past it in readTaps, readBlock and readBlockModulated', (kind) => {
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9));
    const interp = createInterpolator(kind);
    interp.prepare(3, 40);
    const delays = Float64Array.of(2.5, 3.25, 4, 5.75);
    const fresh = (): Float64Array => new Float64Array(8).fill(777);
    const taps = fresh();
    interp.readTaps(buffer, 63, 50, delays, taps, 3);
    const block = fresh();
    interp.readBlock(buffer, 63, 50, block, 2, 3, 2.5, 0);
    const wrapped = fresh(); // a window that wraps around the ring: the masked loop
    interp.readBlock(buffer, 63, 1, wrapped, 2, 3, 2.5, 2);
    const modulated = fresh();
    interp.readBlockModulated(buffer, 63, 50, modulated, 2, 3, delays, 1);
    const outside = [taps.slice(3), block.slice(0, 2), block.slice(5), wrapped.slice(0, 2), wrapped.slice(5), modulated.slice(0, 2), modulated.slice(5)];
    expect(outside.map((a) => Array.from(a))).toEqual([
      [777, 777, 777, 777, 777],
      [777, 777],
      [777, 777, 777],
      [777, 777],
      [777, 777, 777],
      [777, 777],
      [777, 777, 777],
    ]);
  });

  it('thiran: the state decays to exactly 0 after the input stops (values under 1e-30 are flushed, not left to go denormal)', () => {
    // η = 0.82 at Δ = 0.1: 1e-30 is reached after ~350 samples, the smallest double only after ~3700.
    const thiran = createInterpolator('thiran');
    thiran.prepare(1, 10);
    const buffer = new Float64Array(64);
    let y = Number.NaN;
    for (let n = 0; n < 1000; n++) {
      buffer[n & 63] = n === 0 ? 1 : 0;
      y = thiran.read(buffer, 63, n & 63, 1.1, 0);
    }
    expect([y, thiran.getState()[0]]).toEqual([0, 0]);
    for (const v of [1e-31, -1e-31, 0.9e-30]) {
      thiran.setState(Float64Array.of(v / -((1 - 0.1) / (1 + 0.1))));
      expect(thiran.read(new Float64Array(64), 63, 0, 1.1, 0)).toBe(0);
    }
  });

  it('thiran: getState is a copy, and setState takes a state of another tap count', () => {
    const thiran = createInterpolator('thiran');
    thiran.prepare(1, 10);
    const buffer = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.9));
    thiran.read(buffer, 63, 10, 2.3, 0);
    const state = thiran.getState();
    const before = Array.from(state);
    thiran.read(buffer, 63, 11, 2.3, 0);
    expect(Array.from(state)).toEqual(before);
    thiran.setState(Float64Array.of(0.25, -0.5, 0.75));
    expect(Array.from(thiran.getState())).toEqual([0.25, -0.5, 0.75]);
  });
});
