import fc from 'fast-check';
import { describe, it } from 'vitest';
import { analyzeDecay } from '../../src/analysis/acoustics/decayAnalysis.ts';
import { decayingNoise } from '../../src/analysis/signal/seededNoise.ts';

const FS = 16000; // a lower rate keeps 20+ random cases fast; nothing in the method depends on 48 kHz

const figures = (r: ReturnType<typeof analyzeDecay>): (number | null)[] => [r.edtSeconds, r.t20Seconds, r.t30Seconds, r.c50Db, r.c80Db, r.d50];
const close = (a: (number | null)[], b: (number | null)[], rel: number): boolean =>
  a.every((v, i) => (v === null ? b[i] === null : b[i] !== null && Math.abs(v - b[i]!) <= rel * Math.max(1, Math.abs(v))));

describe('room-acoustic figures: properties', () => {
  it('do not change with the gain of the response (any gain from −80 to +80 dB)', () => {
    fc.assert(
      fc.property(fc.double({ min: -80, max: 80, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (gainDb, seed) => {
        const h = decayingNoise({ sampleRate: FS, seconds: 1.5, rt60Seconds: 0.7, seed, noiseFloorDb: -60 });
        const g = 10 ** (gainDb / 20);
        return close(figures(analyzeDecay(h, FS)), figures(analyzeDecay(h.map((v) => v * g), FS)), 1e-6);
      }),
      { numRuns: 15 },
    );
  });

  it('do not change with a pre-delay of silence before the onset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8000 }), fc.integer({ min: 1, max: 1e6 }), (delay, seed) => {
        const h = decayingNoise({ sampleRate: FS, seconds: 1.5, rt60Seconds: 0.7, seed, noiseFloorDb: -60 });
        const delayed = new Float64Array(h.length + delay);
        delayed.set(h, delay);
        const a = analyzeDecay(h, FS);
        const b = analyzeDecay(delayed, FS);
        return close(figures(a), figures(b), 1e-9) && Math.abs(b.onsetSeconds - a.onsetSeconds - delay / FS) < 1e-12;
      }),
      { numRuns: 15 },
    );
  });

  /**
   * A single decay of noise gives T30 with a relative standard deviation of 0.55/√(B·T) (ISO 3382-2:2008, Annex C,
   * one decay; B the bandwidth, here fs/2): measured 1.36, 1.00, 0.62, 0.35 % at T = 0.2, 0.4, 1, 3 s (1500, 1500, 300,
   * 300 seeds, mean error ≤ 0.06 %) against 1.37, 0.97, 0.61, 0.36 % from the formula. Five of those deviations is the
   * bound: a sound estimator fails it once in ~2·10⁶ cases, where the former flat 5 % failed at T = 0.2 s (3.7 σ there;
   * FC_SEED=1926949797: +5.07 %), and it is stricter than 5 % above T = 0.38 s (1.8 % at 3 s: a 2 % bias fails).
   */
  it('T30 of any decay T in 0.2…3 s over a −60 dB floor lies within five standard deviations of a single decay\'s T30 (0.55/√(B·T))', () => {
    const bound = (t: number): number => 5 * (0.55 / Math.sqrt((FS / 2) * t));
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (t, seed) => {
        const h = decayingNoise({ sampleRate: FS, seconds: 1.5 * t + 0.3, rt60Seconds: t, seed, noiseFloorDb: -60 });
        const r = analyzeDecay(h, FS);
        return r.t30Seconds !== null && Math.abs(r.t30Seconds / t - 1) < bound(t);
      }),
      { numRuns: 20 },
    );
  });

  it('T30 is refused whenever the floor leaves less than 45 dB, with the range reported within 3 dB (measured worst 1.5 dB in 200 cases)', () => {
    fc.assert(
      fc.property(fc.double({ min: -42, max: -15, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (floorDb, seed) => {
        const h = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 0.8, seed, noiseFloorDb: floorDb });
        const r = analyzeDecay(h, FS);
        return r.t30Seconds === null && r.t30?.ok === false && r.t30.reason === 'insufficient-dynamic-range' && Math.abs(r.t30.availableDb + floorDb) < 3;
      }),
      { numRuns: 20 },
    );
  });
});
