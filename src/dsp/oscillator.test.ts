import { describe, expect, it } from 'vitest';
import { Oscillator } from './oscillator.ts';
import { fitSine } from './sineFit.ts';

describe('Oscillator', () => {
  it('1 kHz at 48 kHz keeps its phase within 2e-9 cycles of n/48 mod 1 after 1e7 samples', () => {
    const osc = new Oscillator(48000, 1000);
    const out = new Float64Array(10000);
    for (let block = 0; block < 1000; block++) osc.process(out, 10000);
    const exact = (1e7 % 48) / 48;
    const error = Math.abs(osc.phaseCycles - exact);
    expect(Math.min(error, 1 - error)).toBeLessThan(2e-9);
  });

  it('produces a unit sine at its frequency (fitted amplitude 1 ± 1e-12, residual below −200 dB)', () => {
    const osc = new Oscillator(48000, 997);
    const y = new Float64Array(4800);
    osc.process(y, 4800);
    const fit = fitSine(y, 0, 4800, 997 / 48000);
    expect(Math.abs(fit.amplitude - 1)).toBeLessThan(1e-12);
    let residual = 0;
    for (let n = 0; n < 4800; n++) residual = Math.max(residual, Math.abs(y[n] - Math.cos((2 * Math.PI * 997 * n) / 48000 + fit.phaseRad)));
    expect(20 * Math.log10(residual)).toBeLessThan(-200);
  });

  it('keeps the phase in [0, 1) for any frequency up to ±Nyquist, and clamps beyond', () => {
    const osc = new Oscillator(48000, -30000);
    expect(osc.frequencyHz).toBe(-24000);
    for (const f of [-24000, -7, 0, 13.3, 23999, 24000]) {
      osc.setFrequency(f);
      for (let i = 0; i < 1000; i++) {
        osc.next();
        expect(osc.phaseCycles >= 0 && osc.phaseCycles < 1).toBe(true);
      }
    }
  });

  it('next() and block process agree; setPhase wraps; state round-trips', () => {
    const a = new Oscillator(44100, 440);
    const b = new Oscillator(44100, 440);
    a.setPhase(2.25);
    b.setPhase(-0.75);
    expect(a.phaseCycles).toBe(0.25);
    expect(b.phaseCycles).toBe(0.25);
    const block = new Float64Array(100);
    a.process(block, 100);
    expect(Array.from(block)).toEqual(Array.from({ length: 100 }, () => b.next()));
    const c = new Oscillator(44100);
    c.setState(structuredClone(a.getState()));
    expect([c.next(), c.next()]).toEqual([a.next(), a.next()]);
  });

  it('reads its sample rate: 441 Hz at 44.1 kHz repeats every 100 samples, and setFrequency clamps to ±Nyquist and takes NaN as 0', () => {
    const osc = new Oscillator(44100, 441);
    expect(osc.frequencyHz).toBeCloseTo(441, 9);
    const a = new Float64Array(200);
    osc.process(a, 200);
    for (let n = 0; n < 100; n++) expect(Math.abs(a[n + 100] - a[n])).toBeLessThan(1e-9);
    osc.setFrequency(30000);
    expect(osc.frequencyHz).toBe(22050);
    osc.setFrequency(-30000);
    expect(osc.frequencyHz).toBe(-22050);
    osc.setFrequency(Number.NaN);
    expect(osc.frequencyHz).toBe(0);
  });

  it('wraps a phase that lands exactly on 1 (or 0 going down) to 0, in next() and process(), and reset() returns to phase 0', () => {
    // ±12 kHz at 48 kHz steps exactly a quarter cycle: after 4 samples the phase is exactly 0, never 1.
    for (const f of [12000, -12000]) {
      const stepped = new Oscillator(48000, f);
      for (let n = 0; n < 4; n++) stepped.next();
      const block = new Oscillator(48000, f);
      const out = new Float64Array(4);
      block.process(out, 4);
      expect([stepped.phaseCycles, block.phaseCycles]).toEqual([0, 0]);
      block.process(out, 3);
      expect(block.phaseCycles).toBe(f > 0 ? 0.75 : 0.25);
      block.reset();
      expect(block.phaseCycles).toBe(0);
    }
  });

  it('setPhase takes NaN as 0 and a phase just under 0 (which rounds to 1 after wrapping) as 0', () => {
    const osc = new Oscillator(48000, 100);
    osc.setPhase(Number.NaN);
    expect(osc.phaseCycles).toBe(0);
    osc.setPhase(-1e-20);
    expect(osc.phaseCycles).toBe(0);
  });
});
