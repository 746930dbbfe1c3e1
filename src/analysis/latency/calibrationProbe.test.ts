import { describe, expect, it } from 'vitest';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { calibrationProbe, measureProbeDelays } from './calibrationProbe.ts';

const FS = 48000;
const probeOptions = { sampleRate: FS };

function played(probe: Float32Array, delay: number, seed: number): Float32Array {
  const padded = new Float32Array(probe.length + 6000);
  padded.set(probe);
  const y = fractionalDelay(padded, delay);
  addNoiseAtSnr(y, 40, seed);
  return y;
}

describe('calibrationProbe', () => {
  const probe = calibrationProbe(probeOptions);

  it('peaks at −6 dBFS with the crest factor of a sine (3 dB ± 0.2)', () => {
    let peak = 0;
    let e = 0;
    for (const v of probe) {
      peak = Math.max(peak, Math.abs(v));
      e += v * v;
    }
    expect(20 * Math.log10(peak)).toBeCloseTo(-6, 1);
    const crestDb = 20 * Math.log10(peak / Math.sqrt(e / probe.length));
    expect(Math.abs(crestDb - 3.01)).toBeLessThan(0.2);
  });

  it('is measured back at 128 and 4799.9 samples within 0.05 sample at 40 dB SNR, one inverted', () => {
    const [a, b] = measureProbeDelays(probe, [played(probe, 128, 1), played(probe, 4799.9, 2).map((v) => -v)], probeOptions, { maxDelaySamples: 6000 });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(Math.abs(a.delaySamples - 128)).toBeLessThan(0.05);
      expect(Math.abs(b.delaySamples - 4799.9)).toBeLessThan(0.05);
      expect([a.inverted, b.inverted]).toEqual([false, true]);
    }
  });

  it('is the documented sweep A·sin(2π·f₁·T/ln(f₂/f₁)·(e^{t·ln(f₂/f₁)/T} − 1)) with raised-cosine fades, within binary32 rounding (defaults and explicit options)', () => {
    // The doc comment's formula, sample by sample; defaults: 0.5 s, 50 Hz … min(20 kHz, 0.45·fs), −6 dBFS, 10 ms fades.
    const cases = [
      { options: probeOptions, fs: FS, T: 0.5, f1: 50, f2: 20000, A: 10 ** (-6 / 20), fade: 480 },
      { options: { sampleRate: 32000 }, fs: 32000, T: 0.5, f1: 50, f2: 14400, A: 10 ** (-6 / 20), fade: 320 },
      { options: { sampleRate: FS, seconds: 0.1, startHz: 200, endHz: 8000, levelDb: -12, fadeSeconds: 0.002 }, fs: FS, T: 0.1, f1: 200, f2: 8000, A: 10 ** (-12 / 20), fade: 96 },
    ];
    for (const { options, fs, T, f1, f2, A, fade } of cases) {
      const x = calibrationProbe(options);
      const frames = Math.round(T * fs);
      expect(x.length).toBe(frames);
      const k = Math.log(f2 / f1);
      let err = 0;
      for (let n = 0; n < frames; n++) {
        const g = n < fade ? 0.5 - 0.5 * Math.cos((Math.PI * n) / fade) : n >= frames - fade ? 0.5 - 0.5 * Math.cos((Math.PI * (frames - 1 - n)) / fade) : 1;
        err = Math.max(err, Math.abs(x[n] - A * g * Math.sin(((2 * Math.PI * f1 * T) / k) * (Math.exp((n / fs) * (k / T)) - 1))));
      }
      expect(err, `${JSON.stringify(options)}`).toBeLessThan(1e-6);
      expect(Math.abs(x[0]) + Math.abs(x[frames - 1])).toBe(0);
    }
  });

  it('analyses the swept band only: a 21 kHz tone as loud as the probe, over its 20 kHz end, leaves the confidence of a 40 dB SNR capture above 0.99', () => {
    const y = played(probe, 128, 3);
    for (let n = 0; n < y.length; n++) y[n] += 0.45 * Math.sin((2 * Math.PI * 21000 * n) / FS);
    const [r] = measureProbeDelays(probe, [y], probeOptions, { maxDelaySamples: 6000 });
    expect(r.ok && r.confidence).toBeGreaterThan(0.99);
    expect(r.ok && Math.abs(r.delaySamples - 128)).toBeLessThan(0.05);
  });

  it('refuses an impossible band', () => {
    expect(() => calibrationProbe({ sampleRate: FS, startHz: 100, endHz: 30000 })).toThrow(/startHz < endHz < fs\/2/);
    for (const band of [{ startHz: 0 }, { startHz: 1000, endHz: 1000 }, { endHz: 24000 }]) expect(() => calibrationProbe({ sampleRate: FS, ...band })).toThrow(RangeError);
    expect(calibrationProbe({ sampleRate: FS, endHz: 23999 }).length).toBe(24000);
  });
});
