import { Prng } from '../dsp/prng.ts';

/**
 * A seeded noise recording on shared memory (as readWav gives a file), 0.15 s at 48 kHz by default, ±0.3 —
 * looped as a live effect's source by the tests and probes that compare it with an offline render.
 */
export function seededRecording(seed: number, frames = 7200): Float32Array {
  const g = new Prng(seed);
  const c = new Float32Array(new SharedArrayBuffer(frames * 4));
  for (let i = 0; i < c.length; i++) c[i] = 0.3 * g.nextBipolar();
  return c;
}
