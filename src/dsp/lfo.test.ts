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
});
