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
  ])('reads the band-limited correlation of bins %i … %i at every half lag, then at every quarter lag, as the direct sum does', (kLo, kHi) => {
    const lags = 100;
    const scratch = correlationGridScratch(M, lags);
    const worstOver = (grid: Float64Array, step: number) => {
      let worst = 0;
      for (let i = 0; i < grid.length; i += step) worst = Math.max(worst, Math.abs(grid[i] - direct(G, kLo, kHi, i / GRID_POINTS_PER_LAG)));
      return worst;
    };

    expect(worstOver(correlationGrid(fftOfSize(M), G, kLo, kHi, lags, 'half', scratch), 2)).toBeLessThan(1e-12);
    const grid = correlationGrid(fftOfSize(M), G, kLo, kHi, lags, 'quarter', scratch);
    expect(grid.length).toBe(lags * GRID_POINTS_PER_LAG);
    expect(worstOver(grid, 1)).toBeLessThan(1e-12);
  });

  it('keeps both stages over the whole period: every quarter lag of it, searched or not (periodGridAt), as the direct sum', () => {
    const scratch = correlationGridScratch(M, 10);
    correlationGrid(fftOfSize(M), G, 20, 90, 10, 'half', scratch);
    correlationGrid(fftOfSize(M), G, 20, 90, 10, 'quarter', scratch);

    let worst = 0;
    for (let q = 0; q < 4 * M; q++) worst = Math.max(worst, Math.abs(periodGridAt(scratch, q) - direct(G, 20, 90, q / 4)));
    expect(worst).toBeLessThan(1e-12);
  });

  it('reports the largest |C| over the whole period, searched lags or not', () => {
    // A delay of 200 lags (outside the 10 searched): G_k = e^{−iω_k·200}, so C peaks at d = 200 with (2/M)·(kHi − kLo + 1).
    const delayed = new Float64Array(M + 2);
    for (let k = 10; k <= 60; k++) {
      delayed[2 * k] = Math.cos((2 * Math.PI * k * 200) / M);
      delayed[2 * k + 1] = -Math.sin((2 * Math.PI * k * 200) / M);
    }
    const scratch = correlationGridScratch(M, 10);

    correlationGrid(fftOfSize(M), delayed, 10, 60, 10, 'half', scratch);
    expect(scratch.peak).toBeCloseTo((2 * 51) / M, 12);
    // The quarter stage keeps the half stage's peak where its own points read lower (C(200 ± 1/4) < C(200)).
    correlationGrid(fftOfSize(M), delayed, 10, 60, 10, 'quarter', scratch);
    expect(scratch.peak).toBeCloseTo((2 * 51) / M, 12);
    expect(Math.max(...Array.from(scratch.grid, Math.abs))).toBeLessThan(0.5 * scratch.peak);
  });

  it('reads a peak of its own at every half stage: a weaker correlation after a stronger one (the next capture of a batch)', () => {
    const scratch = correlationGridScratch(M, 10);
    correlationGrid(fftOfSize(M), G, 20, 90, 10, 'half', scratch);
    const strong = scratch.peak;

    correlationGrid(fftOfSize(M), G.map((v) => v / 10), 20, 90, 10, 'half', scratch);

    expect(scratch.peak).toBeCloseTo(strong / 10, 14);
  });

  it('is rewritten whole by every call: a narrower band after a wider one leaves none of the wider band behind', () => {
    const scratch = correlationGridScratch(M, 50);
    correlationGrid(fftOfSize(M), G, 1, 127, 50, 'half', scratch);
    correlationGrid(fftOfSize(M), G, 1, 127, 50, 'quarter', scratch);
    correlationGrid(fftOfSize(M), G, 30, 40, 50, 'half', scratch);
    const narrow = correlationGrid(fftOfSize(M), G, 30, 40, 50, 'quarter', scratch);

    for (let i = 0; i < narrow.length; i++) expect(narrow[i]).toBeCloseTo(direct(G, 30, 40, i / GRID_POINTS_PER_LAG), 12);
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
    const scratch = correlationGridScratch(M, 4);
    correlationGrid(fftOfSize(M), tone, 127, 127, 4, 'half', scratch);
    const grid = stage === 'half' ? scratch.grid : correlationGrid(fftOfSize(M), tone, 127, 127, 4, 'quarter', scratch);
    const e = gridReadingShare(127 / M, pointsPerLag);

    // Its nearest points read cos(πf·h) = 1 − ½(πfh)² + O(h⁴): within the bound, which is not loose by more than that O(h⁴).
    expect(Math.abs(grid[0])).toBeGreaterThanOrEqual(1 - e);
    expect(Math.abs(grid[0])).toBeLessThan(1 - 0.9 * e);
    expect(Math.abs(grid[GRID_POINTS_PER_LAG / pointsPerLag])).toBeCloseTo(Math.abs(grid[0]), 12);
  });
});
