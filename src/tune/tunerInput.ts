import { Prng } from '../dsp/prng.ts';
import { ParamError } from '../engine/params.ts';
import { readWav, WavError } from '../io/wavFile.ts';

/**
 * What an offline tuner plays through the engine (live, the server plays its own input: `rig serve
 * --input/--tone/--noise` or the rig's inputs). The signal is looped for as long as a render needs.
 * - `{ file }`: a WAV file (its sample rate is the render's; mono feeds every engine input).
 * - `{ signal: 'noise' }`: uniform white noise in [−0.25, 0.25), input k from the seeded xoshiro128**
 *   stream `seed + k` (default seed 1) — the distribution, level and seeds of `rig serve --noise`.
 * - `{ signal: 'tone', frequencyHz }`: 0.25·sin(2π·f·n/fs) (−12 dBFS, default 1 kHz) on every input, as
 *   `rig serve --tone` — the input THD+N needs.
 * - `{ signal: 'impulses', periodSeconds }`: a unit impulse on every channel every period (default 2 s),
 *   silence between: the engine's impulse response, repeated; live, a server playing this lets the
 *   tuner measure the decay (RT60, EDT, C50/C80) from its snapshots.
 */
export type TunerInput =
  | { file: string }
  | { signal: 'noise'; seed?: number }
  | { signal: 'tone'; frequencyHz?: number }
  | { signal: 'impulses'; periodSeconds?: number };

export const TUNER_SIGNALS = ['noise', 'tone', 'impulses'] as const;
export const DEFAULT_TUNER_INPUT: TunerInput = { signal: 'noise' };
export const DEFAULT_SAMPLE_RATE_HZ = 48000;

/** One loop of the input: channels and their sample rate. */
export interface InputLoop {
  sampleRate: number;
  channels: Float32Array[];
  /** The input as the caller named it, for messages and reports. */
  label: string;
}

/** Peak of the generated signals, as rig serve's (−12 dBFS). */
const SIGNAL_AMPLITUDE = 0.25;
/** Length of one loop of generated noise, s. */
const NOISE_LOOP_SECONDS = 4;

/** Reads or generates one loop of `input` for an engine with `channelCount` inputs. */
export function inputLoop(input: TunerInput, channelCount: number, sampleRate = DEFAULT_SAMPLE_RATE_HZ): InputLoop {
  if ('file' in input) {
    let audio: ReturnType<typeof readWav>;
    try {
      audio = readWav(input.file);
    } catch (e) {
      if (e instanceof WavError) throw new ParamError(`input ${input.file}`, [e.message]);
      throw new ParamError(`input ${input.file}`, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
    if (audio.channels.length === 0 || audio.channels[0].length === 0) throw new ParamError(`input ${input.file}`, ['holds no audio']);
    const channels = Array.from({ length: channelCount }, (_, c) => audio.channels[Math.min(c, audio.channels.length - 1)]);
    return { sampleRate: audio.sampleRate, channels, label: input.file };
  }
  if (input.signal === 'noise') {
    const frames = NOISE_LOOP_SECONDS * sampleRate;
    const seed = input.seed ?? 1;
    const channels = Array.from({ length: channelCount }, (_, k) => new Prng((seed + k) >>> 0).fillBipolar(new Float32Array(frames), SIGNAL_AMPLITUDE));
    return { sampleRate, channels, label: `noise (seed ${seed}, uniform ±${SIGNAL_AMPLITUDE})` };
  }
  if (input.signal === 'tone') {
    const frequencyHz = input.frequencyHz ?? 1000;
    if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2)) {
      throw new ParamError('input tone', [`frequencyHz: got ${frequencyHz}, allowed more than 0 and less than ${sampleRate / 2} (fs/2)`]);
    }
    // A whole number of cycles per loop, so the loop joins without a step.
    const cycles = Math.max(1, Math.round(frequencyHz));
    const frames = Math.round((cycles * sampleRate) / frequencyHz);
    const loop = new Float32Array(frames);
    for (let i = 0; i < frames; i++) loop[i] = SIGNAL_AMPLITUDE * Math.sin((2 * Math.PI * cycles * i) / frames);
    return { sampleRate, channels: Array.from({ length: channelCount }, () => loop), label: `tone ${frequencyHz} Hz (−12 dBFS)` };
  }
  const periodSeconds = input.periodSeconds ?? 2;
  if (!(periodSeconds >= 0.1 && periodSeconds <= 60)) throw new ParamError('input impulses', [`periodSeconds: got ${periodSeconds}, allowed 0.1…60`]);
  const loop = new Float32Array(Math.round(periodSeconds * sampleRate));
  loop[0] = 1;
  return { sampleRate, channels: Array.from({ length: channelCount }, () => loop), label: `impulses every ${periodSeconds} s` };
}

/** `frames` of the loop, starting at loop frame `offset`, repeated as often as needed. */
export function loopedInput(loop: InputLoop, frames: number, offset = 0): Float32Array[] {
  return loop.channels.map((src) => {
    const out = new Float32Array(frames);
    for (let done = 0, at = offset % src.length; done < frames; ) {
      const n = Math.min(frames - done, src.length - at);
      out.set(src.subarray(at, at + n), done);
      done += n;
      at = 0;
    }
    return out;
  });
}

/** Parses the command line's `--input`: a signal name (`noise`, `tone`, `tone:440`, `impulses`, `impulses:3`) or a WAV file. */
export function parseTunerInput(text: string): TunerInput {
  const [name, arg] = text.split(':', 2);
  if (name === 'noise' && arg === undefined) return { signal: 'noise' };
  if (name === 'tone') return arg === undefined ? { signal: 'tone' } : { signal: 'tone', frequencyHz: numberArg(text, arg) };
  if (name === 'impulses') return arg === undefined ? { signal: 'impulses' } : { signal: 'impulses', periodSeconds: numberArg(text, arg) };
  return { file: text };
}

function numberArg(text: string, arg: string): number {
  const v = Number(arg);
  if (arg.trim() === '' || !Number.isFinite(v)) throw new ParamError(`input "${text}"`, [`got ${JSON.stringify(arg)} after ":", expected a number`]);
  return v;
}
