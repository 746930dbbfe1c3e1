import { describe, expect, it } from 'vitest';
import { curvaturePercent, EDT, fitDecay, T20, T30 } from './decayFit.ts';

const FS = 1000;
/** EDC of an exact exponential energy decay with reverberation time t. */
const edcOf = (t: number, seconds: number): Float64Array => Float64Array.from({ length: seconds * FS }, (_, i) => 10 ** ((-6 * i) / (FS * t)));

describe('fitDecay', () => {
  it('reads T exactly from a straight EDC, with ξ ≈ 0 ‰', () => {
    const edc = edcOf(1.5, 3);
    for (const range of [EDT, T20, T30]) {
      const r = fitDecay(edc, FS, range, 100);
      expect(r.ok && r.seconds).toBeCloseTo(1.5, 9);
      expect(r.ok && r.xiPermille).toBeLessThan(1e-6);
    }
  });

  it('refuses with the available and required range when the decay range is short', () => {
    expect(fitDecay(edcOf(1, 2), FS, T30, 40)).toEqual({ ok: false, reason: 'insufficient-dynamic-range', availableDb: 40, requiredDb: 45 });
    expect(fitDecay(edcOf(1, 2), FS, T20, 34.9)).toMatchObject({ ok: false, requiredDb: 35 });
    expect(fitDecay(edcOf(1, 2), FS, EDT, 20).ok).toBe(true);
  });

  it('reports no decay when the curve never falls through the range', () => {
    expect(fitDecay(edcOf(10, 1), FS, T30, 100)).toMatchObject({ ok: false, reason: 'no-decay' });
  });

  it('flags a double-slope decay by curvature above 10 % and a raised ξ', () => {
    // Fast 0.5 s decay for the first 20 dB, then a 2 s decay.
    const edc = Float64Array.from({ length: 4000 }, (_, i) => {
      const db = i < 167 ? (-60 * i) / (0.5 * FS) : -20 - (60 * (i - 167)) / (2 * FS);
      return 10 ** (db / 10);
    });
    const t20 = fitDecay(edc, FS, T20, 100);
    const t30 = fitDecay(edc, FS, T30, 100);
    expect(curvaturePercent(t20, t30)).toBeGreaterThan(10);
    expect(t20.ok && t20.xiPermille).toBeGreaterThan(10);
  });
});
