/// <reference path="./audioWorkletGlobals.d.ts" />
import type { Engine } from '../../engine/engine.ts';
import { EventKind } from '../../engine/events.ts';
import { parseParams } from '../../engine/params.ts';
import { SpscRing } from '../../dsp/spscRing.ts';
import { type EngineEntry, engineEntry } from '../../presets/engineRegistry.ts';
import { EventQueue } from './eventQueue.ts';
import { RenderClock } from './renderClock.ts';
import { sameData, valueAtPath, withValueAtPath } from './paramPaths.ts';
import {
  ENGINE_PROCESSOR_NAME, type EngineProcessorOptions, type EngineShape, type FromProcessor, QUANTUM_FRAMES,
  type ToProcessor, type WireEvent,
} from './workletProtocol.ts';

const scope = globalThis as { performance?: { now(): number } };
const clock: () => number = scope.performance ? () => (scope.performance as { now(): number }).now() : () => Date.now();
const CLOCK_RESOLUTION_MS = scope.performance ? 0.005 : 1;
/** Meter floor: silence reads −160 dB, never −Infinity (Float32Array- and JSON-safe). */
const FLOOR_DB = -160;
const toDb = (x: number) => (x > 1e-8 ? 20 * Math.log10(x) : FLOOR_DB);

interface Built {
  engine: Engine;
  entry: EngineEntry;
  /** The parameters as given (before the schema's defaults), for parameter changes that rebuild. */
  input: unknown;
  parsed: unknown;
}

/** Builds a registry engine from unvalidated params (+ seed); throws a ParamError naming the key. */
function buildEngine(name: string, params: unknown, seed: number | undefined): Built {
  const entry = engineEntry(name);
  const input = seed === undefined ? (params ?? {}) : withValueAtPath(params ?? {}, 'seed', seed);
  const parsed = parseParams(entry.paramsSchema, input, `engine "${name}" params`);
  return { engine: entry.create(parsed), entry, input, parsed };
}

/**
 * Hosts any engine of the registry (src/presets/engineRegistry.ts) in an AudioWorklet through the engine
 * contract (src/engine/engine.ts), exactly as Node's render() drives it with 128-frame blocks:
 * - `prepare` at construction (sampleRate of the context, maxBlockFrames 128);
 * - `process` once per render quantum: input 0's channels → the engine's inputs (missing: silence),
 *   the engine's outputs → output 0;
 * - events (note on/off, MPE, Param, panic) posted from the page are queued on the context timeline and
 *   handed to the engine at their sample (eventQueue.ts); parameter changes are Param events, so the
 *   engine's own smoothing applies. A change the engine cannot take as a Param event (a structural
 *   parameter, an array) rebuilds the engine with the new parameters (a discontinuity: the signal state
 *   starts from silence).
 * The engine's timeline starts at `startFrame` (default: the first quantum); before it, silence.
 * Render time per quantum is measured around engine.process (RenderStats). Meters: per channel peak and
 * RMS (dBFS) every `meterFrames` frames, into a SharedArrayBuffer ring when one was given, else posted.
 */
class EngineProcessor extends AudioWorkletProcessor {
  private built: Built | null = null;
  private readonly name: string;
  private readonly probe: boolean;
  private inputs: Float32Array[] = [];
  private outputs: Float32Array[] = [];
  private readonly queue = new EventQueue();
  private readonly renderClock = new RenderClock();
  private startFrame: number;
  private started = false;
  private lateEvents = 0;
  private quanta = 0;
  private totalMs = 0;
  private maxMs = 0;
  // Meters.
  private readonly meterFrames: number;
  private readonly repeat: number;
  private meterRing: SpscRing | null = null;
  private meterRecord = new Float64Array(1);
  private peak = new Float64Array(0);
  private sumsq = new Float64Array(0);
  private meterCount = 0;
  private metersPosted = false;

  constructor(options: { processorOptions?: unknown }) {
    super();
    const o = (options.processorOptions ?? {}) as EngineProcessorOptions;
    this.name = String(o.engine);
    this.probe = o.probe === true;
    this.startFrame = typeof o.startFrame === 'number' ? o.startFrame : Number.NaN;
    this.meterFrames = Math.max(QUANTUM_FRAMES, Math.round(o.meterFrames ?? 2048));
    this.repeat = Math.max(1, Math.min(65536, Math.round(o.benchRepeat ?? 1)));
    this.port.onmessage = (e) => this.onMessage(e.data as ToProcessor);
    try {
      const built = buildEngine(this.name, o.params, o.seed);
      if (this.probe) {
        this.post({ type: 'shape', ...this.shape(built.engine) });
        return;
      }
      this.install(built);
      if (o.meterRing) this.meterRing = new SpscRing(o.meterRing);
      for (const e of o.events ?? []) this.enqueue(e);
      this.post({ type: 'ready', ...this.shape(built.engine) });
    } catch (err) {
      this.post({ type: 'error', message: (err as Error).message });
    }
  }

  private shape(engine: Engine): EngineShape {
    return { engine: this.name, numInputs: engine.numInputs, numOutputs: engine.numOutputs, paramNames: [...engine.paramNames], sampleRate };
  }

  private post(message: FromProcessor, transfer?: Transferable[]): void {
    this.port.postMessage(message, transfer);
  }

  /** Prepares `built` and makes it the engine (allocates: never called from process()). */
  private install(built: Built): void {
    built.engine.prepare({ sampleRate, maxBlockFrames: QUANTUM_FRAMES });
    const { numInputs, numOutputs } = built.engine;
    if (this.inputs.length !== numInputs) this.inputs = Array.from({ length: numInputs }, () => new Float32Array(QUANTUM_FRAMES));
    if (this.outputs.length !== numOutputs) {
      this.outputs = Array.from({ length: numOutputs }, () => new Float32Array(QUANTUM_FRAMES));
      this.peak = new Float64Array(numOutputs);
      this.sumsq = new Float64Array(numOutputs);
      this.meterRecord = new Float64Array(1 + 2 * numOutputs);
    }
    this.built = built;
  }

  private enqueue(e: WireEvent): void {
    const at = typeof e.atFrame === 'number' && Number.isFinite(e.atFrame) ? e.atFrame : Number.NEGATIVE_INFINITY;
    if (at !== Number.NEGATIVE_INFINITY && this.started && at < this.renderClock.upcoming(currentFrame)) this.lateEvents++;
    this.queue.push(e, at);
  }

  private onMessage(m: ToProcessor): void {
    try {
      switch (m.type) {
        case 'events':
          for (const e of m.events) this.enqueue(e);
          break;
        case 'setParameter':
          this.setParameter(m.name, m.value, m.atFrame);
          break;
        case 'loadParams':
          this.loadParams(m.params);
          break;
        case 'meters':
          this.metersPosted = m.enabled;
          break;
        case 'stats':
          this.post({
            type: 'stats', id: m.id, quanta: this.quanta, totalMs: this.totalMs, meanMsPerQuantum: this.quanta ? this.totalMs / this.quanta : 0,
            maxMsPerQuantum: this.maxMs, clockResolutionMs: CLOCK_RESOLUTION_MS, startFrame: this.started ? this.startFrame : -1,
            droppedEvents: this.queue.dropped, lateEvents: this.lateEvents,
          });
          break;
        case 'ping':
          this.post({ type: 'pong', id: m.id });
          break;
      }
    } catch (err) {
      this.post({ type: 'error', message: (err as Error).message });
    }
  }

  /** A Param event when `name` is one of the engine's paramNames and `value` a number; else a rebuild. */
  private setParameter(name: string, value: unknown, atFrame: number | undefined): void {
    const built = this.built;
    if (!built) throw new Error(`setParameter ${name}: the engine "${this.name}" was not built`);
    const index = built.engine.paramNames.indexOf(name);
    if (index >= 0 && typeof value === 'number') {
      // Validated against the schema as a whole (range, type), then applied with the engine's smoothing.
      const input = withValueAtPath(built.input, name, value);
      parseParams(built.entry.paramsSchema, input, `setParameter ${name}`);
      built.input = input;
      this.enqueue({ kind: EventKind.Param, channel: 0, note: 0, value, paramIndex: index, atFrame });
      return;
    }
    this.loadParams(withValueAtPath(built.input, name, value));
  }

  /**
   * A whole parameter set: where it differs from the present one only in Param-event parameters, those
   * are sent as Param events (smoothed, no interruption); otherwise the engine is rebuilt with it.
   */
  private loadParams(params: unknown): void {
    const built = this.built;
    if (!built) throw new Error(`loadParams: the engine "${this.name}" was not built`);
    const parsed = parseParams(built.entry.paramsSchema, params, `loadParams (engine "${this.name}")`);
    const names = built.engine.paramNames;
    let patched: unknown = built.parsed;
    const changes: { index: number; value: number }[] = [];
    for (let i = 0; i < names.length; i++) {
      const next = valueAtPath(parsed, names[i]);
      if (sameData(next, valueAtPath(built.parsed, names[i]))) continue;
      if (typeof next !== 'number') {
        patched = null;
        break;
      }
      changes.push({ index: i, value: next });
      patched = withValueAtPath(patched, names[i], next);
    }
    if (patched !== null && sameData(patched, parsed)) {
      for (const c of changes) this.enqueue({ kind: EventKind.Param, channel: 0, note: 0, value: c.value, paramIndex: c.index });
      this.built = { ...built, input: params, parsed };
      this.post({ type: 'paramsChanged', params, rebuilt: false });
      return;
    }
    const next = buildEngine(this.name, params, undefined);
    this.install(next);
    this.post({ type: 'paramsChanged', params, rebuilt: true });
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.probe) return false;
    const out = outputs[0];
    const built = this.built;
    const blockStart = this.renderClock.next(currentFrame);
    if (!built || !out) return true;
    if (!this.started) {
      if (Number.isNaN(this.startFrame)) this.startFrame = blockStart;
      if (blockStart < this.startFrame) return true; // silence before the engine's start
      this.started = true;
    }
    const src = inputs[0];
    const ins = this.inputs;
    for (let c = 0; c < ins.length; c++) {
      const ch = src?.[c];
      if (ch && ch.length === QUANTUM_FRAMES) ins[c].set(ch);
      else ins[c].fill(0);
    }
    // Events on the engine's timeline: the queue holds context frames, the engine counts from startFrame.
    const events = this.queue.take(blockStart, QUANTUM_FRAMES);
    const t0 = clock();
    built.engine.process(ins, this.outputs, QUANTUM_FRAMES, events, this.queue.taken);
    for (let r = 1; r < this.repeat; r++) built.engine.process(ins, this.outputs, QUANTUM_FRAMES, events, 0);
    const ms = clock() - t0;
    this.quanta += this.repeat;
    this.totalMs += ms;
    if (ms / this.repeat > this.maxMs) this.maxMs = ms / this.repeat;
    const outs = this.outputs;
    const n = Math.min(out.length, outs.length);
    for (let c = 0; c < n; c++) out[c].set(outs[c]);
    this.meter(blockStart);
    return true;
  }

  private meter(blockStart: number): void {
    const outs = this.outputs;
    for (let c = 0; c < outs.length; c++) {
      const x = outs[c];
      let peak = this.peak[c];
      let s = 0;
      for (let i = 0; i < QUANTUM_FRAMES; i++) {
        const v = x[i];
        const a = v < 0 ? -v : v;
        if (a > peak) peak = a;
        s += v * v;
      }
      this.peak[c] = peak;
      this.sumsq[c] += s;
    }
    this.meterCount += QUANTUM_FRAMES;
    if (this.meterCount < this.meterFrames) return;
    const n = outs.length;
    const r = this.meterRecord;
    r[0] = blockStart + QUANTUM_FRAMES;
    for (let c = 0; c < n; c++) {
      r[1 + c] = toDb(this.peak[c]);
      r[1 + n + c] = toDb(Math.sqrt(this.sumsq[c] / this.meterCount));
    }
    if (this.meterRing) this.meterRing.push(r);
    else if (this.metersPosted) {
      // postMessage allocates; only where the page is not cross-origin isolated and asked for meters.
      this.post({ type: 'meters', frame: r[0], peakDb: Float32Array.from(r.subarray(1, 1 + n)), rmsDb: Float32Array.from(r.subarray(1 + n)) });
    }
    this.peak.fill(0);
    this.sumsq.fill(0);
    this.meterCount = 0;
  }
}

registerProcessor(ENGINE_PROCESSOR_NAME, EngineProcessor);
