import { describe, expect, it } from 'vitest';
import { correlationGrid, type CorrelationGridScratch, correlationGridScratch } from './correlationGrid.ts';
import { bandBins, coarsePeak, crestBeyond, gridMaxima, gridReadingError, higherAmong, type Lobe, maximaBeyond, periodHasRival, phat } from './estimateDelay.ts';
import { fftOfSize } from './fft.ts';

/**
 * estimateDelay's steps on given spectra (an M = 16 transform: bins 0 … 8, powers and values chosen so that every
 * comparison is exact): which bins the band and the mask hold, what the PHAT weights are, which lag the coarse search
 * takes. estimateDelay.test.ts shows what they give on signals; these pin what each one reads at the edges.
 */
const M = 16;
const flat = () => new Float64Array(M / 2 + 1).fill(1);

describe('bandBins: the analysis band as bins, and the mask of the bins the reference carries', () => {
  it('spans max(1, ⌈lo·M⌉) … min(M/2 − 1, ⌊hi·M⌋): never DC nor Nyquist, the top bin below Nyquist included', () => {
    expect(bandBins(flat(), M, [0, 0.5])).toEqual({ mask: Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 1, 0]), kLo: 1, kHi: 7 });
    expect(bandBins(flat(), M, [0.1, 0.3])).toEqual({ mask: Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 0, 0]), kLo: 2, kHi: 4 });
  });

  it("masks against the band's strongest bin, also when that is the band's top bin", () => {
    const power = new Float64Array(M / 2 + 1);
    power[7] = 1;
    power[4] = 2e-6;
    power[3] = 1e-7; // over 10⁻⁶ of bin 4, under 10⁻⁶ of bin 7
    expect(bandBins(power, M, [0, 0.5]).mask).toEqual(Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 1, 0]));
  });

  it('leaves out a bin at exactly 10⁻⁶ of the strongest', () => {
    const power = new Float64Array(M / 2 + 1);
    power[2] = 1;
    power[5] = 1e-6;
    expect(bandBins(power, M, [0, 0.5]).mask).toEqual(Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0]));
  });
});

describe('phat: the PHAT weights G/|G| over the mask', () => {
  it("is G/|G| on every masked bin, the band's top bin included, and 0 elsewhere and where G is 0", () => {
    const power = flat();
    power[3] = 0; // out of the mask
    const bins = bandBins(power, M, [0, 0.5]);
    const G = new Float64Array(M + 2);
    G.set([3, 4], 2 * 7);
    G.set([-5, 12], 2 * 2);
    G.set([1, 1], 2 * 3);
    const W = new Float64Array(M + 2).fill(9);

    phat(bins, G, W);

    const expected = new Float64Array(M + 2);
    expected.set([3 / 5, 4 / 5], 2 * 7);
    expected.set([-5 / 13, 12 / 13], 2 * 2);
    expect(W).toEqual(expected);
  });
});

describe('coarsePeak: the lag of the largest |r|', () => {
  const plan = { M, minLag: 0, maxLag: 7 };

  it('takes the earliest of equal peaks (the direct path before an echo as strong), of either sign', () => {
    for (const offset of [0, 1]) {
      const r = new Float64Array(2 * M);
      r[2 * 2 + offset] = 1;
      r[2 * 5 + offset] = -1;
      expect(coarsePeak(plan, r, offset).k, `offset ${offset}`).toBe(2);
      r[2 * 2 + offset] = -1;
      r[2 * 5 + offset] = 1;
      expect(coarsePeak(plan, r, offset), `offset ${offset}`).toMatchObject({ k: 2, sign: -1 });
    }
  });
});

/**
 * highestCrest's parts on given grids (an M = 8 period: 16 half-lag points, 32 quarter-lag points; values chosen so that
 * every comparison is exact): which grid points can stand for a higher crest, which refined crests are kept, and how many
 * are refined. estimateDelay.test.ts shows what they give on signals.
 */
const lobe = (d: number, correlation: number): Lobe => ({ d, sums: { gradient: 0, correlation }, sign: 1 });

/** A quarter-lag grid over the period of `values.length / 4` lags, as periodGridAt reads it (C(q/4) = values[q]). */
function gridOf(values: readonly number[]): CorrelationGridScratch {
  const s = correlationGridScratch(values.length / 4);
  values.forEach((v, q) => ((q & 1 ? s.quarter : s.half)[2 * (q >> 2) + ((q & 3) >> 1)] = v));
  return s;
}

/** 4·M quarter-lag values, 0 but at the given grid points. */
const sparse = (M: number, at: Record<number, number>) => Array.from({ length: 4 * M }, (_, q) => at[q] ?? 0);

describe('gridReadingError: how low the grid can read a crest, from its largest |C|', () => {
  it.each([
    [2, 1],
    [2, 100],
    [4, 1],
    [4, 100],
  ])('covers the under-read of a tone at the band\'s top, its crest midway between two points (%i points a lag, amplitude %i), from the grid\'s largest |C|', (pointsPerLag, amplitude) => {
    // C(d) = A·cos(2πf(d − c)) at f = 127/256 (bin 127 alone), its crest at c = half the grid's spacing from point 0,
    // which reads A·cos(πf·h) = A(1 − ½(πfh)² + O(h⁴)); the grid's largest |C| over the period is another crest's, near A.
    const M = 256;
    const c = 1 / (2 * pointsPerLag);
    const tone = new Float64Array(M + 2);
    tone[2 * 127] = amplitude * (M / 2) * Math.cos((2 * Math.PI * 127 * c) / M);
    tone[2 * 127 + 1] = -amplitude * (M / 2) * Math.sin((2 * Math.PI * 127 * c) / M);
    const scratch = correlationGridScratch(M);
    correlationGrid(fftOfSize(M), tone, 127, 127, 'half', scratch);
    if (pointsPerLag === 4) correlationGrid(fftOfSize(M), tone, 127, 127, 'quarter', scratch);
    const underRead = amplitude - Math.abs(scratch.half[0]);

    const error = gridReadingError(127 / M, pointsPerLag, scratch.peak);

    // e·A/(1 − e) over (1 − cos πfh)·A: 1.51 at 2 points a lag (e = 0.30), 1.11 at 4 (e = 0.076).
    expect(error).toBeGreaterThanOrEqual(underRead);
    expect(error).toBeLessThan((pointsPerLag === 2 ? 1.52 : 1.12) * underRead);
  });
});

describe('periodHasRival: whether a half-lag grid maximum anywhere in the period can stand higher than the crest in hand', () => {
  const M = 8;
  const half = (at: Record<number, number>) => Float64Array.from({ length: 2 * M }, (_, i) => at[i] ?? 0);

  it("has none where every point over the crest less the reading error is the crest's own or on its slope, and a maximum exactly the reading error under it cannot stand higher", () => {
    // The crest at lag 1 (point 2), its left neighbour as high (a plateau: point 1 is on its slope), point 3 on its slope
    // half a lag on; point 10 a maximum of 0.75: 0.75 + 0.25 is not over 1.
    expect(periodHasRival(half({ 1: 1, 2: 1, 3: 0.95, 10: 0.75 }), M, lobe(1, 1), 0.25)).toBe(false);
  });

  it("takes the crest's own point around the period: a crest at lag −0.3 is the point at −0.5 (the period's last)", () => {
    expect(periodHasRival(half({ 15: 1, 0: -0.9 }), M, lobe(-0.3, 1), 0.25)).toBe(false);
  });

  it('finds a maximum that can stand higher: half a lag from the crest, or one under it by less than the reading error; of a plateau, once', () => {
    expect(periodHasRival(half({ 2: 0.9, 3: 1 }), M, lobe(1, 1), 0.25)).toBe(true); // the crest's own point 2 lower: 3, half a lag on, is another crest
    expect(periodHasRival(half({ 2: 1, 9: -0.8, 10: 0.8 }), M, lobe(1, 1), 0.25)).toBe(true); // a plateau: its last point
    expect(periodHasRival(half({ 2: 1, 14: 0.8 }), M, lobe(1, 1), 0.25)).toBe(true);
  });
});

describe('gridMaxima and maximaBeyond: the quarter-lag grid maxima that can stand higher, among the lags searched and beyond them', () => {
  const M = 8;
  const best = lobe(2, 1);

  it("keeps, among lags 0 … 4, the maxima not the crest's own and over its crest less the reading error, neighbours only among those lags; highest first, of equal ones the earliest", () => {
    const scratch = gridOf(
      sparse(M, {
        0: 0.9, // the first lag, its wrapped neighbour (point 31) higher: a maximum among the lags searched
        1: 0.8, // the slope after it
        31: 2,
        4: -0.8, // a plateau of two (either polarity): its last point
        5: 0.8,
        8: 1, // the crest's own (lag 2)
        9: 0.5,
        10: 0.78, // half a lag from the crest: another
        11: 0.77,
        13: 0.75, // a maximum exactly the reading error under the crest
        15: 0.77,
        16: 0.9, // the last lag (4), rising into it: a maximum among the lags searched
        17: 2,
      }),
    );

    expect(gridMaxima(scratch, 4, best, 0.25)).toEqual([0, 16, 5, 10]);
  });

  it("keeps, from half a lag past the last lag searched around the period, the maxima over the crest less the reading error, neighbours taken around the period; highest first", () => {
    const scratch = gridOf(
      sparse(M, {
        0: 1.5, // lag 0, searched: point 31's neighbour
        8: 1, // a crest among the lags searched (0 … 3): not beyond them
        14: 0.95, // lag 3.5: half a lag past the last, not beyond it
        15: 0.9, // on 14's slope
        18: -0.8, // a plateau of two: its last point
        19: 0.8,
        20: 0.7,
        22: 0.75, // a maximum exactly the reading error under the crest
        25: 0.8, // on 26's slope
        26: 0.85,
        31: 0.9, // on the slope of point 0, around the period
      }),
    );

    expect(maximaBeyond(scratch, 3, best, 0.25)).toEqual([26, 19]);
  });
});

describe('higherAmong and crestBeyond: which refined crests are kept, and which grid maxima are refined', () => {
  const M = 8;
  const start = lobe(5, 1);
  /** A grid of 0.9 at quarter-lag points 1, 2, 3 and 0.75 at point 4 (read only for their |C|), and a refinement returning `lobes[q]`, counted. */
  const setup = (lobes: Record<number, Lobe>) => {
    const scratch = gridOf(sparse(M, { 1: 0.9, 2: -0.9, 3: 0.9, 4: 0.75 }));
    const refined: number[] = [];
    const refineAt = (q: number) => {
      refined.push(q);
      return lobes[q];
    };
    return { scratch, refined, refineAt };
  };

  it.each([
    [-0.6, false],
    [-0.5, true],
    [0.2, true],
    [4.5, true],
    [4.8, false],
    [5.3, false],
    [5.5, true],
    [10.2, true],
    [10.5, true],
    [10.6, false],
  ])('higherAmong (lags 0 … 10, the crest in hand at 5): a higher crest refined to lag %f is kept: %s', (d, kept) => {
    const { scratch, refineAt } = setup({ 1: lobe(d, 1.1) });
    expect(higherAmong(scratch, [1], 0.25, start, 10, refineAt)).toEqual(kept ? lobe(d, 1.1) : undefined);
  });

  it('higherAmong keeps the highest refined crest, not one only as high as the crest in hand or the one kept', () => {
    const { scratch, refineAt } = setup({ 1: lobe(2, 1), 2: lobe(3, 1.2), 3: lobe(7, 1.2) });
    expect(higherAmong(scratch, [1], 0.25, start, 10, refineAt)).toBeUndefined();
    expect(higherAmong(scratch, [1, 2, 3], 0.25, start, 10, refineAt)).toEqual(lobe(3, 1.2));
  });

  it('higherAmong refines a grid maximum only while it can stand higher than the crest in hand (its |C| + the reading error over it)', () => {
    const { scratch, refined, refineAt } = setup({ 1: lobe(2, 1.1), 2: lobe(3, 1.05), 4: lobe(7, 1.2) });
    // Point 2 (0.9 + 0.25) can stand higher than 1.1; point 4 (0.75 + 0.25) not even than the crest in hand.
    expect(higherAmong(scratch, [1, 2, 4], 0.25, start, 10, refineAt)).toEqual(lobe(2, 1.1));
    expect(refined).toEqual([1, 2]);
    refined.length = 0;
    expect(higherAmong(scratch, [4], 0.25, start, 10, refineAt)).toBeUndefined();
    expect(refined).toEqual([]);
  });

  it.each([
    [-3, 1.1, true],
    [-0.6, 1.1, true],
    [-0.5, 1.1, false],
    [5, 1.1, false],
    [10.2, 1.1, false],
    [10.5, 1.1, false],
    [10.6, 1.1, true],
    [12, 1, false],
  ])('crestBeyond (lags 0 … 10, the crest in hand 1): a crest refined to lag %f, %f high, is one beyond them: %s', (d, correlation, beyond) => {
    const { scratch, refineAt } = setup({ 1: lobe(d, correlation) });
    expect(crestBeyond(scratch, [1], 0.25, start, 10, refineAt)).toEqual(beyond ? lobe(d, correlation) : undefined);
  });

  it('crestBeyond takes the highest crest beyond, refining grid maxima only while one can stand higher than the highest in hand', () => {
    const { scratch, refined, refineAt } = setup({ 1: lobe(3, 1.3), 2: lobe(12, 1.1), 3: lobe(14, 1.2), 4: lobe(15, 1.4) });
    // Point 3 (0.9 + 0.25) can stand higher than the crest beyond found at point 2 (1.1), and is: 1.2.
    expect(crestBeyond(scratch, [1, 2, 3], 0.25, start, 10, refineAt)).toEqual(lobe(14, 1.2));
    expect(refined).toEqual([1, 2, 3]);
    refined.length = 0;
    // Point 4 (0.75 + 0.25) cannot stand higher than 1.1: not refined, though its crest would be higher.
    expect(crestBeyond(scratch, [2, 4], 0.25, start, 10, refineAt)).toEqual(lobe(12, 1.1));
    expect(refined).toEqual([2]);
    refined.length = 0;
    expect(crestBeyond(scratch, [1, 4], 0.25, start, 10, refineAt)).toBeUndefined();
    expect(refined).toEqual([1]);
  });
});
