import { describe, expect, it } from 'vitest';
import { robustGain } from './robustGain.ts';

/** A render of DC steps (level levels[b] over block b of `block` frames) and a capture of gains[b] times it. */
function steps(levels: number[], gains: number[], block: number): { render: Float32Array; capture: Float32Array } {
  const render = new Float32Array(levels.length * block);
  const capture = new Float32Array(levels.length * block);
  levels.forEach((level, b) => {
    render.fill(level, b * block, (b + 1) * block);
    capture.fill(gains[b] * level, b * block, (b + 1) * block);
  });
  return { render, capture };
}

describe('robustGain', () => {
  it('is the least-squares gain over the blocks within 1 % of the median, weighted by their energy (hand-computed)', () => {
    // Block gains 0.8 except 0.805 (within 1 %) in block 2; block 1 four times as energetic:
    // Σ y·e / Σ e² = (0.8·(1 + 4 + 1 + 1) + 0.805·1) / 8 = 0.800625 (not the median 0.8, not the plain mean 0.801).
    const { render, capture } = steps([1, 2, 1, 1, 1], [0.8, 0.8, 0.805, 0.8, 0.8], 100);
    const f32 = (g: number, level: number) => Math.fround(g * level) / level; // the gains as the float32 capture holds them
    const expected = (f32(0.8, 1) * 3 + f32(0.8, 2) * 4 + f32(0.805, 1)) / 8;

    expect(robustGain(capture, (n) => render[n], 500, 100)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.800625, 6);
  });

  it('leaves out a block whose gain is more than 1 % from the median (1.2 %), and its energy with it', () => {
    const { render, capture } = steps([1, 1, 1, 1, 1], [0.8, 0.8, 0.8096, 0.8, 0.8], 100);
    expect(robustGain(capture, (n) => render[n], 500, 100)).toBeCloseTo(Math.fround(0.8), 12);
  });

  it('takes the first five’s median as the gain the blocks must agree with, not the majority of all blocks', () => {
    // Seed: median of 0.8, 0.8, 0.8, 0.888, 0.888 = 0.8; 0.888 is 11 % off it, so the four blocks at 0.888 (a majority) are left out.
    const { render, capture } = steps([1, 1, 1, 1, 1, 1, 1], [0.8, 0.8, 0.8, 0.888, 0.888, 0.888, 0.888], 100);
    expect(robustGain(capture, (n) => render[n], 700, 100)).toBeCloseTo(Math.fround(0.8), 12);
    // A majority within 10 % but 1.5 % off (the blocks after a sample's shift read the content's lag-1 correlation):
    // left out too. Centred on the median of the blocks within 10 % of the seed, the gain was theirs, 0.985.
    const shifted = steps([1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0.985, 0.985, 0.985, 0.985, 0.985, 0.985], 100);
    expect(robustGain(shifted.capture, (n) => shifted.render[n], 900, 100)).toBe(1);
  });

  it('measures whole blocks up to `frames` only, the last one ending exactly there included', () => {
    // Blocks 0 and 1 silent (no gain), block 2 (ending at frames = 300) at 0.8, then 2.0 after `frames`.
    const { render, capture } = steps([0, 0, 1, 1, 1, 1], [1, 1, 0.8, 2, 2, 2], 100);
    expect(robustGain(capture, (n) => render[n], 300, 100)).toBeCloseTo(Math.fround(0.8), 12);
  });

  it('gives no gain to blocks whose render is more than 60 dB below the loudest block’s (the capture’s noise would decide it)', () => {
    // Three leading blocks at 1e-4·√5 (energy 5e-7 a block of 100 frames against the loud blocks' 100: under 1e-6 of it)
    // whose capture reads a gain of 3, then loud blocks at 0.8.
    const quiet = 1e-4 * Math.sqrt(0.5);
    const { render, capture } = steps([quiet, quiet, quiet, 1, 1, 1, 1, 1], [3, 3, 3, 0.8, 0.8, 0.8, 0.8, 0.8], 100);
    expect(robustGain(capture, (n) => render[n], 800, 100)).toBeCloseTo(Math.fround(0.8), 12);
  });

  it('returns 1 when no block has content', () => {
    expect(robustGain(new Float32Array(500), () => 0, 500, 100)).toBe(1);
  });
});
