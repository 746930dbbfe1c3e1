import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { mulberry32 } from '../analysis/signal/seededNoise.ts';
import { DelayLine } from './delayLine.ts';
import type { InterpolatorKind } from './interpolators/interpolator.ts';

const kinds: InterpolatorKind[] = ['none', 'linear', 'cubic', 'thiran'];
const noise = (n: number, seed = 7): Float64Array => {
  const uniform = mulberry32(seed);
  return Float64Array.from({ length: n }, () => 2 * uniform() - 1);
};

describe('DelayLine', () => {
  it('allocates a power-of-two ring covering the delay, a block and the interpolator window', () => {
    const line = new DelayLine('cubic');
    line.prepare(1000, 128);
    expect(line.capacity).toBe(2048);
    line.prepare(100);
    expect(line.capacity).toBe(128);
  });

  it.each(['none', 'linear', 'cubic'] as const)('%s: an integer delay of 37 reproduces the input bit-exactly 37 samples late', (kind) => {
    const line = new DelayLine(kind);
    line.prepare(64);
    const x = noise(500);
    const y = x.map((v) => (line.write(v), line.read(37)));
    expect(Array.from(y.subarray(37))).toEqual(Array.from(x.subarray(0, 463)));
    expect(Array.from(y.subarray(0, 37)).every((v) => v === 0)).toBe(true);
  });

  it('read(0) returns the sample just written', () => {
    const line = new DelayLine('linear');
    line.prepare(8);
    line.write(0.75);
    expect(line.read(0)).toBe(0.75);
  });

  it.each(['none', 'linear', 'cubic'] as const)('%s: delays outside [min, max] are clamped, never read outside the ring or return NaN', (kind) => {
    const line = new DelayLine(kind);
    line.prepare(20);
    for (let i = 0; i < 100; i++) line.write(1);
    for (const d of [-5, Number.NaN, 0, 19.9, 20, 25, 1e9, Number.POSITIVE_INFINITY]) expect(line.read(d)).toBe(1);
    line.write(2);
    expect(line.read(1e9)).toBe(line.read(20));
  });

  it('thiran: wild delays (negative, NaN, infinite, huge) keep the output finite and bounded', () => {
    const line = new DelayLine('thiran');
    line.prepare(20);
    let worst = 0;
    for (const d of [-5, Number.NaN, 0, 19.9, 20, 25, 1e9, Number.POSITIVE_INFINITY, 3.3]) {
      for (let i = 0; i < 10; i++) {
        line.write(1);
        worst = Math.max(worst, Math.abs(line.read(d)));
      }
    }
    expect(worst).toBeLessThan(4);
  });

  it.each(kinds)('%s: block writes and reads give the same values as per-sample write/read', (kind) => {
    const [a, b] = [new DelayLine(kind), new DelayLine(kind)];
    a.prepare(50, 32);
    b.prepare(50, 32);
    const x = noise(32 * 8);
    const delays = Float64Array.from({ length: 32 }, (_, j) => 10 + 5 * Math.sin(j / 5));
    const blockOut = new Float64Array(x.length);
    const sampleOut = new Float64Array(x.length);
    for (let blk = 0; blk < 8; blk++) {
      a.writeBlock(x, 32, blk * 32);
      if (blk % 2) a.readIntoModulated(blockOut, 32, delays, blk * 32);
      else a.readInto(blockOut, 32, 12.3, blk * 32);
      for (let j = 0; j < 32; j++) {
        b.write(x[blk * 32 + j]);
        sampleOut[blk * 32 + j] = b.read(blk % 2 ? delays[j] : 12.3);
      }
    }
    expect(Array.from(blockOut)).toEqual(Array.from(sampleOut));
  });

  it('readTaps reads several delays of the same line, each with its own allpass state', () => {
    const multi = new DelayLine('thiran');
    multi.prepare(40, 1, 3);
    const singles = [5.3, 17.8, 30.5].map(() => new DelayLine('thiran'));
    for (const s of singles) s.prepare(40);
    const out = new Float64Array(3);
    const x = noise(300);
    let worst = 0;
    for (const v of x) {
      multi.write(v);
      multi.readTaps([5.3, 17.8, 30.5], out);
      singles.forEach((s, k) => {
        s.write(v);
        worst = Math.max(worst, Math.abs(s.read([5.3, 17.8, 30.5][k]) - out[k]));
      });
    }
    expect(worst).toBe(0);
  });

  it.each(kinds)('%s: state saved and restored continues bit-identically; save → load → save is identical', (kind) => {
    const a = new DelayLine(kind);
    a.prepare(30);
    const x = noise(200);
    for (let i = 0; i < 100; i++) (a.write(x[i]), a.read(7.4));
    const saved = structuredClone(a.getState());
    const b = new DelayLine(kind);
    b.prepare(30);
    b.setState(saved);
    expect(b.getState()).toEqual(saved);
    for (let i = 100; i < 200; i++) {
      a.write(x[i]);
      b.write(x[i]);
      expect(b.read(7.4)).toBe(a.read(7.4));
    }
  });

  it('reset clears the contents and the allpass state', () => {
    const line = new DelayLine('thiran');
    line.prepare(10);
    for (let i = 0; i < 20; i++) (line.write(1), line.read(3.5));
    line.reset();
    line.write(0);
    expect(line.read(3.5)).toBe(0);
  });

  it('rejects a negative or non-finite maximum delay at prepare, naming the value', () => {
    expect(() => new DelayLine().prepare(-1)).toThrow(/maxDelaySamples must be a finite number ≥ 0, got -1/);
  });

  it.skipIf(allocationUnmeasurable)('allocates nothing while writing and reading', async () => {
    const line = new DelayLine('cubic');
    line.prepare(100, 64, 4);
    const out = new Float64Array(64);
    const taps = Float64Array.of(3.3, 10, 50.5, 99);
    const result = await measureAllocation(() => {
      line.writeBlock(out, 64);
      line.readInto(out, 64, 20.5);
      line.readIntoModulated(out, 64, out);
      line.readTaps(taps, out);
    });
    expect(result.bytes).toBeLessThan(1024);
    expect(result.gcDuringMeasurement).toBe(false);
  });

  it.each([
    [14, 2],
    [13, 3],
    [29, 3],
  ])('cubic: a ring prepared for delay %i and blocks of %i reads a ramp exactly at the largest delay, block after block', (maxDelay, block) => {
    // Cubic interpolation is exact on a ramp, so any wrong sample (a ring too small for delay + block + the
    // interpolator's 4 inputs) shows. These sizes sit where a reach 6 samples short drops to a smaller power of two.
    const line = new DelayLine('cubic');
    line.prepare(maxDelay, block);
    const out = new Float64Array(block);
    for (let n = 0; n < 200; n += block) {
      line.writeBlock(Float64Array.from({ length: block }, (_, j) => n + j), block);
      line.readInto(out, block, maxDelay - 0.5);
      if (n >= 40) expect(Array.from(out)).toEqual(Array.from({ length: block }, (_, j) => n + j - maxDelay + 0.5));
    }
  });

  it('takes a largest delay of 0, resizes, copies its state out, and takes a state of another ring size', () => {
    const zero = new DelayLine('none');
    zero.prepare(0);
    zero.write(3);
    expect(zero.read(0)).toBe(3);

    const line = new DelayLine('linear');
    line.prepare(4);
    line.resize(40);
    for (let n = 0; n < 50; n++) line.write(n);
    expect(line.read(40)).toBe(9);
    const state = line.getState();
    const before = Array.from(state.buffer);
    line.write(99);
    expect(Array.from(state.buffer)).toEqual(before);

    const small = new DelayLine('linear');
    small.prepare(4);
    small.setState(state);
    expect([small.read(0), small.read(4)]).toEqual([49, 45]); // its own largest delay (4) still clamps
  });
});
