import { Prng } from '../dsp/prng.ts';

/**
 * Where a live effect's input comes from, as data (structured-cloneable, so a worker host builds its
 * own EffectSource from it):
 * - `rig`: the rig's input channels `channels[k]` feed engine input k (0-based indices, as in rig files;
 *   `rig serve --input-channels` and `describeSource` count from 1).
 * - `tone`: a sine of `frequencyHz` at `amplitude` (linear, full scale 1) on every input, phase
 *   continuous across periods: x[n] = a·sin(2π·f·n/fs).
 * - `noise`: uniform white noise in [−a, a), an independent seeded xoshiro128** stream per input
 *   (input k seeded `seed + k`): the same seed gives the same samples on every run and host. It is
 *   drawn in the constructor, NOISE_FRAMES per input (10.9 s at 48 kHz), and played as a loop: drawn
 *   on the audio side the generator's uint32 results were boxed there (9–22 bytes a period measured
 *   inside AudioHost, though not alone), and a table costs a copy.
 * - `loop`: a recording (`channels`, on SharedArrayBuffers as readWav gives them, shared not copied
 *   with a worker) played in a loop from its first sample; input k takes channel min(k, C − 1), so a
 *   mono file feeds both inputs of a stereo effect. `name` is for status and logs only.
 * - `silence`: zeros.
 */
export type SourceSpec =
  | { kind: 'rig'; channels: number[] }
  | { kind: 'tone'; frequencyHz: number; amplitude: number }
  | { kind: 'noise'; seed: number; amplitude: number }
  | { kind: 'loop'; channels: Float32Array[]; name: string }
  | { kind: 'silence' };

/** Frames of noise drawn per input (2^19: 10.9 s at 48 kHz, 2 MiB), looped. */
export const NOISE_FRAMES = 1 << 19;

/** Default level of generated sources: −12 dBFS peak, headroom for a wet mix that adds energy. */
export const SOURCE_AMPLITUDE = 0.25;

/** One line naming the source (status, the serve banner). */
export function describeSource(s: SourceSpec): string {
  switch (s.kind) {
    case 'rig': return `rig inputs ${s.channels.map((c) => c + 1).join(',')}`;
    case 'tone': return `tone ${s.frequencyHz} Hz at ${s.amplitude}`;
    case 'noise': return `noise seed ${s.seed} at ${s.amplitude}`;
    case 'loop': return `loop ${s.name} (${((s.channels[0]?.length ?? 0))} frames)`;
    default: return 'silence';
  }
}

/**
 * The audio side of a SourceSpec: fills one preallocated buffer per engine input each period. All
 * buffers and generator state are allocated in the constructor; `fill()` allocates nothing, never
 * throws (a missing rig channel reads as silence) and never waits.
 */
export class EffectSource {
  /** The engine's input buffers, filled by `fill()` (length maxFrames each). */
  readonly buffers: Float32Array[];
  /** The recording a loop or the noise plays. */
  private readonly table: Float32Array[];
  /**
   * [tone phase (radians; double: a float32 phase would drift audibly within minutes), phase step,
   * amplitude, next frame of the loop]: doubles kept in a typed array, as a double stored in an
   * object field or returned from a call can be boxed (an allocation on the audio path).
   */
  private readonly state = new Float64Array(4);
  private readonly channelIndex: Int32Array;

  constructor(readonly spec: SourceSpec, inputs: number, maxFrames: number, sampleRate: number) {
    this.buffers = Array.from({ length: inputs }, () => new Float32Array(maxFrames));
    this.table = spec.kind === 'loop' ? spec.channels
      : spec.kind === 'noise' ? Array.from({ length: inputs }, (_, k) => new Prng((spec.seed + k) >>> 0).fillBipolar(new Float32Array(NOISE_FRAMES), spec.amplitude))
      : [];
    this.state[1] = spec.kind === 'tone' ? (2 * Math.PI * spec.frequencyHz) / sampleRate : 0;
    this.state[2] = spec.kind === 'tone' || spec.kind === 'noise' ? spec.amplitude : 0;
    const sources = spec.kind === 'rig' ? spec.channels : this.table.map((_, c) => c);
    this.channelIndex = Int32Array.from({ length: inputs }, (_, k) => (sources.length === 0 ? -1 : spec.kind === 'rig' ? (sources[k] ?? -1) : Math.min(k, sources.length - 1)));
  }

  /** Fills `buffers[k][0…frames)` for this period; `rigInputs` are the rig's captured channels. */
  fill(rigInputs: readonly Float32Array[], frames: number): Float32Array[] {
    const out = this.buffers;
    const s = this.spec;
    if (s.kind === 'rig') {
      for (let k = 0; k < out.length; k++) {
        const src = rigInputs[this.channelIndex[k]];
        const dst = out[k];
        if (src === undefined) dst.fill(0, 0, frames);
        else for (let j = 0; j < frames; j++) dst[j] = src[j];
      }
    } else if (s.kind === 'tone') {
      const st = this.state;
      const first = out[0];
      for (let j = 0; j < frames; j++) {
        first[j] = st[2] * Math.sin(st[0]);
        st[0] += st[1];
        if (st[0] > 2 * Math.PI) st[0] -= 2 * Math.PI;
      }
      for (let k = 1; k < out.length; k++) {
        const dst = out[k];
        for (let j = 0; j < frames; j++) dst[j] = first[j];
      }
    } else if (s.kind === 'loop' || s.kind === 'noise') {
      const table = this.table;
      const length = table[0]?.length ?? 0;
      const start = this.state[3];
      let pos = start;
      for (let k = 0; k < out.length; k++) {
        const src = table[this.channelIndex[k]];
        const dst = out[k];
        pos = start;
        for (let j = 0; j < frames; j++) {
          dst[j] = length > 0 ? src[pos] : 0;
          if (++pos >= length) pos = 0;
        }
      }
      this.state[3] = pos;
    } else {
      for (const b of out) b.fill(0, 0, frames);
    }
    return out;
  }
}

