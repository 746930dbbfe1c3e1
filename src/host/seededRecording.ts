import { Prng } from '../dsp/prng.ts';

/**
 * A seeded noise recording on shared memory (as readWav gives a file), 0.15 s at 48 kHz by default, ±0.3 —
 * looped as a live effect's source by the tests and probes that compare it with an offline render.
 */
export function seededRecording(seed: number, frames = 7200): Float32Array {
  return new Prng(seed).fillBipolar(new Float32Array(new SharedArrayBuffer(frames * 4)), 0.3);
}
