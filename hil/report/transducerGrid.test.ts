import { describe, expect, it } from 'vitest';
import { gridRowLabels, transducerGrid } from './transducerGrid.ts';

describe('transducerGrid', () => {
  it('lays 32 channels out as 4 rows of 8, channel i at row i div 8, column i mod 8', () => {
    const grid = transducerGrid(Array.from({ length: 32 }, (_, i) => i));
    expect(grid.length).toBe(4);
    expect(grid.every((row) => row.length === 8)).toBe(true);
    expect([grid[0][0], grid[1][2], grid[3][7]]).toEqual([0, 10, 31]);
  });

  it('pads a partial last row and turns missing or non-finite values into null', () => {
    expect(transducerGrid([1, null, Number.NaN, 4, 5, 6, 7, 8, 9])).toEqual([[1, null, null, 4, 5, 6, 7, 8], [9, null, null, null, null, null, null, null]]);
  });

  it('labels each row with the 1-based channels it holds', () => {
    expect(gridRowLabels(4)).toEqual(['1–8', '9–16', '17–24', '25–32']);
  });
});
