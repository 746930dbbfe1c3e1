import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { gaussianNoise } from '../testSignals/seededRandom.ts';
import { sine } from '../testSignals/sine.ts';
import { bestSplit, ShiftResiduals, subSampleMin } from './shiftResiduals.ts';

describe('ShiftResiduals', () => {
  it('equals the direct sum Σ (y − g·a[i + S − s])² at every shift, for both spans, within 1e-9 relative', () => {
    const S = 64;
    const sr = new ShiftResiduals(S, 100, 300);
    sr.ref.set(gaussianNoise(sr.ref.length, 0.3, 1));
    const y = gaussianNoise(300, 0.3, 2);
    const g = -0.8;

    sr.compute(y.subarray(0, 100), y, g);

    let worst = 0;
    for (let s = -S; s <= S; s++) {
      for (const [len, got] of [[100, sr.short], [300, sr.long]] as const) {
        let direct = 0;
        for (let i = 0; i < len; i++) direct += (y[i] - g * sr.ref[i + S - s]) ** 2;
        worst = Math.max(worst, Math.abs(got[s + S] - direct) / direct);
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('finds a capture that is the reference delayed by 17 frames as a residual of zero at shift +17 only', () => {
    const S = 32;
    const sr = new ShiftResiduals(S, 128, 256);
    const x = gaussianNoise(sr.ref.length + S, 1, 3);
    sr.ref.set(x.subarray(S)); // ref[j] = x[j + S]: aligned so that shift 0 means y[i] = x[i + 2S]
    const y = x.slice(2 * S - 17, 2 * S - 17 + 256); // y[i] = ref[i + S − 17]

    sr.compute(y.subarray(0, 128), y, 1);

    const best = sr.long.indexOf(Math.min(...sr.long)) - S;
    expect(best).toBe(17);
    expect(sr.long[17 + S]).toBeLessThan(1e-9);
    expect(Math.min(...Array.from(sr.long).filter((_, k) => k !== 17 + S))).toBeGreaterThan(100);
  });

  it('on a noise-free capture of a tone, takes the smallest |shift| among the whole-period aliases, unless the long span holds the tone\'s end: then the true one (the rounding margin is far under any misfit)', () => {
    // A 16-frame-period tone delayed by 37 frames: shifts 37 − 16k fit the short span exactly (to rounding).
    const S = 64;
    const bestFor = (toneEnd: number) => {
      const sr = new ShiftResiduals(S, 128, 512);
      for (let j = 0; j < sr.ref.length; j++) sr.ref[j] = j < toneEnd ? 0.5 * Math.sin((2 * Math.PI * j) / 16) : 0;
      const y = sr.ref.slice(S - 37, S - 37 + 512); // y[i] = ref[i + S − 37]
      sr.compute(y.subarray(0, 128), y, 1);
      expect(sr.roundingShort).toBeLessThan(1e-9 * 128 * 0.125); // under −90 dB of the short span's energy
      return sr.bestShift(0, 128, 512);
    };

    expect(bestFor(10000)).toBe(5);
    expect(bestFor(400)).toBe(37); // the tone ends 373 frames into the long span: only +37 fits it
  });

  it('walks from bestShift\'s choice down to the bottom of its valley when a neighbour fits better by more than the noise can make, and no further', () => {
    // A 77 Hz tone (0.5 as captured: the reference 0.25 through a gain of 2) whose capture lost 2 frames, under noise
    // σ = 0.0028 (40 dB SNR of a burst train): −1 and −2 both fit within bestShift's band 2·V·σ² of the best, and −1
    // (smaller |s|) is taken. Down the valley: −2. The margin weighs the reference by |g| (it is g·a the capture holds).
    const S = 64;
    const V = 1024;
    const sr = new ShiftResiduals(S, V, 2048);
    const sigma = 0.0028;
    sr.ref.set(sine(sr.ref.length, 77, 48000, 0.25));
    const y = sr.ref.map((v) => 2 * v).slice(S + 2, S + 2 + 2048); // y[i] = 2·ref[i + S − (−2)]
    const noise = gaussianNoise(2048, sigma, 5);
    for (let i = 0; i < y.length; i++) y[i] += noise[i];
    sr.compute(y.subarray(0, V), y, 2);

    const best = sr.bestShift(sigma * sigma, V, 2048);

    expect(best).toBe(-1);
    expect(sr.valleyBottom(best, sigma * sigma, V, 2)).toBe(-2);
    expect(sr.valleyBottom(-2, sigma * sigma, V, 2)).toBe(-2);
    // A reference far under the noise (white, 2.5e-5 through a gain of 2), captured at shift 0: its neighbours differ
    // from it by noise alone (the misfit a shift adds, 2·V·5e-5² = 5e-6, under the noise's 2σ·√(that) = 1.3e-5): it stays.
    const faint = new ShiftResiduals(S, V, 2048);
    faint.ref.set(gaussianNoise(faint.ref.length, 2.5e-5, 6));
    const z = faint.ref.map((v) => 2 * v).slice(S, S + 2048);
    const other = gaussianNoise(2048, sigma, 7); // a noise whose differences reach ¼ of the margin (it walks with 6σ/|g|)
    for (let i = 0; i < z.length; i++) z[i] += other[i];
    faint.compute(z.subarray(0, V), z, 2);
    expect(faint.valleyBottom(0, sigma * sigma, V, 2)).toBe(0);
  });
});

describe('ShiftResiduals.valleyBottom on a residual curve set by hand (no compute: `short` and `ref` written, rounding 0)', () => {
  /** S = 2 (shifts −2 … +2), short span V = 4, long 8: ref holds 12 frames; short[k] is the residual of shift k − 2. */
  const curve = (short: number[], ref: number[] = []) => {
    const sr = new ShiftResiduals(2, 4, 8);
    sr.short.set(short);
    sr.ref.set(ref);
    return sr;
  };

  it('walks to the end of the curve, the extreme shift −S included', () => {
    expect(curve([0, 10, 20, 30, 40]).valleyBottom(-1, 0, 4, 1)).toBe(-2);
    expect(curve([40, 30, 20, 10, 0]).valleyBottom(1, 0, 4, 1)).toBe(2);
  });

  it('on a crest goes down its lower side, from either side of the other', () => {
    expect(curve([9, 5, 10, 7, 9]).valleyBottom(0, 0, 4, 1)).toBe(-1);
    expect(curve([9, 7, 10, 5, 9]).valleyBottom(0, 0, 4, 1)).toBe(1);
  });

  it('on a crest with two equal neighbours takes the smaller shift (the documented tie-break)', () => {
    expect(curve([9, 5, 10, 5, 9]).valleyBottom(0, 0, 4, 1)).toBe(-1);
  });

  it('takes a neighbour lower by more than the margin 6σ·|g|·√Σ(a_s − a_s′)², not one lower by exactly the margin', () => {
    // σ = 0.5, g = 1, a step in the reference (0 up to ref[3], 2 from ref[4]): shift 0 reads ref[2 … 5], −1 reads
    // ref[3 … 6], which differ by 2 in one frame; the margin is 6·0.5·√4 = 6, all exact in floating point.
    const ref = [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2];
    expect(curve([20, 4, 10, 20, 20], ref).valleyBottom(0, 0.25, 4, 1)).toBe(0); // lower by exactly 6: stays
    expect(curve([20, 3.9, 10, 20, 20], ref).valleyBottom(0, 0.25, 4, 1)).toBe(-1);
  });

  it('sums the references\' difference over the short span\'s V frames only: a frame just past it does not widen the margin', () => {
    // shift 0 reads ref[2 … 5] and −1 ref[3 … 6]: equal (all 0) over the span; ref[7], the frame after −1's span, is loud.
    const ref = [0, 0, 0, 0, 0, 0, 0, 100];
    expect(curve([20, 1, 2, 20, 20], ref).valleyBottom(0, 0.25, 4, 1)).toBe(-1);
  });
});

describe('ShiftResiduals.bestShift', () => {
  /** A search over ±4 frames with the residuals given per shift (index s + 4); shifts not given: 1000. */
  function search(short: Record<number, number>, long: Record<number, number>): ShiftResiduals {
    const sr = new ShiftResiduals(4, 16, 32);
    sr.short.fill(1000);
    sr.long.fill(1000);
    for (const [s, e] of Object.entries(short)) sr.short[Number(s) + 4] = e;
    for (const [s, e] of Object.entries(long)) sr.long[Number(s) + 4] = e;
    return sr;
  }

  it('bounds what rounding leaves at an exact fit by roundingShort and roundingLong, also for a quiet span beside a loud reference', () => {
    // A noise-free capture span that is the reference at shift 0 exactly, at 1e-3 (a quiet passage), with the reference
    // full scale around it within ±S: the FFT's rounding at the exact fit scales with the loud part's energy (measured
    // 2.7e-14 on both spans), far over M·ε·Σy² (1.2e-16) and under M·ε·(Σy² + max g²A) (9.6e-12).
    const S = 256;
    const r = new ShiftResiduals(S, 512, 1024);
    const next = mulberry32(5);
    for (let j = 0; j < r.ref.length; j++) r.ref[j] = j >= S && j < S + 1024 ? 1e-3 * Math.sin(0.3 * j) : next() - 0.5;
    r.compute(r.ref.slice(S, S + 512), r.ref.slice(S, S + 1024), 1);
    expect(r.short[S]).toBeLessThanOrEqual(r.roundingShort);
    expect(r.long[S]).toBeLessThanOrEqual(r.roundingLong);
    expect(r.roundingShort).toBeLessThan(1e-10);
  });

  it('keeps the shifts within 10 % of the best short-span fit, and of those the best long-span fit', () => {
    // Short span: +1 best (100), −2 within 10 % (109.9), +3 just outside (110.1) though its long span fits perfectly.
    expect(search({ 1: 100, [-2]: 109.9, 3: 110.1 }, { 1: 50, [-2]: 10, 3: 0 }).bestShift(0, 16, 32)).toBe(-2);
    // Long span: −2 best (10); +1 within 10 % of it (10.9) and the smaller shift, so it wins; +1 at 11.1 would not.
    expect(search({ 1: 100, [-2]: 109.9 }, { 1: 10.9, [-2]: 10 }).bestShift(0, 16, 32)).toBe(1);
    expect(search({ 1: 100, [-2]: 109.9 }, { 1: 11.1, [-2]: 10 }).bestShift(0, 16, 32)).toBe(-2);
  });

  it('widens both tolerances by 2·V·σ² of the noise (V the span’s length)', () => {
    // σ² = 1: short tolerance 1.1·100 + 2·16 = 142, long tolerance 1.1·10 + 2·32 = 75.
    expect(search({ 0: 141, 3: 100 }, { 0: 74, 3: 10 }).bestShift(1, 16, 32)).toBe(0);
    expect(search({ 0: 143, 3: 100 }, { 0: 74, 3: 10 }).bestShift(1, 16, 32)).toBe(3);
    expect(search({ 0: 141, 3: 100 }, { 0: 76, 3: 10 }).bestShift(1, 16, 32)).toBe(3);
  });

  it('takes a perfect fit (residual 0 on both spans, no noise): the tolerances include their limit', () => {
    expect(search({ 2: 0 }, { 2: 0 }).bestShift(0, 16, 32)).toBe(2);
  });

  it('counts +2 at its sub-sample best in either span, so that a shift its whole value would tie with is left out', () => {
    // +1, +2, +3 on the parabola 3 + 5·(s − 2.3)²: +2 read at its vertex 3 less the margin (2.89) is more than 10 % better
    // than −1 (3.2), read whole (3.45) it is not. In the short span −1 is then left out; in the long one −1 is left out
    // too, where read whole it would be kept and win as the smaller |shift|.
    const curve = { 1: 11.45, 2: 3.45, 3: 5.45, [-1]: 3.2 };
    expect(search(curve, { 2: 10, [-1]: 10 }).bestShift(0, 16, 32)).toBe(2);
    expect(search({ 2: 10, [-1]: 10 }, curve).bestShift(0, 16, 32)).toBe(2);
  });

  it('searches only the shifts of its range, both ends included (the held search: parts of a later shift)', () => {
    // −1 fits perfectly but lies past the range −4 … −2: neither the tolerances nor the choice may read it (read, it
    // would win as the smaller |shift|, or set the short tolerance to 0 and leave nothing in the range).
    const curves = (at: number) => search({ [at]: 100, [-1]: 0 }, { [at]: 10, [-1]: 0 });
    expect(curves(-3).bestShift(0, 16, 32, -4, -2)).toBe(-3);
    expect(curves(-2).bestShift(0, 16, 32, -4, -2)).toBe(-2);
    expect(curves(-4).bestShift(0, 16, 32, -4, -2)).toBe(-4);
    expect(curves(-3).bestShift(0, 16, 32)).toBe(-1);
  });

  it('prefers the smallest |shift| among those that fit equally, the extremes ±S included', () => {
    expect(search({ [-4]: 5, [-1]: 5, 3: 5 }, { [-4]: 5, [-1]: 5, 3: 5 }).bestShift(0, 16, 32)).toBe(-1);
    expect(search({ 4: 5 }, { 4: 5 }).bestShift(0, 16, 32)).toBe(4);
    expect(search({ [-4]: 5 }, { [-4]: 5 }).bestShift(0, 16, 32)).toBe(-4);
  });
});

describe('ShiftResiduals: a capture delayed by a fraction of a sample more', () => {
  it('takes +1 (and −0.3 from it) for a 70 Hz tone 0.7 sample later, not the whole-period alias −685 that fits 0.014 sample closer', () => {
    // 70 Hz at 48 kHz: a period of 685.71 frames, so −685 ≡ +0.714. Compared at whole shifts only, −685 won: E(−685)
    // holds 0.014 sample of misfit, E(+1) 0.3. At their sub-sample best both fit; the smaller shift is the simpler.
    const S = 800;
    for (const noiseRms of [0, 1e-4]) {
      const sr = new ShiftResiduals(S, 1024, 4096);
      const x = sine(sr.ref.length + 64, 70, 48000, 0.5);
      sr.ref.set(x.subarray(0, sr.ref.length)); // shift 0: y[i] = x[i + S]
      const later = fractionalDelay(x, 0.7);
      const y = later.slice(S, S + 4096);
      const noise = gaussianNoise(4096, noiseRms, 6);
      for (let i = 0; i < y.length; i++) y[i] += noise[i];
      sr.compute(y.subarray(0, 1024), y, 1);

      expect(sr.short[-685 + S], 'the alias fits closer at whole shifts').toBeLessThan(sr.short[1 + S]);
      expect(sr.bestShift(noiseRms ** 2, 1024, 4096), `noise ${noiseRms}`).toBe(1);
      expect(sr.fractionAt(1)).toBeCloseTo(-0.3, 2);
    }
  });
});

describe('ShiftResiduals: a capture a whole number of samples and a half later', () => {
  const S = 800;
  function residualsOf(frequencyHz: number, delaySamples: number, noiseRms = 0): ShiftResiduals {
    const sr = new ShiftResiduals(S, 1024, 4096);
    const x = sine(sr.ref.length + 64, frequencyHz, 48000, 0.5);
    sr.ref.set(x.subarray(0, sr.ref.length)); // shift 0: y[i] = x[i + S]
    const y = fractionalDelay(x, delaySamples).slice(S, S + 4096);
    const noise = gaussianNoise(4096, noiseRms, 6);
    for (let i = 0; i < y.length; i++) y[i] += noise[i];
    sr.compute(y.subarray(0, 1024), y, 1);
    return sr;
  }

  it('takes +1 or +2 at their sub-sample best for a 440 Hz tone 1.5 samples later, not the whole-period alias −544 that fits closer at whole shifts', () => {
    // 440 Hz: a period of 109.09 frames, so −544 ≡ +1.45. Sub-sample credit went to −1…+1 only, and +1's vertex (at
    // +0.5, noise deciding the side) was refused half the time: −544 won, reported as a 544-frame drop.
    for (const delaySamples of [1.5, 1.52, 1.48]) {
      const sr = residualsOf(440, delaySamples, 1e-4);
      expect(sr.short[-544 + S], `${delaySamples}: the alias fits closer at whole shifts`).toBeLessThan(Math.min(sr.short[1 + S], sr.short[2 + S]));
      const best = sr.bestShift(1e-8, 1024, 4096);
      expect([1, 2], `${delaySamples}`).toContain(best);
      expect(best + sr.fractionAt(best), `${delaySamples}`).toBeCloseTo(delaySamples, 1);
    }
  });

  it('gives the fraction from the neighbour\'s vertex where the fit\'s own lies past half a frame: 2.505 samples later is +2 and 0.505 (100 Hz, 1 kHz)', () => {
    // 2.505 lies 0.505 from +2 and 0.495 from +3: the two whole fits within bestShift's 10 % tie, the nearer to 0
    // (+2) taken, and +2's own parabola has its vertex 0.505 away, which subSampleMin refuses.
    for (const frequencyHz of [100, 1000]) {
      const sr = residualsOf(frequencyHz, 2.505);
      expect(sr.bestShift(0, 1024, 4096), `${frequencyHz} Hz`).toBe(2);
      expect(subSampleMin(sr.short, 2 + S).curvature, 'its own vertex refused').toBe(0);
      expect(sr.fractionAt(2), `${frequencyHz} Hz`).toBeCloseTo(0.505, 2);
    }
  });
});

describe('ShiftResiduals.fractionAt', () => {
  /** A short-span curve over ±4 frames, E(s) given per shift; fractionAt reads only the short span. */
  function curve(e: (s: number) => number): ShiftResiduals {
    const sr = new ShiftResiduals(4, 16, 32);
    for (let s = -4; s <= 4; s++) sr.short[s + 4] = e(s);
    return sr;
  }

  it('takes the neighbour\'s vertex, as seen from the shift (½…1 away), where the shift\'s own lies more than half a frame off', () => {
    expect(curve((s) => 3 + 5 * (s - 0.7) ** 2).fractionAt(0)).toBeCloseTo(0.7, 12);
    expect(curve((s) => 3 + 5 * (s + 0.7) ** 2).fractionAt(0)).toBeCloseTo(-0.7, 12);
    // The vertex exactly on the neighbour: the whole neighbour, on either side.
    expect(curve((s) => 3 + 5 * (s - 1) ** 2).fractionAt(0)).toBe(1);
    expect(curve((s) => 3 + 5 * (s + 1) ** 2).fractionAt(0)).toBe(-1);
  });

  it('gives 0 where the vertex lies past the neighbour (no fit within a frame), and the better of two neighbours that both have one toward the shift', () => {
    expect(curve((s) => 3 + 5 * (s - 1.3) ** 2).fractionAt(0)).toBe(0);
    expect(curve((s) => 3 + 5 * (s + 1.3) ** 2).fractionAt(0)).toBe(0);
    // 0 between two minima (its own parabola opens downwards): +1's vertex (0.99 at +0.944) beats −1's (1.48 at −0.938).
    const twoMinima = [1000, 1000, 6, 1.5, 5, 1, 6, 1000, 1000];
    expect(curve((s) => twoMinima[s + 4]).fractionAt(0)).toBeCloseTo(1 - 1 / 18, 12);
  });
});

describe('subSampleMin', () => {
  it('gives the vertex of the parabola through k − 1, k, k + 1 when it opens upwards and lies within half a frame of k, else E(k)', () => {
    const parabola = (vertex: number) => Float64Array.from([0, 1, 2, 3], (k) => 3 + 5 * (k - vertex) ** 2);
    expect(subSampleMin(parabola(1.3), 1)).toEqual({ residual: expect.closeTo(3, 12), offset: expect.closeTo(0.3, 12), curvature: expect.closeTo(5, 12) });
    expect(subSampleMin(parabola(0.5), 1)).toMatchObject({ residual: expect.closeTo(3, 12), offset: expect.closeTo(-0.5, 12) });
    expect(subSampleMin(parabola(1.7), 1)).toEqual({ residual: expect.closeTo(3 + 5 * 0.49, 12), offset: 0, curvature: 0 }); // k + 1 is nearer
    expect(subSampleMin(Float64Array.from([1, 2, 1]), 1)).toEqual({ residual: 2, offset: 0, curvature: 0 }); // opens downwards
    expect(subSampleMin(Float64Array.from([2, 2, 2]), 1)).toEqual({ residual: 2, offset: 0, curvature: 0 }); // flat
    expect(subSampleMin(parabola(0.2), 0)).toEqual({ residual: expect.closeTo(3 + 5 * 0.04, 12), offset: 0, curvature: 0 }); // no neighbour below
  });
});

describe('bestSplit', () => {
  it('splits where the stretch stops fitting the old model and starts fitting the new one', () => {
    expect(bestSplit(Float64Array.from([0, 0, 0, 5, 5]), Float64Array.from([5, 5, 5, 0, 0]))).toBe(3);
  });

  it('gives 0 when the new model fits throughout, the length when the old one does, and the earliest of equal splits', () => {
    expect(bestSplit(Float64Array.from([1, 1, 1]), Float64Array.from([0, 0, 0]))).toBe(0);
    expect(bestSplit(Float64Array.from([0, 0, 0]), Float64Array.from([1, 1, 1]))).toBe(3);
    // Cost of a split at i: Σ before[< i] + Σ after[≥ i] = 1, 2, 1 for i = 0, 1, 2.
    expect(bestSplit(Float64Array.from([1, 0]), Float64Array.from([0, 1]))).toBe(0);
  });
});
