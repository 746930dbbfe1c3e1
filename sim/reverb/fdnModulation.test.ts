import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/engine/render.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';

const SAMPLE_RATE = 48000;
/**
 * A time-varying delay does not conserve the energy counted in the lines sample by sample: the read
 * point wanders ±D around the nominal m_i samples that are counted, and a moving read point squeezes
 * or stretches what it reads (Doppler). Over a grid of N = 4…16, D = 0.1…5 ms, 0.1…10 Hz, linear and
 * cubic, the count stayed within [0.85, 1.30] × its start over 1 s. So the property is boundedness,
 * [0.5, 1.5] over 1 s; a loop gain above one compounds instead (1.05 per pass: far above 1.5).
 */
const ENERGY_LIMITS = [0.5, 1.5] as const;
const STEPS = 40;

/** Largest and smallest stored energy over 1 s after a short burst, relative to the energy right after it. */
function energyRange(engine: FdnReverb): { max: number; min: number } {
  const burst = Float32Array.from({ length: 240 }, (_, i) => Math.sin(i * 0.05) * Math.exp(-i / 80));
  render(engine, { sampleRate: SAMPLE_RATE, blockFrames: 128, frames: burst.length, input: [burst, burst], prepare: false });
  const e0 = engine.storedEnergy();
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let step = 0; step < STEPS; step++) {
    render(engine, { sampleRate: SAMPLE_RATE, blockFrames: 128, frames: 1200, prepare: false });
    const ratio = engine.storedEnergy() / e0;
    max = Math.max(max, ratio);
    min = Math.min(min, ratio);
  }
  return { max, min };
}

function firstEchoFrame(engine: FdnReverb, frames: number): number {
  const impulse = new Float32Array(frames);
  impulse[0] = 1;
  const [left, right] = render(engine, { sampleRate: SAMPLE_RATE, blockFrames: 64, frames, input: [impulse, impulse] });
  for (let i = 0; i < frames; i++) if (Math.abs(left[i]) > 1e-9 || Math.abs(right[i]) > 1e-9) return i;
  return -1;
}

describe('modulated delay lines', () => {
  it('the first echo arrives within the modulation depth (plus the interpolator support) of the shortest line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8, 16),
        fc.double({ min: 0.02, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.constantFrom('linear' as const, 'cubic' as const),
        (lines, modDepthMs, modRateHz, interpolation) => {
          const engine = new FdnReverb({ lines, modDepthMs, modRateHz, interpolation, wetDry: 1, preDelayMs: 0 });
          engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 64 });
          const shortest = Math.min(...engine.delaySamples);
          const depth = Math.min((modDepthMs * SAMPLE_RATE) / 1000, Math.floor(shortest / 2));
          const support = interpolation === 'cubic' ? 2 : 1;
          const first = firstEchoFrame(engine, 6000);
          expect(first).toBeGreaterThanOrEqual(Math.floor(shortest - depth) - support);
          expect(first).toBeLessThanOrEqual(Math.ceil(shortest + depth) + support);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('without modulation the first echo arrives exactly at the shortest line delay', () => {
    const engine = new FdnReverb({ lines: 8, wetDry: 1, preDelayMs: 0 });
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 64 });
    expect(firstEchoFrame(engine, 4000)).toBe(Math.min(...engine.delaySamples));
  });

  it('modulating a lossless network keeps its energy bounded: stored energy stays within [0.5, 1.5] × its start over 1 s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8, 16),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.constantFrom('linear' as const, 'cubic' as const),
        (lines, modDepthMs, modRateHz, interpolation) => {
          const engine = new FdnReverb({ lines, modDepthMs, modRateHz, interpolation, decayMode: 'manual', feedbackGain: 1, damping: 0, wetDry: 1 });
          engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 128 });
          const { max, min } = energyRange(engine);
          expect(max, `energy grew to ${max}`).toBeLessThanOrEqual(ENERGY_LIMITS[1]);
          expect(min, `energy fell to ${min}`).toBeGreaterThanOrEqual(ENERGY_LIMITS[0]);
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 6) },
    );
  });

  it('detects a modulated loop with gain 1.05 per pass: the energy exceeds the limit', () => {
    const engine = new FdnReverb({ lines: 8, modDepthMs: 0.1, modRateHz: 1, decayMode: 'manual', feedbackGain: 1, damping: 0, wetDry: 1 });
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 128 });
    engine.lineCoefficients.b0.fill(1.05);
    expect(energyRange(engine).max).toBeGreaterThan(ENERGY_LIMITS[1]);
  });
});
