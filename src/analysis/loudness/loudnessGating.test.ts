import { describe, expect, it } from 'vitest';
import { blockMeanSquares, integratedLoudness, loudnessRange, lufsFromMeanSquare } from './loudnessGating.ts';

const z = (lufs: number) => Math.pow(10, (lufs + 0.691) / 10);
const blocks = (...levels: [lufs: number, count: number][]) =>
  Float64Array.from(levels.flatMap(([lufs, count]) => new Array<number>(count).fill(z(lufs))));

describe('loudnessGating', () => {
  it('converts mean square to LUFS with the −0.691 offset, and silence to −Infinity', () => {
    expect(lufsFromMeanSquare(1)).toBeCloseTo(-0.691, 12);
    expect(lufsFromMeanSquare(0)).toBe(-Infinity);
  });

  it('averages energy, not decibels, over the blocks that pass both gates', () => {
    const integrated = integratedLoudness(blocks([-20, 100], [-26, 100]));

    expect(integrated).toBeCloseTo(10 * Math.log10((Math.pow(10, -2) + Math.pow(10, -2.6)) / 2), 9);
  });

  it('drops blocks more than 10 LU under the absolutely-gated mean', () => {
    const withQuietTail = integratedLoudness(blocks([-20, 100], [-45, 100]));

    expect(withQuietTail).toBeCloseTo(-20, 9);
  });

  it('drops blocks at or under −70 LUFS before computing the relative gate', () => {
    // Without the absolute gate the mean would sink to −68.8 LUFS and let the −75 LUFS blocks through.
    expect(integratedLoudness(blocks([-30, 10], [-75, 100000]))).toBeCloseTo(-30, 9);
  });

  it('returns null when every block is under the absolute gate', () => {
    expect(integratedLoudness(blocks([-75, 50]))).toBeNull();
    expect(integratedLoudness(new Float64Array(0))).toBeNull();
  });

  it('reads the loudness range as P95 − P10 of the gated short-term values', () => {
    const lra = loudnessRange(blocks([-30, 500], [-20, 500]));

    expect(lra).toBeCloseTo(10, 9);
  });

  it('excludes short-term values more than 20 LU under their mean from the range', () => {
    expect(loudnessRange(blocks([-20, 500], [-45, 500]))).toBeCloseTo(0, 9);
  });

  it('builds block mean squares from sub-block sums divided by the samples they span', () => {
    const energies = Float64Array.from([1, 2, 3, 4, 5]);
    const bounds = Float64Array.from([0, 10, 20, 30, 40, 50]);

    const out = blockMeanSquares(energies, bounds, 4);

    expect(Array.from(out)).toEqual([10 / 40, 14 / 40]);
  });
});
