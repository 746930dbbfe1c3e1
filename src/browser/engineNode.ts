import type { EngineEvent } from '../engine/events.ts';
import { EventKind } from '../engine/events.ts';
import { SpscRing } from '../dsp/spscRing.ts';
import {
  ENGINE_PROCESSOR_NAME, type EngineProcessorOptions, type EngineShape, type FromProcessor, QUANTUM_FRAMES, RECORDER_PROCESSOR_NAME,
  type RenderStats, type ToProcessor, type WireEvent,
} from './worklet/workletProtocol.ts';

export { ENGINE_PROCESSOR_NAME, RECORDER_PROCESSOR_NAME, QUANTUM_FRAMES };
export type { RenderStats, EngineShape, WireEvent };

/** An event for postEvent: an EngineEvent without its block offset (the frame is postEvent's atFrame). */
export type PageEvent = Pick<EngineEvent, 'kind'> & Partial<Pick<EngineEvent, 'channel' | 'note' | 'value' | 'paramIndex'>>;

export interface EngineNodeOptions {
  /** A registry engine: 'haptic' | 'reverb' | 'lossy' (or any engine the bundle registers). */
  engine: string;
  /** The preset's name, for display (its params are passed as `params`). */
  preset?: string;
  /** The engine's parameters (validated by its schema in the worklet; missing keys take defaults). */
  params?: unknown;
  /** Overrides params.seed. */
  seed?: number;
  /** Input channels the node takes (default: the engine's inputs); a mono source is spread to every channel. */
  channels?: number;
  /** Context frame where the engine's timeline starts (its frame 0); silence before. Default: its first quantum. */
  startFrame?: number;
  /** Events known now, in context frames: an OfflineAudioContext has them from its first quantum. */
  events?: readonly (PageEvent & { atFrame: number })[];
  /** URL of the bundled processor (default: engineProcessor.js beside this module). */
  processorUrl?: string | URL;
  /** Frames per meter frame (default 2048). */
  meterFrames?: number;
  /** Speed measurement only: quanta rendered per process() call (see EngineProcessorOptions.benchRepeat). */
  benchRepeat?: number;
}

export interface MeterFrame {
  peakDb: Float32Array;
  rmsDb: Float32Array;
  /** Context frame at the end of the metered stretch. */
  frame: number;
}

const modulesAdded = new WeakMap<BaseAudioContext, Map<string, Promise<void>>>();

/** Adds the bundled worklet module to `ctx` once (per URL). */
export function addWorkletModule(ctx: BaseAudioContext, url: string | URL): Promise<void> {
  const href = new URL(url, import.meta.url).href;
  let perContext = modulesAdded.get(ctx);
  if (!perContext) modulesAdded.set(ctx, (perContext = new Map()));
  let added = perContext.get(href);
  if (!added) {
    added = ctx.audioWorklet.addModule(href);
    perContext.set(href, added);
  }
  return added;
}

/** The default processor bundle: dist/browser/engineProcessor.js, beside dist/browser/engineNode.js. */
export const DEFAULT_PROCESSOR_URL = new URL('./engineProcessor.js', import.meta.url);

/** Waits for the first message of `type` (or an 'error') from a worklet port. */
function firstMessage<T extends FromProcessor['type']>(port: MessagePort, type: T, what: string): Promise<Extract<FromProcessor, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent) => {
      const m = e.data as FromProcessor;
      if (m.type === type || m.type === 'error') {
        port.removeEventListener('message', onMessage);
        if (m.type === 'error') reject(new Error(`${what}: ${m.message}`));
        else resolve(m as Extract<FromProcessor, { type: T }>);
      }
    };
    port.addEventListener('message', onMessage);
    port.start();
  });
}

const toWire = (e: PageEvent, atFrame: number | undefined): WireEvent => ({
  kind: e.kind, channel: e.channel ?? 0, note: e.note ?? 0, value: e.value ?? 0, paramIndex: e.paramIndex ?? 0, ...(atFrame === undefined ? {} : { atFrame }),
});

/**
 * An engine of src/ running in an AudioWorklet (src/browser/worklet/engineProcessor.ts): connect
 * sources to `node` and `node` to the destination. Frames (`atFrame`) are context frames, i.e.
 * round(ctx.currentTime × sampleRate) at the start of a quantum; an event without one applies at the
 * next quantum. The engine's timeline starts at `startFrame` (default its first quantum: frame 0 of an
 * OfflineAudioContext), so Node's render() of the same engine with events at atFrame − startFrame and
 * the same input gives the same samples (e2e/engineParity.spec.ts proves it bit for bit).
 */
export class EngineNode {
  readonly node: AudioWorkletNode;
  readonly shape: EngineShape;
  readonly options: EngineNodeOptions;
  private readonly meterListeners = new Set<(m: MeterFrame) => void>();
  private readonly errorListeners = new Set<(message: string) => void>();
  private readonly meterRing: SpscRing | null;
  private meterTimer: ReturnType<typeof setInterval> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (m: FromProcessor) => void>();
  /** Errors the worklet reported after creation (bad parameter, unknown name), newest last, at most 50. */
  readonly errors: string[] = [];

  private constructor(node: AudioWorkletNode, shape: EngineShape, options: EngineNodeOptions, meterRing: SpscRing | null) {
    this.node = node;
    this.shape = shape;
    this.options = options;
    this.meterRing = meterRing;
    node.port.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as FromProcessor));
    node.port.start();
  }

  /**
   * Loads the processor module into `ctx` (once), asks it for the engine's shape (inputs, outputs,
   * parameter names; the params are validated there, an error rejects naming the key), then builds the
   * node and waits until the engine is prepared.
   */
  static async create(ctx: BaseAudioContext, opts: EngineNodeOptions): Promise<EngineNode> {
    await addWorkletModule(ctx, opts.processorUrl ?? DEFAULT_PROCESSOR_URL);
    const base: EngineProcessorOptions = { engine: opts.engine, params: opts.params, seed: opts.seed };
    const probe = new AudioWorkletNode(ctx, ENGINE_PROCESSOR_NAME, { numberOfInputs: 0, numberOfOutputs: 1, processorOptions: { ...base, probe: true } });
    const shape = await firstMessage(probe.port, 'shape', `engine "${opts.engine}"`);
    probe.port.close();
    const meterRing = globalThis.crossOriginIsolated ? SpscRing.create(64, 1 + 2 * shape.numOutputs, 'float64') : null;
    const inputChannels = Math.max(1, opts.channels ?? shape.numInputs);
    const processorOptions: EngineProcessorOptions = {
      ...base,
      startFrame: opts.startFrame,
      events: opts.events?.map((e) => toWire(e, e.atFrame)),
      meterRing: meterRing?.buffer,
      meterFrames: opts.meterFrames,
      benchRepeat: opts.benchRepeat,
    };
    const node = new AudioWorkletNode(ctx, ENGINE_PROCESSOR_NAME, {
      numberOfInputs: shape.numInputs > 0 ? 1 : 0,
      numberOfOutputs: 1,
      outputChannelCount: [shape.numOutputs],
      channelCount: inputChannels,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions,
    });
    const ready = await firstMessage(node.port, 'ready', `engine "${opts.engine}"`);
    return new EngineNode(node, ready, opts, meterRing);
  }

  private onMessage(m: FromProcessor): void {
    if (m.type === 'error') {
      this.errors.push(m.message);
      if (this.errors.length > 50) this.errors.shift();
      for (const cb of this.errorListeners) cb(m.message);
    } else if (m.type === 'meters') {
      for (const cb of this.meterListeners) cb({ peakDb: m.peakDb, rmsDb: m.rmsDb, frame: m.frame });
    } else if (m.type === 'stats' || m.type === 'pong') {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m);
    }
  }

  private send(message: ToProcessor): void {
    this.node.port.postMessage(message);
  }

  private request(message: { type: 'stats' | 'ping' }): Promise<FromProcessor> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ ...message, id });
    });
  }

  /** The engine's Param-event parameter names (paramIndex order). */
  get paramNames(): readonly string[] {
    return this.shape.paramNames;
  }

  /**
   * Sets a parameter by its dotted name. One of `paramNames` with a number goes in as a Param event at
   * `atFrame` (the engine's smoothing applies: no click); any other parameter (structural, an array)
   * rebuilds the engine with it. An invalid value is reported through onError, naming the key.
   */
  setParameter(name: string, value: number | number[], atFrame?: number): void {
    this.send({ type: 'setParameter', name, value, atFrame });
  }

  /** A whole parameter set (a preset's params): Param events where only those differ, else a rebuild. */
  loadParams(params: unknown): void {
    this.send({ type: 'loadParams', params });
  }

  /** An engine event (note on/off, pressure, bend, timbre, CC, Param, panic) at `atFrame` (default: next quantum). */
  postEvent(event: PageEvent, atFrame?: number): void {
    this.send({ type: 'events', events: [toWire(event, atFrame)] });
  }

  /** Several events in one message. */
  postEvents(events: readonly (PageEvent & { atFrame?: number })[]): void {
    this.send({ type: 'events', events: events.map((e) => toWire(e, e.atFrame)) });
  }

  /** Note on/off and panic, for convenience. */
  noteOn(channel: number, note: number, velocity: number, atFrame?: number): void {
    this.postEvent({ kind: EventKind.NoteOn, channel, note, value: velocity }, atFrame);
  }
  noteOff(channel: number, note: number, atFrame?: number): void {
    this.postEvent({ kind: EventKind.NoteOff, channel, note, value: 0 }, atFrame);
  }
  panic(atFrame?: number): void {
    this.postEvent({ kind: EventKind.Panic }, atFrame);
  }

  /** Per-channel peak/RMS (dBFS, −160 for silence) every meter period; returns the unsubscribe function. */
  onMeters(cb: (m: MeterFrame) => void): () => void {
    this.meterListeners.add(cb);
    if (this.meterListeners.size === 1) this.startMeters();
    return () => {
      this.meterListeners.delete(cb);
      if (this.meterListeners.size === 0) this.stopMeters();
    };
  }

  /** Errors the worklet reports after creation; returns the unsubscribe function. */
  onError(cb: (message: string) => void): () => void {
    this.errorListeners.add(cb);
    return () => this.errorListeners.delete(cb);
  }

  private startMeters(): void {
    const ring = this.meterRing;
    if (!ring) {
      this.send({ type: 'meters', enabled: true });
      return;
    }
    const n = this.shape.numOutputs;
    const record = new Float64Array(1 + 2 * n);
    this.meterTimer = setInterval(() => {
      while (ring.pop(record)) {
        const m = { frame: record[0], peakDb: Float32Array.from(record.subarray(1, 1 + n)), rmsDb: Float32Array.from(record.subarray(1 + n)) };
        for (const cb of this.meterListeners) cb(m);
      }
    }, 20);
  }

  private stopMeters(): void {
    if (this.meterTimer !== undefined) clearInterval(this.meterTimer);
    this.meterTimer = undefined;
    if (!this.meterRing) this.send({ type: 'meters', enabled: false });
  }

  /** Render time of engine.process per quantum, measured inside the worklet. */
  async getRenderStats(): Promise<RenderStats> {
    const { type: _t, id: _i, ...stats } = (await this.request({ type: 'stats' })) as Extract<FromProcessor, { type: 'stats' }>;
    return stats;
  }

  /** Resolves once the worklet has handled every message sent before (e.g. events before startRendering). */
  async flush(): Promise<void> {
    await this.request({ type: 'ping' });
  }

  /** Disconnects the node and stops the meters. */
  dispose(): void {
    this.stopMeters();
    this.meterListeners.clear();
    this.node.disconnect();
    this.node.port.close();
  }
}

/**
 * A recorder node (src/browser/worklet/recorderProcessor.ts) that captures `frames` frames of its input
 * from context frame `startFrame`; `result` resolves with one Float32Array per channel.
 */
export async function createRecorder(ctx: BaseAudioContext, opts: { channels: number; startFrame: number; frames: number; processorUrl?: string | URL }): Promise<{ node: AudioWorkletNode; result: Promise<Float32Array[]> }> {
  await addWorkletModule(ctx, opts.processorUrl ?? DEFAULT_PROCESSOR_URL);
  const node = new AudioWorkletNode(ctx, RECORDER_PROCESSOR_NAME, {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: opts.channels, channelCountMode: 'explicit', channelInterpretation: 'discrete',
    processorOptions: { channels: opts.channels, startFrame: opts.startFrame, frames: opts.frames },
  });
  const result = new Promise<Float32Array[]>((resolve) => {
    node.port.onmessage = (e: MessageEvent) => resolve((e.data as { channels: Float32Array[] }).channels);
  });
  return { node, result };
}

export interface OfflineRenderOptions extends Omit<EngineNodeOptions, 'startFrame'> {
  sampleRate: number;
  frames: number;
  /** One array per engine input channel, played from frame 0 (an AudioBufferSourceNode). */
  input?: readonly Float32Array[];
  /** Called once the engine exists, before rendering starts (e.g. setParameter at a frame); its messages are handled first. */
  beforeRender?: (engine: EngineNode) => void | Promise<void>;
}

/**
 * Renders an engine in an OfflineAudioContext (deterministic): the input from frame 0 through the
 * worklet, the events at their frames. The browser's counterpart of Node's render() with 128-frame blocks.
 */
export async function renderOffline(opts: OfflineRenderOptions): Promise<{ channels: Float32Array[]; stats: RenderStats; shape: EngineShape }> {
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: opts.frames, sampleRate: opts.sampleRate });
  const engine = await EngineNode.create(ctx, opts);
  const n = engine.shape.numOutputs;
  // The destination mixes down; the output is captured whole by a recorder (one channel per engine output).
  const recorder = await createRecorder(ctx, { channels: n, startFrame: 0, frames: opts.frames, processorUrl: opts.processorUrl });
  engine.node.connect(recorder.node);
  recorder.node.connect(ctx.destination);
  if (opts.input?.length && engine.shape.numInputs > 0) {
    const inputChannels = Math.max(1, Math.min(opts.input.length, engine.shape.numInputs));
    const buffer = ctx.createBuffer(inputChannels, opts.frames, opts.sampleRate);
    for (let c = 0; c < inputChannels; c++) {
      const src = opts.input[c];
      buffer.copyToChannel((src.length > opts.frames ? src.subarray(0, opts.frames) : src) as Float32Array<ArrayBuffer>, c);
    }
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(engine.node);
    source.start(0);
  }
  if (opts.beforeRender) {
    await opts.beforeRender(engine);
    await engine.flush();
  }
  await ctx.startRendering();
  const out = await recorder.result;
  return { channels: out, stats: await engine.getRenderStats(), shape: engine.shape };
}

/** Float32 samples as base64 (little-endian bytes), to hand audio from a page to a test. */
export function float32ToBase64(x: Float32Array): string {
  const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The inverse of float32ToBase64. */
export function base64ToFloat32(text: string): Float32Array {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
