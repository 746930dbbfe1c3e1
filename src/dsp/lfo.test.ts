import { describe, expect, it } from 'vitest';
import { Lfo } from './lfo.ts';

describe('Lfo', () => {
  it('a 0.5 Hz LFO at 48 kHz returns to phase 0 within 1e-9 cycles after 96 000 samples', () => {
    const lfo = new Lfo(48000, 0.5);
    for (let i = 0; i < 96000; i++) lfo.next();
    expect(Math.min(lfo.phaseCycles, 1 - lfo.phaseCycles)).toBeLessThan(1e-9);
  });

  it('triangle is aligned with the sine: 0, +1, 0, −1 at quarter periods, and steps at most 4·rate/fs', () => {
    const lfo = new Lfo(1000, 10, 'triangle');
    const out = new Float64Array(100);
    lfo.process(out, 100);
    expect([out[0], out[25], out[50], out[75]].map((v) => Math.round(v * 1e12) / 1e12 + 0)).toEqual([0, 1, 0, -1]);
    let maxStep = 0;
    for (let i = 1; i < 100; i++) maxStep = Math.max(maxStep, Math.abs(out[i] - out[i - 1]));
    expect(maxStep).toBeLessThanOrEqual((4 * 10) / 1000 + 1e-12);
  });

  it('sine with a quarter-cycle offset starts at +1; output stays in [−1, 1]', () => {
    const lfo = new Lfo(48000, 3, 'sine', 0.25);
    expect(lfo.next()).toBe(1);
    const out = new Float64Array(48000);
    lfo.process(out, 48000);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(-1);
  });

  it('state round-trips and continues identically', () => {
    const a = new Lfo(48000, 2.5, 'triangle', 0.1);
    for (let i = 0; i < 777; i++) a.next();
    const b = new Lfo(48000, 1, 'triangle');
    b.setState(structuredClone(a.getState()));
    expect([b.next(), b.next()]).toEqual([a.next(), a.next()]);
  });

  it('clamps its rate to [0, Nyquist] (negative and NaN → 0) and reports it', () => {
    const lfo = new Lfo(48000, 30000);
    expect(lfo.rateHz).toBe(24000);
    lfo.setRate(-5);
    expect(lfo.rateHz).toBe(0);
    lfo.setRate(Number.NaN);
    expect(lfo.rateHz).toBe(0);
    lfo.setRate(2.5);
    expect(lfo.rateHz).toBeCloseTo(2.5, 12);
  });

  it('keeps its shape: a sine is sin 2πφ (0.7071 at ⅛ cycle), a triangle ±0.5 at the odd eighths', () => {
    const sine = new Lfo(48000, 6000, 'sine'); // ⅛ cycle per sample
    const triangle = new Lfo(48000, 6000, 'triangle');
    expect([sine.shape, triangle.shape]).toEqual(['sine', 'triangle']);
    const s = new Float64Array(8);
    const t = new Float64Array(8);
    sine.process(s, 8);
    triangle.process(t, 8);
    expect(Array.from(s, (v) => Math.round(v * 1e4) / 1e4)).toEqual([0, 0.7071, 1, 0.7071, 0, -0.7071, -1, -0.7071]);
    expect(Array.from(t)).toEqual([0, 0.5, 1, 0.5, 0, -0.5, -1, -0.5]);
  });

  it('wraps phases: setPhase(1.25) is ¼, setPhase(−0.25) ¾, NaN and −1e-20 are 0; a quarter-cycle step lands on exactly 0 after 4 samples', () => {
    const lfo = new Lfo(48000, 12000);
    const phases: number[] = [];
    for (const p of [1.25, -0.25, Number.NaN, -1e-20]) {
      lfo.setPhase(p);
      phases.push(lfo.phaseCycles);
    }
    expect(phases).toEqual([0.25, 0.75, 0, 0]);
    for (let n = 0; n < 4; n++) lfo.next();
    expect(lfo.phaseCycles).toBe(0);
  });

  it('process writes out[offset, offset + frames) only and advances exactly frames samples', () => {
    const lfo = new Lfo(48000, 12000);
    const out = new Float64Array(6).fill(777);
    lfo.process(out, 3, 1);
    expect([out[0], out[4], out[5], lfo.phaseCycles]).toEqual([777, 777, 777, 0.75]);
  });
});
