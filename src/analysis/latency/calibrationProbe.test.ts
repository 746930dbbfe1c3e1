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

  it('refuses an impossible band', () => {
    expect(() => calibrationProbe({ sampleRate: FS, startHz: 100, endHz: 30000 })).toThrow(/startHz < endHz < fs\/2/);
  });
});
