import { dirname, resolve } from 'node:path';
import { Prng } from '../../src/dsp/prng.ts';
import { NOISE_FRAMES } from '../../src/host/effectSource.ts';
import { readWav } from '../../src/io/readWav.ts';
import type { LoadedScenario } from '../scenario/loadScenario.ts';
import type { Programme } from '../scenario/scenarioSchema.ts';

/**
 * An effect scenario's programme material, as the rig server's effect source takes it (a SourceSpec of
 * src/host/effectSource.ts: `noise`, `tone`, or `loop` with the file's channels) and as the offline
 * render reads it. The harness generates the render's input itself from the documented formulas — it
 * does not reuse the server's generator, so a source that loses or repeats samples on the live path
 * shows in the content check:
 * - noise: input k is a seeded xoshiro128** stream (seed + k), a·uniform[−1, 1), its first NOISE_FRAMES
 *   samples looped (the server draws them once, when it starts);
 * - tone: x[n] = a·sin(φ_n) on every input, φ advancing by 2π·f/fs per sample and wrapped past 2π
 *   (in double precision, as the server accumulates it);
 * - file: the WAV played in a loop from its first sample; input k takes channel min(k, C − 1).
 */
export type ProgrammeSource =
  | { kind: 'noise'; seed: number; amplitude: number }
  | { kind: 'tone'; frequencyHz: number; amplitude: number }
  | { kind: 'loop'; channels: Float32Array[]; name: string };

/** The source the server plays for a scenario's programme (a file is read once, here). */
export function programmeSource(loaded: LoadedScenario, programme: Programme): ProgrammeSource {
  if (programme.kind === 'noise') return { kind: 'noise', seed: programme.seed, amplitude: programme.amplitude };
  if (programme.kind === 'tone') return { kind: 'tone', frequencyHz: programme.frequencyHz, amplitude: programme.amplitude };
  const file = resolve(dirname(loaded.file), programme.path);
  const audio = readWav(file);
  if (audio.sampleRate !== loaded.scenario.sampleRate) {
    throw new Error(`${loaded.file}: programme ${programme.path} is at ${audio.sampleRate} Hz, the scenario at ${loaded.scenario.sampleRate} Hz`);
  }
  if (!audio.channels.length || !audio.channels[0].length) throw new Error(`${loaded.file}: programme ${programme.path} holds no samples`);
  return { kind: 'loop', channels: audio.channels, name: programme.path };
}

/** The first `frames` samples of the source on each of `inputs` engine inputs (source sample 0 = the first the effect processed). */
export function programmeInput(source: ProgrammeSource, inputs: number, frames: number, sampleRate: number): Float32Array[] {
  const out = Array.from({ length: inputs }, () => new Float32Array(frames));
  if (source.kind === 'noise') {
    out.forEach((x, k) => {
      new Prng((source.seed + k) >>> 0).fillBipolar(x.subarray(0, Math.min(frames, NOISE_FRAMES)), source.amplitude);
      for (let n = NOISE_FRAMES; n < frames; n++) x[n] = x[n - NOISE_FRAMES];
    });
  } else if (source.kind === 'tone') {
    const step = (2 * Math.PI * source.frequencyHz) / sampleRate;
    let phase = 0;
    for (let n = 0; n < frames; n++) {
      out[0][n] = source.amplitude * Math.sin(phase);
      phase += step;
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    }
    for (let k = 1; k < inputs; k++) out[k].set(out[0]);
  } else {
    out.forEach((x, k) => {
      const c = source.channels[Math.min(k, source.channels.length - 1)];
      for (let n = 0; n < frames; n++) x[n] = c[n % c.length];
    });
  }
  return out;
}
