import { describe, expect, it } from 'vitest';
import { curvaturePercent, type DecayResult, describeDecayRefusal, EDT, fitDecay, minimumBandDecaySeconds, refuseBelow, T20, T30 } from './decayFit.ts';

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

  it('includes samples exactly at −5 and −35 dB in the T30 fit: plateaus at both ends count (ISO 3382 ranges are closed)', () => {
    // −0.1 dB/sample with 20-sample plateaus exactly at −5 dB and at −35 dB. The fit takes samples 50 … 388
    // (first ≤ −5 dB to last ≥ −35 dB); dropping either plateau moves T30 by more than 10 %.
    const dbs: number[] = [];
    for (let t = 0; t < 50; t++) dbs.push(-0.1 * t);
    for (let t = 0; t < 20; t++) dbs.push(-5);
    for (let t = 1; t < 300; t++) dbs.push(-5 - 0.1 * t);
    for (let t = 0; t < 20; t++) dbs.push(-35);
    for (let t = 1; t < 100; t++) dbs.push(-35 - 0.1 * t);
    const edc = Float64Array.from(dbs, (db) => 10 ** (db / 10));
    const fit = fitDecay(edc, FS, T30, 100);

    expect(fit.ok && fit.seconds).toBeCloseTo(-60 / (FS * leastSquaresSlope(dbs.slice(50, 389))), 9);
  });

  it('reads the same T from a scaled EDC (the fit is relative to the first value)', () => {
    const edc = edcOf(1.5, 3).map((v) => 3.7e-3 * v);

    expect(fitDecay(edc, FS, T30, 100)).toMatchObject({ ok: true, seconds: expect.closeTo(1.5, 9) });
  });

  it('fits a range that holds exactly two samples (15 dB per sample: −15 and −30 dB)', () => {
    const steep = Float64Array.from([0, -15, -30, -45, -60], (db) => 10 ** (db / 10));

    expect(fitDecay(steep, FS, T30, 100)).toMatchObject({ ok: true, seconds: expect.closeTo(60 / 15 / FS, 12) });
  });
});

/** Least-squares slope of y against its index (the textbook formula). */
function leastSquaresSlope(y: number[]): number {
  const n = y.length;
  const tMean = (n - 1) / 2;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  y.forEach((v, t) => {
    num += (t - tMean) * (v - yMean);
    den += (t - tMean) ** 2;
  });
  return num / den;
}

describe('curvaturePercent', () => {
  it('is 100·(T30/T20 − 1): 20 % for T20 = 1 s, T30 = 1.2 s; null when either is missing', () => {
    const t = (seconds: number): DecayResult => ({ ok: true, seconds, rSquared: 1, xiPermille: 0 });

    expect(curvaturePercent(t(1), t(1.2))).toBeCloseTo(20, 9);
    expect(curvaturePercent(t(2), t(1.5))).toBeCloseTo(-25, 9);
    expect(curvaturePercent({ ok: false, reason: 'no-decay', availableDb: 0, requiredDb: 35 }, t(1))).toBeNull();
  });
});

describe('the band filter limit', () => {
  it('is B·T ≥ 4: 5.66 ms in the 1 kHz octave (B = 707 Hz), 89 ms at 63 Hz (B = 44.5 Hz)', () => {
    expect(minimumBandDecaySeconds(707.1)).toBeCloseTo(0.005657, 6);
    expect(minimumBandDecaySeconds(44.5)).toBeCloseTo(0.0899, 4);
  });

  it('refuses a fitted time under the limit and keeps one at the limit (B·T = 4 is allowed)', () => {
    const at = (seconds: number): DecayResult => ({ ok: true, seconds, rSquared: 1, xiPermille: 0 });

    expect(refuseBelow(at(0.09), 0.09)).toEqual(at(0.09));
    expect(refuseBelow(at(0.0899), 0.09)).toEqual({ ok: false, reason: 'shorter-than-filter', measuredSeconds: 0.0899, minimumSeconds: 0.09 });
    expect(refuseBelow(null, 0.09)).toBeNull();
  });
});

describe('describeDecayRefusal', () => {
  it('says nothing for a measured figure and names the cause, with its figures, for each refusal', () => {
    expect(describeDecayRefusal(null)).toBe('');
    expect(describeDecayRefusal({ ok: true, seconds: 1, rSquared: 1, xiPermille: 0 })).toBe('');
    expect(describeDecayRefusal({ ok: false, reason: 'insufficient-dynamic-range', availableDb: 31.25, requiredDb: 45 })).toBe('only 31.3 dB of decay above the noise, 45 dB needed');
    expect(describeDecayRefusal({ ok: false, reason: 'shorter-than-filter', measuredSeconds: 0.0421, minimumSeconds: 0.0899 })).toBe(
      'the decay (42.1 ms) is shorter than the band filter resolves (89.9 ms)',
    );
    expect(describeDecayRefusal({ ok: false, reason: 'no-decay', availableDb: 0, requiredDb: 0 })).toBe('the decay does not fall through the evaluation range');
  });
});
