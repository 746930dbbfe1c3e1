import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testSignals/seededRandom.ts';
import { correlationGrid, correlationGridScratch, GRID_POINTS_PER_LAG } from './correlationGrid.ts';
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
  ])('reads the band-limited correlation of bins %i … %i at every quarter lag, as the direct sum does', (kLo, kHi) => {
    const lags = 100;
    const grid = correlationGrid(fftOfSize(M), G, kLo, kHi, lags, correlationGridScratch(M, lags));

    expect(grid.length).toBe(lags * GRID_POINTS_PER_LAG);
    let worst = 0;
    for (let i = 0; i < grid.length; i++) worst = Math.max(worst, Math.abs(grid[i] - direct(G, kLo, kHi, i / GRID_POINTS_PER_LAG)));
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

    correlationGrid(fftOfSize(M), delayed, 10, 60, 10, scratch);

    expect(scratch.peak).toBeCloseTo((2 * 51) / M, 12);
    expect(Math.max(...Array.from(scratch.grid, Math.abs))).toBeLessThan(0.5 * scratch.peak);
  });

  it('is rewritten whole by every call: a narrower band after a wider one leaves none of the wider band behind', () => {
    const scratch = correlationGridScratch(M, 50);
    correlationGrid(fftOfSize(M), G, 1, 127, 50, scratch);
    const narrow = correlationGrid(fftOfSize(M), G, 30, 40, 50, scratch);

    for (let i = 0; i < narrow.length; i++) expect(narrow[i]).toBeCloseTo(direct(G, 30, 40, i / GRID_POINTS_PER_LAG), 12);
  });
});
