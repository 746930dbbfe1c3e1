import { describe, expect, it } from 'vitest';
import { gaussianNoise } from './seededNoise.ts';
import { thdPlusNoise } from './thdPlusNoise.ts';

const FS = 48000;
const sine = (f: number, a: number, n = FS / 2): Float64Array => Float64Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / FS));

describe('thdPlusNoise', () => {
  it('reads a 1 % third harmonic as −40.00 dB (1.000 %), finding the fundamental by itself', () => {
    const x = sine(1000, 0.5);
    const h3 = sine(3000, 0.005);
    for (let i = 0; i < x.length; i++) x[i] += h3[i];
    const r = thdPlusNoise(x, FS);
    expect(r.ok && r.thdPlusNoiseDb).toBeCloseTo(-40, 2);
    expect(r.ok && r.thdPlusNoisePercent).toBeCloseTo(1, 3);
    expect(r.ok && r.fundamentalHz).toBeCloseTo(1000, 4);
  });

  it('reads white noise 60 dB below the fundamental as −60 dB within 0.3 dB', () => {
    const x = sine(997, 1);
    const z = gaussianNoise(x.length, 4);
    const sigma = Math.sqrt(0.5) * 1e-3;
    for (let i = 0; i < x.length; i++) x[i] += sigma * z[i];
    const r = thdPlusNoise(x, FS, 997);
    expect(r.ok && Math.abs(r.thdPlusNoiseDb - -60)).toBeLessThan(0.3);
  });

  it('has a floor below −120 dB on a clean sine', () => {
    const r = thdPlusNoise(sine(1234.5, 0.9), FS);
    expect(r.ok && r.thdPlusNoiseDb).toBeLessThan(-120);
  });

  it('refuses silence and too-short input instead of returning a number', () => {
    expect(thdPlusNoise(new Float64Array(4800), FS)).toEqual({ ok: false, reason: 'no-fundamental' });
    expect(thdPlusNoise(new Float64Array(10), FS)).toEqual({ ok: false, reason: 'too-short' });
  });

  it('takes 64 samples (not 63) and reads the fundamental’s level in dBFS', () => {
    const r = thdPlusNoise(sine(3000, 0.5, 64), FS, 3000);
    expect(r.ok && r.fundamentalDbfs).toBeCloseTo(20 * Math.log10(0.5), 9); // −6.0206 dBFS
    expect(thdPlusNoise(sine(3000, 0.5, 63), FS, 3000)).toEqual({ ok: false, reason: 'too-short' });
  });

  it('fits the fundamental it is given, not the spectrum’s peak', () => {
    // A weaker 1 kHz tone beside a 3 kHz one 0.9/0.5 as loud: against 1 kHz, THD+N = 10·log10(0.9² / 0.5²) = +5.11 dB.
    const x = sine(1000, 0.5);
    const other = sine(3000, 0.9);
    for (let i = 0; i < x.length; i++) x[i] += other[i];
    const r = thdPlusNoise(x, FS, 1000);
    expect(r.ok && r.fundamentalHz).toBeCloseTo(1000, 1); // the other tone pulls the fit by 0.002 Hz
    expect(r.ok && r.thdPlusNoiseDb).toBeCloseTo(10 * Math.log10(0.81 / 0.25), 3);
  });

  it('finds a 20 kHz fundamental by itself (the peak bin’s frequency is right at the top of the band too)', () => {
    const r = thdPlusNoise(sine(20000, 0.5), FS);
    expect(r.ok && r.fundamentalHz).toBeCloseTo(20000, 4);
    expect(r.ok && r.thdPlusNoiseDb).toBeLessThan(-120);
  });

  it('finds a fundamental whose spectrum peaks in the bin below Nyquist’s by itself: 23 995 Hz at 48 kHz, within half a bin of fs/2', () => {
    // The Welch spectrum's largest bin is then the Nyquist bin itself, which has no neighbour above for the parabola:
    // the search starts from the bin below it, and the fit (±½ bin from there) still converges on 23 995 Hz.
    const r = thdPlusNoise(sine(23995, 0.5), FS);
    expect(r.ok && r.fundamentalHz).toBeCloseTo(23995, 4);
    expect(r.ok && r.thdPlusNoiseDb).toBeLessThan(-120);
  });

  it('refuses silence also when the frequency is given (a zero-amplitude fit)', () => {
    expect(thdPlusNoise(new Float64Array(4800), FS, 1000)).toEqual({ ok: false, reason: 'no-fundamental' });
  });
});
