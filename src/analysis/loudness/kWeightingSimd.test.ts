import { describe, expect, it } from 'vitest';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { mulberry32 } from '../signal/seededNoise.ts';
import { KWeightingPair, kWeightingPairWat } from './kWeightingSimd.ts';
import { measureLoudness } from './measureLoudness.ts';
import { addKWeightedSubBlockEnergies, subBlockBounds } from './subBlockEnergies.ts';

/**
 * The kernel compiled from its text inside each test, never when the file loads: under Stryker a mutant of the text
 * is switched on only while a test runs (a module compiled at load ran the unmutated text: those mutants survived).
 */
const kernel = (): object => compileWat('kWeighting.wat', kWeightingPairWat());

/** Seeded noise and a tone, a loud start and then a long silence (the filter state decays through the flush threshold). */
function channel(frames: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(frames);
  for (let i = 0; i < frames / 3; i++) x[i] = 0.5 * Math.sin(0.01 * seed * i) + 0.2 * (next() - 0.5);
  return x;
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('KWeightingPair', () => {
  // Sample rates of 4800, 4410 and 2205 samples a sub-block and weights of 0 and 1.41.
  const CASES = [
    { rate: 48000, seconds: 9.3, weights: [1, 1] },
    { rate: 44100, seconds: 20, weights: [1.41, 1] },
    { rate: 22050, seconds: 4, weights: [0, 1.41] },
  ];
  for (const { rate, seconds, weights } of CASES) {
    it(`gives addKWeightedSubBlockEnergies of both channels to the last bit at ${rate} Hz, weights ${weights.join(', ')}`, () => {
      const a = channel(Math.round(rate * seconds), 1), b = channel(Math.round(rate * seconds), 2);
      const bounds = subBlockBounds(a.length, rate);
      const energies = new Float64Array(bounds.length - 1).fill(0.25);

      new KWeightingPair(kernel(), rate).addEnergiesOfPair(a, b, bounds, weights[0], weights[1], energies);

      const reference = new Float64Array(bounds.length - 1).fill(0.25);
      addKWeightedSubBlockEnergies(a, rate, bounds, weights[0], reference);
      addKWeightedSubBlockEnergies(b, rate, bounds, weights[1], reference);
      expect(sameBits(energies, reference)).toBe(true);
    });
  }

  it('gives the same sums to the last bit with sub-blocks of unequal length over more than one kernel call (8001 Hz)', () => {
    // round(800.1·k): sub-blocks of 800 samples and one of 801 in every 10, a pattern that the 64 sub-blocks of one
    // kernel call do not repeat; noise from start to end, so the second call's sub-blocks are not silent.
    const rate = 8001, frames = 9 * rate;
    const next = mulberry32(7);
    const a = Float32Array.from({ length: frames }, () => next() - 0.5), b = Float32Array.from({ length: frames }, () => next() - 0.5);
    const bounds = subBlockBounds(frames, rate);
    const energies = new Float64Array(bounds.length - 1);

    new KWeightingPair(kernel(), rate).addEnergiesOfPair(a, b, bounds, 1, 1.41, energies);

    const reference = new Float64Array(bounds.length - 1);
    addKWeightedSubBlockEnergies(a, rate, bounds, 1, reference);
    addKWeightedSubBlockEnergies(b, rate, bounds, 1.41, reference);
    expect(new Set(Array.from(bounds.subarray(1), (e, k) => e - bounds[k]))).toEqual(new Set([800, 801]));
    expect(sameBits(energies, reference)).toBe(true);
  });

  it('gives measureLoudness the same figures to the last bit for five channels (two pairs and one alone)', () => {
    const channels = [1, 2, 3, 4, 5].map((seed) => channel(48000 * 5, seed));
    const pair = new KWeightingPair(kernel(), 48000);
    // The pair changes only the K-weighted sums: the true peak (the costliest step instrumented, under StrykerJS) is skipped.
    expect(measureLoudness(channels, 48000, { kWeightingPair: pair, truePeak: false })).toEqual(measureLoudness(channels, 48000, { truePeak: false }));
  });
});
