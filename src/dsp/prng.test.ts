import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';

describe('Prng (xoshiro128**)', () => {
  it('matches the reference recurrence from state (1, 2, 3, 4): 11520, 0, 5927040', () => {
    const prng = new Prng();
    prng.setState({ s: [1, 2, 3, 4], spareGaussian: 0, hasSpareGaussian: false });
    expect([prng.nextUint32(), prng.nextUint32(), prng.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('gives the same stream for the same seed and a different one for another seed', () => {
    const draw = (seed: number): number[] => {
      const p = new Prng(seed);
      return Array.from({ length: 5 }, () => p.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('nextFloat stays in [0, 1) with mean 0.5 ± 0.003 and variance 1/12 ± 0.002 over 1e5 draws', () => {
    const prng = new Prng(123);
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 1e5; i++) {
      const u = prng.nextFloat();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / 1e5;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(sumSq / 1e5 - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('nextGaussian has mean 0 ± 0.01, variance 1 ± 0.02 and 68.3 ± 0.5 % of draws within ±1', () => {
    const prng = new Prng(99);
    let sum = 0;
    let sumSq = 0;
    let within = 0;
    const n = 1e5;
    for (let i = 0; i < n; i++) {
      const g = prng.nextGaussian();
      sum += g;
      sumSq += g * g;
      if (Math.abs(g) <= 1) within++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
    expect(Math.abs((100 * within) / n - 68.27)).toBeLessThan(0.5);
  });

  it('restored state continues the stream identically, including a cached Gaussian', () => {
    const a = new Prng(5);
    a.nextGaussian();
    const saved = structuredClone(a.getState());
    const b = new Prng(0);
    b.setState(saved);
    expect(b.getState()).toEqual(saved);
    expect([b.nextGaussian(), b.nextFloat(), b.nextUint32()]).toEqual([a.nextGaussian(), a.nextFloat(), a.nextUint32()]);
  });

  it('seed 0 does not give the all-zero (stuck) state', () => {
    const prng = new Prng(0);
    expect(new Set(Array.from({ length: 4 }, () => prng.nextUint32())).size).toBeGreaterThan(1);
  });

  it('nextBipolar is 2·nextFloat − 1 of the same draw: in [−1, 1), mean 0 ± 0.01', () => {
    const a = new Prng(77);
    const b = new Prng(77);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = a.nextBipolar();
      expect(v).toBe(2 * b.nextFloat() - 1);
      expect(v >= -1 && v < 1).toBe(true);
      sum += v;
    }
    expect(Math.abs(sum / 20000)).toBeLessThan(0.01);
  });

  it('fillBipolar fills every sample with amplitude·nextBipolar() of successive draws, as float32, and returns its array', () => {
    const a = new Prng(5);
    const b = new Prng(5);
    const out = new Float32Array(1000);
    expect(a.fillBipolar(out, 0.25)).toBe(out);
    expect(out).toEqual(Float32Array.from({ length: 1000 }, () => 0.25 * b.nextBipolar()));
    expect(a.nextUint32()).toBe(b.nextUint32()); // one draw a sample, no more
  });
});
