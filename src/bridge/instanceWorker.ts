/**
 * One loaded instance's thread (started by EngineInstance): builds the engine, then turns each input
 * chunk into an output chunk exactly as the offline renderer (src/engine/render.ts) would with 128-frame
 * blocks — the same inputs, the Param events at their frames of the instance's stream — so the bridge's
 * output is bit-identical to `render()`. Buffers and events are allocated once; a chunk's output goes
 * back in a new buffer that is transferred, not copied. An engine that throws is reported once
 * ('failed') and the thread then only waits to be terminated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine } from '../engine/engine.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { engineEntry, loadEngineModule } from '../presets/engineRegistry.ts';
import { CHUNK_FRAMES } from './protocol.ts';
import { describeRealtime, requestRealtime } from './realtimePriority.ts';
import { decodeState, encodeState } from './stateCodec.ts';

export interface InstanceWorkerData {
  engine: string;
  /** The module that registers `engine`, when it is not a bundled one. */
  modulePath?: string;
  /** Raw parameters (validated again here by the engine's schema). */
  config: unknown;
  sampleRate: number;
  channels: number;
  /** SCHED_RR priority to take once warmed up (where permitted); undefined: stay as started. */
  realtimePriority?: number;
}

export type ToWorker =
  | { type: 'chunk'; sequence: number; frames: number; channels: number; samples: Float32Array }
  | { type: 'param'; index: number; value: number; frame: number | null }
  | { type: 'getState'; request: number }
  | { type: 'setState'; request: number; state: unknown };

export type FromWorker =
  | { type: 'ready'; numInputs: number; numOutputs: number; paramNames: string[]; scheduling: string }
  | { type: 'out'; sequence: number; frames: number; samples: Float32Array; lateParams: number; droppedParams: number }
  | { type: 'state'; request: number; state?: unknown; error?: string }
  | { type: 'failed'; message: string };

/** Param events waiting for their frame, at most; more are dropped and counted. */
export const MAX_PENDING_PARAMS = 4096;

interface PendingParam { frame: number; index: number; value: number }

class InstanceLoop {
  private readonly inputs: Float32Array[];
  private readonly outputs: Float32Array[];
  private readonly pool: EngineEvent[] = Array.from({ length: 64 }, makeEvent);
  private readonly pending: PendingParam[] = [];
  private framesDone = 0;
  private lateParams = 0;
  private droppedParams = 0;
  private failed = false;

  constructor(private readonly engine: Engine, private readonly post: (m: FromWorker, transfer?: ArrayBuffer[]) => void) {
    this.inputs = Array.from({ length: engine.numInputs }, () => new Float32Array(CHUNK_FRAMES));
    this.outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(CHUNK_FRAMES));
  }

  handle(m: ToWorker): void {
    if (this.failed) return;
    try {
      if (m.type === 'chunk') this.chunk(m);
      else if (m.type === 'param') this.param(m);
      else if (m.type === 'getState') this.post({ type: 'state', request: m.request, state: encodeState(this.engine.getState()) });
      else if (m.type === 'setState') this.setState(m);
    } catch (err) {
      this.failed = true;
      this.post({ type: 'failed', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }

  /** Kept sorted by frame, stably (a later message at the same frame comes after), as render() sorts. */
  private param(m: { index: number; value: number; frame: number | null }): void {
    if (this.pending.length >= MAX_PENDING_PARAMS) {
      this.droppedParams++;
      return;
    }
    const frame = m.frame ?? this.framesDone;
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].frame > frame) i--;
    this.pending.splice(i, 0, { frame, index: m.index, value: m.value });
  }

  private chunk(m: { sequence: number; frames: number; channels: number; samples: Float32Array }): void {
    const { frames } = m;
    const start = this.framesDone;
    for (let c = 0; c < this.inputs.length; c++) {
      const dst = this.inputs[c];
      if (c < m.channels) dst.set(m.samples.subarray(c * frames, (c + 1) * frames));
      else dst.fill(0, 0, frames);
    }
    let count = 0;
    while (this.pending.length > 0 && this.pending[0].frame < start + frames) {
      const p = this.pending.shift() as PendingParam;
      if (p.frame < start) this.lateParams++;
      if (count === this.pool.length) this.pool.push(makeEvent());
      const ev = this.pool[count++];
      ev.kind = EventKind.Param;
      ev.offsetFrames = Math.max(0, p.frame - start);
      ev.channel = 0;
      ev.note = 0;
      ev.value = p.value;
      ev.paramIndex = p.index;
    }
    this.engine.process(this.inputs, this.outputs, frames, this.pool, count);
    this.framesDone += frames;
    const out = new Float32Array(this.outputs.length * frames);
    for (let c = 0; c < this.outputs.length; c++) out.set(this.outputs[c].subarray(0, frames), c * frames);
    this.post({ type: 'out', sequence: m.sequence, frames, samples: out, lateParams: this.lateParams, droppedParams: this.droppedParams }, [out.buffer as ArrayBuffer]);
  }

  private setState(m: { request: number; state: unknown }): void {
    let state: unknown;
    try {
      state = decodeState(m.state);
    } catch (err) {
      this.post({ type: 'state', request: m.request, error: (err as Error).message });
      return;
    }
    // An engine's own setState may refuse a state that does not fit it: the instance keeps its state then.
    const before = this.engine.getState();
    try {
      this.engine.setState(state);
      this.post({ type: 'state', request: m.request });
    } catch (err) {
      this.engine.setState(before);
      this.post({ type: 'state', request: m.request, error: (err as Error).message });
    }
  }
}

/** Blocks a scratch copy runs before the instance is ready, so V8 has compiled the hot paths (≈ 5 s of audio). */
const WARM_UP_BLOCKS = 2000;

/**
 * Runs a scratch copy of a bundled engine through WARM_UP_BLOCKS blocks of a test tone: without it the
 * first chunks of a stream take several milliseconds each (measured 5–27 ms for the reverb's first five).
 * User modules are not warmed up: their faults would surface before the stream starts, not in it.
 */
function warmUp(engine: Engine, sampleRate: number): void {
  engine.prepare({ sampleRate, maxBlockFrames: CHUNK_FRAMES });
  const ins = Array.from({ length: engine.numInputs }, () => new Float32Array(CHUNK_FRAMES));
  const outs = Array.from({ length: engine.numOutputs }, () => new Float32Array(CHUNK_FRAMES));
  for (let b = 0; b < WARM_UP_BLOCKS; b++) {
    for (const x of ins) for (let i = 0; i < CHUNK_FRAMES; i++) x[i] = 0.25 * Math.sin((b * CHUNK_FRAMES + i) * 0.05);
    engine.process(ins, outs, CHUNK_FRAMES, [], 0);
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const d = workerData as InstanceWorkerData;
  if (d.modulePath) await loadEngineModule(d.modulePath);
  const entry = engineEntry(d.engine);
  const params = parseParams(entry.paramsSchema, d.config ?? {}, `engine "${d.engine}" params`);
  if (!d.modulePath) warmUp(entry.create(params), d.sampleRate);
  const engine = entry.create(params);
  engine.prepare({ sampleRate: d.sampleRate, maxBlockFrames: CHUNK_FRAMES });
  const loop = new InstanceLoop(engine, (m, transfer) => port.postMessage(m, transfer ?? []));
  port.on('message', (m: ToWorker) => loop.handle(m));
  // After the warm-up, so 2000 blocks at full speed never hold a core at real-time priority.
  const scheduling = d.realtimePriority === undefined ? 'normal scheduling (not asked for)' : describeRealtime(await requestRealtime(d.realtimePriority));
  port.postMessage({ type: 'ready', numInputs: engine.numInputs, numOutputs: engine.numOutputs, paramNames: [...engine.paramNames], scheduling } satisfies FromWorker);
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
});
