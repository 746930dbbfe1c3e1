import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/engine/render.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';

const SAMPLE_RATE = 48000;

/** Relative drift of the energy stored in the lines from the end of a noise burst to 0.25 s later. */
function storedEnergyDrift(engine: FdnReverb, seed: number): { drift: number; e0: number } {
  let x = seed >>> 0 || 1;
  const burst = Float32Array.from({ length: 400 }, () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32 - 0.5;
  });
  render(engine, { sampleRate: SAMPLE_RATE, blockFrames: 128, frames: burst.length, input: [burst, burst.map((v) => -v)] });
  const e0 = engine.storedEnergy();
  let worst = 0;
  for (let step = 1; step <= 10; step++) {
    render(engine, { sampleRate: SAMPLE_RATE, blockFrames: 128, frames: 1200, prepare: false });
    worst = Math.max(worst, Math.abs(engine.storedEnergy() / e0 - 1));
  }
  return { drift: worst, e0 };
}

const lossless = (lines: number, matrix: 'hadamard' | 'householder' | 'randomOrthogonal', seed: number, feedbackGain = 1) =>
  new FdnReverb({ lines, matrix, seed, decayMode: 'manual', feedbackGain, damping: 0, wetDry: 1 });

describe('FDN losslessness', () => {
  it('an orthogonal matrix with unit gains and no damping keeps the stored energy within 1e-12 (relative) for 0.25 s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8, 16, 32),
        fc.constantFrom('hadamard' as const, 'householder' as const, 'randomOrthogonal' as const),
        fc.integer({ min: 1, max: 1_000_000 }),
        (lines, matrix, seed) => {
          const engine = lossless(lines, matrix, seed);
          engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 128 });
          const { drift, e0 } = storedEnergyDrift(engine, seed);
          expect(e0).toBeGreaterThan(0);
          expect(drift, `${lines} lines, ${matrix}, seed ${seed}: energy drift ${drift}`).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('detects a loss of 0.001 dB per pass (feedbackGain 0.99989): the drift exceeds the 1e-12 limit by orders of magnitude', () => {
    const engine = lossless(8, 'hadamard', 1, 0.99989);
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 128 });
    expect(storedEnergyDrift(engine, 7).drift).toBeGreaterThan(1e-4);
  });
});
