import type { Engine } from './engine.ts';
import type { TimedEvent } from './events.ts';
import { render } from './render.ts';

/**
 * The offline render continued chunk by chunk: `next(frames)` returns the next `frames` frames of what
 * `render(engine, { sampleRate, blockFrames, frames: total, events })` would return, bit for bit, as
 * long as every chunk but the last is a whole number of blocks (the engine then sees the same blocks and
 * the same events in each). Memory: one chunk of output (reused from call to call), whatever the length
 * of the render.
 */
export class RenderStream {
  /** Frames rendered so far. */
  position = 0;
  private readonly timeline: TimedEvent[];
  private next = 0;
  private prepared = false;
  private out: Float32Array[] = [];

  constructor(private readonly engine: Engine, private readonly sampleRate: number, readonly blockFrames: number, events: readonly TimedEvent[]) {
    // render()'s own order: by frame, stably.
    this.timeline = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.atFrame - b.e.atFrame || a.i - b.i).map(({ e }) => e);
  }

  get outputs(): number {
    return this.engine.numOutputs;
  }

  /** The next `frames` frames, one array per engine output (reused: valid until the next call). */
  nextChunk(frames: number): Float32Array[] {
    if (this.out.length === 0 || this.out[0].length < frames) this.out = Array.from({ length: this.engine.numOutputs }, () => new Float32Array(frames));
    if (this.position % this.blockFrames !== 0) {
      throw new RangeError(`RenderStream: a chunk of ${frames} frames after ${this.position} frames: every chunk but the last must be whole blocks of ${this.blockFrames}`);
    }
    const end = this.position + frames;
    const from = this.next;
    while (this.next < this.timeline.length && this.timeline[this.next].atFrame < end) this.next++;
    const out = render(this.engine, {
      sampleRate: this.sampleRate, blockFrames: this.blockFrames, frames, events: this.timeline.slice(from, this.next),
      prepare: !this.prepared, startFrame: this.position, into: this.out,
    });
    this.prepared = true;
    this.position = end;
    return out.map((o) => o.subarray(0, frames));
  }
}
