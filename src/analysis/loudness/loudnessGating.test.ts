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

/** Block mean squares averaged and read back as LUFS (the gates' own arithmetic, written out). */
const meanLufs = (levels: number[]) => -0.691 + 10 * Math.log10(levels.reduce((sum, l) => sum + z(l), 0) / levels.length);

/**
 * The level q at which `count` quiet blocks sit exactly `offsetLu` above the relative gate formed with
 * `loud` (the gate depends on q through the mean, so it is found by fixed-point iteration: the map is a
 * contraction, the mean moves by far less than q does).
 */
function levelAtGate(loud: [lufs: number, count: number], count: number, gateLu: number, offsetLu: number): number {
  let q = loud[0] + gateLu;
  for (let it = 0; it < 60; it++) {
    q = meanLufs([...new Array<number>(loud[1]).fill(loud[0]), ...new Array<number>(count).fill(q)]) + gateLu + offsetLu;
  }
  return q;
}

/**
 * Where the specification draws a line, blocks just either side of it: 0.05 LU inside is kept, 0.05 LU
 * outside is dropped (ITU-R BS.1770-4 §5.1: gates are strict inequalities; EBU Tech 3342 §2.1).
 */
describe('loudnessGating at its boundaries', () => {
  it('keeps blocks at −69.95 LUFS and drops blocks at −70.05 LUFS (absolute gate)', () => {
    expect(integratedLoudness(blocks([-69.95, 10]))).toBeCloseTo(-69.95, 9);
    expect(integratedLoudness(blocks([-70.05, 10]))).toBeNull();
    expect(loudnessRange(blocks([-69.95, 10], [-60, 10]))).toBeCloseTo(10 - 0.05, 9);
    expect(loudnessRange(blocks([-70.05, 10], [-60, 10]))).toBeCloseTo(0, 9);
  });

  it('drops a block exactly at −70 LUFS: the gates are strict inequalities (BS.1770-4: l_j > Γ)', () => {
    expect(integratedLoudness(blocks([-70, 10]))).toBeNull();
    expect(loudnessRange(blocks([-70, 10], [-60, 10]))).toBeCloseTo(0, 9);
  });

  it('keeps blocks 0.05 LU above the −10 LU relative gate and drops blocks 0.05 LU under it', () => {
    const inside = levelAtGate([-20, 100], 20, -10, +0.05);
    const outside = levelAtGate([-20, 100], 20, -10, -0.05);

    expect(integratedLoudness(blocks([-20, 100], [inside, 20]))).toBeCloseTo(meanLufs([...new Array<number>(100).fill(-20), ...new Array<number>(20).fill(inside)]), 9);
    expect(integratedLoudness(blocks([-20, 100], [outside, 20]))).toBeCloseTo(-20, 9);
  });

  it('keeps short-term values 0.05 LU above the −20 LU range gate and drops those 0.05 LU under it', () => {
    const inside = levelAtGate([-20, 100], 20, -20, +0.05);
    const outside = levelAtGate([-20, 100], 20, -20, -0.05);

    // 120 values, 20 quiet ones: P10 sits at rank round(119·0.1) = 12, among the quiet ones when they count.
    expect(loudnessRange(blocks([-20, 100], [inside, 20]))).toBeCloseTo(-20 - inside, 9);
    expect(loudnessRange(blocks([-20, 100], [outside, 20]))).toBeCloseTo(0, 9);
  });

  it('reads P10 and P95 at the rounded ranks (n − 1)·p: 16 values 1 LU apart give ranks 2 and 14, LRA 12 LU', () => {
    // Ranks 15·0.1 = 1.5 → 2 (floor would give 1) and 15·0.95 = 14.25 → 14 (ceil would give 15).
    const levels = Array.from({ length: 16 }, (_, k) => -40 + k);
    const shuffled = [7, 0, 15, 3, 12, 9, 1, 14, 5, 10, 2, 13, 6, 11, 4, 8].map((k) => levels[k]);

    expect(loudnessRange(Float64Array.from(shuffled, z))).toBeCloseTo(levels[14] - levels[2], 9);
  });

  it('reads 4 values 2 LU apart at ranks round(0.3) = 0 and round(2.85) = 3: LRA 6 LU', () => {
    expect(loudnessRange(blocks([-30, 1], [-24, 1], [-28, 1], [-26, 1]))).toBeCloseTo(6, 9);
  });
});
