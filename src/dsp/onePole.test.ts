import { describe, expect, it } from 'vitest';
import { OnePole } from './onePole.ts';
import { fitSine } from './sineFit.ts';

const FS = 48000;

function gainDb(filter: OnePole, frequencyHz: number): number {
  filter.reset();
  const frames = 8000;
  const x = Float64Array.from({ length: frames }, (_, n) => Math.cos((2 * Math.PI * frequencyHz * n) / FS));
  const y = new Float64Array(frames);
  filter.process(x, y, frames);
  return 20 * Math.log10(fitSine(y, 4000, 4000, frequencyHz / FS).amplitude);
}

describe('OnePole', () => {
  it('low-pass from a 1 kHz cutoff reads −3.00 ± 0.01 dB at 1 kHz and 0 ± 0.001 dB at 10 Hz', () => {
    const lp = new OnePole();
    lp.setLowpass(1000, FS);
    expect(Math.abs(gainDb(lp, 1000) + 3.0)).toBeLessThan(0.01);
    expect(Math.abs(gainDb(lp, 10))).toBeLessThan(0.001);
  });

  it('high-pass from a 100 Hz cutoff reads −3.0 ± 0.05 dB at 100 Hz and 0 ± 0.01 dB at 20 kHz', () => {
    const hp = new OnePole();
    hp.setHighpass(100, FS);
    expect(Math.abs(gainDb(hp, 100) + 3.0)).toBeLessThan(0.05);
    expect(Math.abs(gainDb(hp, 20000))).toBeLessThan(0.01);
  });

  it('direct coefficients g/(1 − p z⁻¹) from Jot/Smith give the requested DC and Nyquist gains', () => {
    const [r0, rPi] = [0.9, 0.5];
    const filter = new OnePole();
    filter.setCoefficients((2 * r0 * rPi) / (r0 + rPi), 0, (r0 - rPi) / (r0 + rPi));
    const dc = new Float64Array(200).fill(1);
    filter.process(dc, dc, 200);
    expect(dc[199]).toBeCloseTo(r0, 12);
    filter.reset();
    const nyquist = Float64Array.from({ length: 200 }, (_, n) => (n % 2 ? -1 : 1));
    filter.process(nyquist, nyquist, 200);
    expect(Math.abs(nyquist[199])).toBeCloseTo(rPi, 12);
  });

  it('processSample equals block process, decays to exactly 0, and state round-trips', () => {
    const a = new OnePole();
    const b = new OnePole();
    a.setLowpass(50, FS);
    b.setLowpass(50, FS);
    const x = new Float64Array(100000);
    x[0] = 1;
    const expected = Array.from(x.subarray(0, 100), (v) => a.processSample(v));
    b.process(x, x, 100000);
    expect(Array.from(x.subarray(0, 100))).toEqual(expected);
    expect(x[99999]).toBe(0);
    const c = new OnePole();
    c.setLowpass(50, FS);
    c.setState(structuredClone(a.getState()));
    expect(c.processSample(0.3)).toBe(a.processSample(0.3));
  });

  it('gives processSample and block process the same bits with b1 ≠ 0 (high-pass), and block process writes only its frames', () => {
    const a = new OnePole();
    const b = new OnePole();
    a.setHighpass(300, FS);
    b.setHighpass(300, FS);
    const x = Float64Array.from({ length: 64 }, (_, n) => Math.sin(0.3 * n) + (n === 5 ? 1 : 0));
    const out = new Float64Array(65).fill(9);

    b.process(x, out, 64);

    expect(Array.from(out.subarray(0, 64))).toEqual(Array.from(x, (v) => a.processSample(v)));
    expect(out[64]).toBe(9);
    expect(b.processSample(0.5)).toBe(a.processSample(0.5));
  });

  it('reset() clears both delayed samples; values of exactly ±1e-30 are kept, only smaller ones flushed', () => {
    const f = new OnePole();
    f.setCoefficients(0.5, 0.25, 0.5);
    f.processSample(1);
    f.reset();
    expect(f.processSample(0)).toBe(0);
    f.setCoefficients(1, 0, 0);
    expect([f.processSample(1e-30), f.processSample(-1e-30), f.processSample(9e-31)]).toEqual([1e-30, -1e-30, 0]);
    const block = Float64Array.of(1e-30, -1e-30, -9e-31);
    f.process(block, block, 3);
    expect(Array.from(block)).toEqual([1e-30, -1e-30, 0]);
  });
});
