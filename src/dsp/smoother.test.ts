import { describe, expect, it } from 'vitest';
import { LinearSmoother, OnePoleSmoother } from './smoother.ts';

describe('LinearSmoother', () => {
  it('ramps 0 → 1 in 480 equal steps at 48 kHz by default (10 ms), landing exactly on 1', () => {
    const s = new LinearSmoother(48000);
    s.setTarget(1);
    const out = new Float64Array(500);
    s.process(out, 500);
    expect(out[0]).toBeCloseTo(1 / 480, 15);
    expect(out[478]).toBeLessThan(1);
    expect(out[479]).toBe(1);
    expect(out[499]).toBe(1);
    let maxStep = 0;
    for (let i = 1; i < 500; i++) maxStep = Math.max(maxStep, out[i] - out[i - 1]);
    expect(maxStep).toBeLessThanOrEqual(1 / 480 + 1e-12);
    expect(s.isSmoothing).toBe(false);
  });

  it('is sample-accurate: a target set between samples changes the very next sample', () => {
    const s = new LinearSmoother(48000, 0.001, 0.5);
    expect([s.next(), s.next()]).toEqual([0.5, 0.5]);
    s.setTarget(0);
    expect(s.next()).toBeLessThan(0.5);
  });

  it('restarts from the current value when retargeted mid-ramp, never jumping', () => {
    const s = new LinearSmoother(1000, 0.01);
    s.setTarget(1);
    for (let i = 0; i < 5; i++) s.next();
    const before = s.value;
    s.setTarget(-1);
    const after = s.next();
    expect(Math.abs(after - before)).toBeLessThanOrEqual((before + 1) / 10 + 1e-15);
  });

  it('lands exactly N samples after the latest setTarget, also when set again to the target it is ramping to', () => {
    // The contract: after setTarget(v) the next N = round(rampSeconds·fs) calls move in equal steps and the N-th lands
    // on v. Set to 1, then to 1 again after 4 of 10 samples: equal steps of (1 − 0.4)/10 from there, 1 on the 10th.
    const s = new LinearSmoother(1000, 0.01);
    s.setTarget(1);
    for (let i = 0; i < 4; i++) s.next();
    s.setTarget(1);
    const values = Array.from({ length: 10 }, () => s.next());
    for (let i = 0; i < 9; i++) expect(Math.abs(values[i] - (0.4 + 0.06 * (i + 1)))).toBeLessThan(1e-12);
    expect(values[9]).toBe(1);
    expect(s.isSmoothing).toBe(false);
  });

  it('does nothing when set to the value it rests at, reports a ramp while it runs, and block process writes only its frames', () => {
    const s = new LinearSmoother(1000, 0.004, 0.5);
    s.setTarget(0.5);
    expect(s.isSmoothing).toBe(false);
    s.setTarget(1);
    expect(s.isSmoothing).toBe(true);
    const out = new Float64Array(3).fill(9);
    s.process(out, 2);
    expect(Array.from(out)).toEqual([0.625, 0.75, 9]);
    expect(s.next()).toBe(0.875);
  });

  it('a zero ramp time jumps on the next sample', () => {
    const s = new LinearSmoother(48000, 0);
    s.setTarget(3);
    expect(s.next()).toBe(3);
  });

  it('block process equals repeated next(), and state round-trips', () => {
    const a = new LinearSmoother(48000, 0.002);
    const b = new LinearSmoother(48000, 0.002);
    a.setTarget(2);
    b.setTarget(2);
    const block = new Float32Array(50);
    a.process(block, 50);
    expect(Array.from(block)).toEqual(Array.from({ length: 50 }, () => Math.fround(b.next())));
    const c = new LinearSmoother(48000, 0.002);
    c.setState(structuredClone(a.getState()));
    expect(c.getState()).toEqual(a.getState());
    expect([c.next(), c.next()]).toEqual([a.next(), a.next()]);
  });
});

describe('OnePoleSmoother', () => {
  it('reaches 63.2 % of a step after one time constant (10 ms = 480 samples at 48 kHz)', () => {
    const s = new OnePoleSmoother(48000, 0.01);
    s.setTarget(1);
    let v = 0;
    for (let i = 0; i < 480; i++) v = s.next();
    expect(Math.abs(v - (1 - Math.exp(-1)))).toBeLessThan(1e-3);
  });

  it('settles exactly on the target (no endless tail, no subnormals)', () => {
    const s = new OnePoleSmoother(48000, 0.001);
    s.setTarget(0.25);
    for (let i = 0; i < 48000; i++) s.next();
    expect(s.value).toBe(0.25);
    expect(s.isSmoothing).toBe(false);
    s.setTarget(0);
    for (let i = 0; i < 48000; i++) s.next();
    expect(s.value).toBe(0);
  });

  it('state round-trips and continues identically', () => {
    const a = new OnePoleSmoother(44100, 0.005, 1);
    a.setTarget(-1);
    for (let i = 0; i < 10; i++) a.next();
    const b = new OnePoleSmoother(44100, 0.005);
    b.setState(structuredClone(a.getState()));
    expect([b.next(), b.next()]).toEqual([a.next(), a.next()]);
  });

  it('takes its first step of c = 1 − e^(−1/(τ·fs)) towards the target, up and down, and jumps with τ = 0', () => {
    const c = 1 - Math.exp(-1 / (0.01 * 48000));
    const s = new OnePoleSmoother(48000, 0.01);
    s.setTarget(1);
    expect(s.next()).toBe(c);
    expect(s.isSmoothing).toBe(true);
    s.setImmediate(1);
    expect([s.value, s.isSmoothing]).toEqual([1, false]);
    s.setTarget(0);
    expect(s.next()).toBe(1 - c);
    const instant = new OnePoleSmoother(48000, 0, 0);
    instant.setTarget(0.4);
    expect(instant.next()).toBe(0.4);
  });

  it('snaps to a target within 1e-12 (inclusive) instead of creeping', () => {
    const s = new OnePoleSmoother(48000, 0.01);
    s.setTarget(1e-12);
    expect(s.next()).toBe(1e-12);
    s.setImmediate(0);
    s.setTarget(-1e-12);
    expect(s.next()).toBe(-1e-12);
  });

  it('block process equals repeated next() and writes only its frames, from the offset', () => {
    const a = new OnePoleSmoother(1000, 0.01, 0.2);
    const b = new OnePoleSmoother(1000, 0.01, 0.2);
    a.setTarget(-1);
    b.setTarget(-1);
    const out = new Float64Array(8).fill(9);

    b.process(out, 5, 2);

    expect(Array.from(out)).toEqual([9, 9, ...Array.from({ length: 5 }, () => a.next()), 9]);
  });
});
