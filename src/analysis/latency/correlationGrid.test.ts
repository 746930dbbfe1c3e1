import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testSignals/seededRandom.ts';
import { correlationGrid, correlationGridScratch, GRID_POINTS_PER_LAG, gridReadingShare, periodGridAt } from './correlationGrid.ts';
import { fftOfSize } from './fft.ts';

const M = 256;

/** C(d) = (2/M)·Re Σ_{k = kLo … kHi} G_k·e^{2πikd/M}, summed directly. */
function direct(G: Float64Array, kLo: number, kHi: number, d: number): number {
  let sum = 0;
  for (let k = kLo; k <= kHi; k++) {
    const phase = (2 * Math.PI * k * d) / M;
    sum += G[2 * k] * Math.cos(phase) - G[2 * k + 1] * Math.sin(phase);
  }
  return (2 * sum) / M;
}

describe('correlationGrid', () => {
  const random = seededRandom(5);
  const G = Float64Array.from({ length: M + 2 }, () => random.next() - 0.5);

  it.each([
    [1, 127],
    [20, 90],
    [64, 64],
  ])('reads the band-limited correlation of bins %i … %i at every half lag, then at every quarter lag, over the whole period, as the direct sum does', (kLo, kHi) => {
    const scratch = correlationGridScratch(M);
    const worstOver = (step: number) => {
      let worst = 0;
      for (let q = 0; q < 4 * M; q += step) worst = Math.max(worst, Math.abs(periodGridAt(scratch, q) - direct(G, kLo, kHi, q / GRID_POINTS_PER_LAG)));
      return worst;
    };

    correlationGrid(fftOfSize(M), G, kLo, kHi, 'half', scratch);
    expect(worstOver(2)).toBeLessThan(1e-12);
    correlationGrid(fftOfSize(M), G, kLo, kHi, 'quarter', scratch);
    expect(worstOver(1)).toBeLessThan(1e-12);
  });

  it('reports the largest |C| over the whole period, searched lags or not', () => {
    // A delay of 200 lags (outside the 10 searched): G_k = e^{−iω_k·200}, so C peaks at d = 200 with (2/M)·(kHi − kLo + 1).
    const delayed = new Float64Array(M + 2);
    for (let k = 10; k <= 60; k++) {
      delayed[2 * k] = Math.cos((2 * Math.PI * k * 200) / M);
      delayed[2 * k + 1] = -Math.sin((2 * Math.PI * k * 200) / M);
    }
    const scratch = correlationGridScratch(M);

    correlationGrid(fftOfSize(M), delayed, 10, 60, 'half', scratch);
    expect(scratch.peak).toBeCloseTo((2 * 51) / M, 12);
    // The quarter stage keeps the half stage's peak where its own points read lower (C(200 ± 1/4) < C(200)).
    correlationGrid(fftOfSize(M), delayed, 10, 60, 'quarter', scratch);
    expect(scratch.peak).toBeCloseTo((2 * 51) / M, 12);
    expect(Math.max(...Array.from({ length: 10 * GRID_POINTS_PER_LAG }, (_, q) => Math.abs(periodGridAt(scratch, q))))).toBeLessThan(0.5 * scratch.peak);
  });

  it('reads a peak of its own at every half stage: a weaker correlation after a stronger one (the next capture of a batch)', () => {
    const scratch = correlationGridScratch(M);
    correlationGrid(fftOfSize(M), G, 20, 90, 'half', scratch);
    const strong = scratch.peak;

    correlationGrid(fftOfSize(M), G.map((v) => v / 10), 20, 90, 'half', scratch);

    expect(scratch.peak).toBeCloseTo(strong / 10, 14);
  });

  it('is rewritten whole by every call: a narrower band after a wider one leaves none of the wider band behind', () => {
    const scratch = correlationGridScratch(M);
    correlationGrid(fftOfSize(M), G, 1, 127, 'half', scratch);
    correlationGrid(fftOfSize(M), G, 1, 127, 'quarter', scratch);
    correlationGrid(fftOfSize(M), G, 30, 40, 'half', scratch);
    correlationGrid(fftOfSize(M), G, 30, 40, 'quarter', scratch);

    for (let q = 0; q < 50 * GRID_POINTS_PER_LAG; q++) expect(periodGridAt(scratch, q)).toBeCloseTo(direct(G, 30, 40, q / GRID_POINTS_PER_LAG), 12);
  });

  it.each([
    ['half', 2],
    ['quarter', 4],
  ] as const)('bounds how low the %s grid reads a crest: a tone at the band\'s top, its crest midway between two points, reads at least 1 − e of it', (stage, pointsPerLag) => {
    // C(d) = cos(2πf(d − c)) at f = 127/256 (bin 127 alone), its crest at c = half the grid's spacing: midway between 0 and the next point.
    const c = 1 / (2 * pointsPerLag);
    const tone = new Float64Array(M + 2);
    tone[2 * 127] = (M / 2) * Math.cos((2 * Math.PI * 127 * c) / M);
    tone[2 * 127 + 1] = -(M / 2) * Math.sin((2 * Math.PI * 127 * c) / M);
    const scratch = correlationGridScratch(M);
    correlationGrid(fftOfSize(M), tone, 127, 127, 'half', scratch);
    if (stage === 'quarter') correlationGrid(fftOfSize(M), tone, 127, 127, 'quarter', scratch);
    const at = (q: number) => Math.abs(periodGridAt(scratch, q));
    const e = gridReadingShare(127 / M, pointsPerLag);

    // Its nearest points read cos(πf·h) = 1 − ½(πfh)² + O(h⁴): within the bound, which is not loose by more than that O(h⁴).
    expect(at(0)).toBeGreaterThanOrEqual(1 - e);
    expect(at(0)).toBeLessThan(1 - 0.9 * e);
    expect(at(GRID_POINTS_PER_LAG / pointsPerLag)).toBeCloseTo(at(0), 12);
  });
});
