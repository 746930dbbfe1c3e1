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

  it('fits T30 over exactly the samples between −5 and −35 dB of a two-slope decay: 1.142205 s, computed by hand', () => {
    // −0.12 dB/sample (T = 0.5 s) down to −20 dB at t = 166.67, then −0.04 dB/sample (T = 1.5 s). No range
    // end falls on a sample: −5 dB is crossed at t = 41.67 and −35 dB at t = 541.67, so the fit takes the
    // 500 samples t = 42 … 541. Their least-squares slope Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², summed in exact
    // rational arithmetic, is −109437/2083325 dB/sample, so T30 = 60 · 2083325 / (109437 · 1000 Hz) s.
    // One sample more or less at either end moves T30 by ≥ 1e-3 s; a −34 dB end by 0.026 s.
    const kink = 500 / 3;
    const edc = Float64Array.from({ length: 700 }, (_, t) => 10 ** ((t <= kink ? -0.12 * t : -20 - 0.04 * (t - kink)) / 10));

    const t30 = fitDecay(edc, FS, T30, 100);

    expect(t30.ok).toBe(true);
    expect(Math.abs((t30.ok ? t30.seconds : 0) - (60 * 2083325) / (109437 * FS))).toBeLessThan(1e-6);
  });
});
