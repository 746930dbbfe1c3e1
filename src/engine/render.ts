import type { Engine } from './engine.ts';
import { type EngineEvent, type TimedEvent, makeEvent } from './events.ts';

export interface RenderOptions {
  sampleRate: number;
  /** Frames per `process()` call; the last block may be shorter. */
  blockFrames: number;
  /** Length of the render; `frames` wins when both are given. */
  seconds?: number;
  frames?: number;
  /** One array per engine input; shorter inputs are padded with zeros, missing channels are silent. */
  input?: readonly Float32Array[];
  /** Events on the absolute timeline; sorted (stably) by `atFrame` before use. */
  events?: readonly TimedEvent[];
  /** Call `prepare()` first (default true). False continues from the engine's present state. */
  prepare?: boolean;
  /** Frame of the timeline where this render starts (for continuing a render; default 0). */
  startFrame?: number;
  /** Write into these arrays (one per output, each at least `frames` long) instead of new ones. */
  into?: readonly Float32Array[];
}

/**
 * The offline renderer: the one path that tests, goldens and benchmarks use. It drives the engine
 * block by block exactly as an audio callback would, handing each block the events that fall inside
 * it with their offsets, and returns one Float32Array per engine output.
 */
export function render(engine: Engine, options: RenderOptions): Float32Array[] {
  const { sampleRate, blockFrames } = options;
  const totalFrames = options.frames ?? Math.round((options.seconds ?? 0) * sampleRate);
  if (!(blockFrames >= 1) || !Number.isInteger(blockFrames)) {
    throw new RangeError(`render: blockFrames must be a positive integer, got ${blockFrames}`);
  }
  if (!(totalFrames >= 0) || !Number.isInteger(totalFrames)) {
    throw new RangeError(`render: length must be a whole number of frames ≥ 0, got ${totalFrames}`);
  }
  const startFrame = options.startFrame ?? 0;
  if (options.prepare !== false) engine.prepare({ sampleRate, maxBlockFrames: blockFrames });

  const timeline = [...(options.events ?? [])]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.atFrame - b.e.atFrame || a.i - b.i)
    .map(({ e }) => e);
  const pool: EngineEvent[] = [];
  const blockEvents: EngineEvent[] = [];

  const inputs = Array.from({ length: engine.numInputs }, () => new Float32Array(blockFrames));
  const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(blockFrames));
  const result = options.into ? [...options.into] : Array.from({ length: engine.numOutputs }, () => new Float32Array(totalFrames));

  let next = 0;
  while (next < timeline.length && timeline[next].atFrame < startFrame) next++;
  for (let done = 0; done < totalFrames; done += blockFrames) {
    const frames = Math.min(blockFrames, totalFrames - done);
    const blockStart = startFrame + done;
    for (let c = 0; c < inputs.length; c++) {
      const src = options.input?.[c];
      const dst = inputs[c];
      dst.fill(0);
      if (src && done < src.length) dst.set(src.subarray(done, Math.min(done + frames, src.length)));
    }
    let count = 0;
    while (next < timeline.length && timeline[next].atFrame < blockStart + frames) {
      const t = timeline[next++];
      if (pool.length <= count) pool.push(makeEvent());
      const ev = pool[count];
      ev.kind = t.kind;
      ev.offsetFrames = Math.max(0, Math.floor(t.atFrame) - blockStart);
      ev.channel = t.channel;
      ev.note = t.note;
      ev.value = t.value;
      ev.paramIndex = t.paramIndex;
      blockEvents[count] = ev;
      count++;
    }
    engine.process(inputs, outputs, frames, blockEvents, count);
    for (let c = 0; c < outputs.length; c++) result[c].set(outputs[c].subarray(0, frames), done);
  }
  return result;
}
