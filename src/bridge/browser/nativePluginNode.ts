/**
 * NativePluginNode: an AudioWorkletNode whose audio is processed by an engine running natively in the
 * companion (`rig bridge`). Its processor exchanges render quanta with a worker holding the bridge's
 * WebSocket through two SharedArrayBuffer rings (the page must be cross-origin isolated); the output is
 * the input `latencyQuanta` quanta earlier, processed — a fixed, declared latency; a quantum whose reply
 * is not back in time plays silence and is counted (`counts().missing`).
 *
 *   const node = await NativePluginNode.create(context, { wsUrl: 'ws://127.0.0.1:8080/bridge', engine: 'reverb', preset: 'small-room' });
 *   source.connect(node).connect(context.destination);
 *
 * The modules are served by the bridge at /native/ (nativePluginNode.js, nativePluginProcessor.js,
 * nativePluginWorker.js).
 */
import { SpscRing } from '../../dsp/spscRing.ts';
import { DEFAULT_LATENCY_QUANTA, LATENCY_SLOTS, defaultLatencyQuanta, type FromNativeWorker, NativeCounter, type ProcessorOptions, QUANTUM_FRAMES, RING_QUANTA, type ToNativeWorker } from './nativePluginShared.ts';

export { DEFAULT_LATENCY_QUANTA, defaultLatencyQuanta };

export interface NativePluginOptions {
  wsUrl: string;
  /** The pairing token; not needed on the bridge's own page. */
  token?: string;
  engine: string;
  preset?: string;
  params?: Record<string, unknown>;
  /** Input channels sent (default 2). */
  channels?: number;
  /** Declared latency, quanta (default: one render callback of `context`, at least 4: defaultLatencyQuanta). */
  latencyQuanta?: number;
  /** Where the processor and worker modules are (default: beside this module). */
  moduleBase?: string | URL;
}

interface WorkerLike {
  postMessage(m: ToNativeWorker): void;
  onmessage: ((e: { data: FromNativeWorker }) => void) | null;
  terminate(): void;
}

export class NativePluginNode extends AudioWorkletNode {
  private constructor(
    context: BaseAudioContext,
    private readonly worker: WorkerLike,
    readonly loaded: Extract<FromNativeWorker, { type: 'loaded' }>,
    private readonly counters: Int32Array,
    private readonly silentCounts: Int32Array,
    readonly latencyQuanta: number,
    processorOptions: ProcessorOptions,
    channels: number,
  ) {
    super(context, 'studio-rig-native-plugin', {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [loaded.numOutputs],
      channelCount: Math.max(1, channels), channelCountMode: 'explicit', processorOptions,
    });
  }

  /** Loads the engine in the bridge (through the worker), then builds the node. Rejects with the bridge's reason. */
  static async create(context: BaseAudioContext, o: NativePluginOptions): Promise<NativePluginNode> {
    const base = new URL(o.moduleBase ?? './', import.meta.url);
    const channels = o.channels ?? 2;
    const latencyQuanta = o.latencyQuanta ?? defaultLatencyQuanta(baseLatencyOf(context), context.sampleRate);
    if (!Number.isInteger(latencyQuanta) || latencyQuanta < 1 || latencyQuanta >= RING_QUANTA / 2) throw new RangeError(`latencyQuanta: expected 1…${RING_QUANTA / 2 - 1}, got ${latencyQuanta}`);
    await context.audioWorklet.addModule(new URL('nativePluginProcessor.js', base));
    const WorkerCtor = (globalThis as unknown as { Worker: new (url: URL, o: { type: 'module' }) => WorkerLike }).Worker;
    const worker = new WorkerCtor(new URL('nativePluginWorker.js', base), { type: 'module' });
    const loaded = await new Promise<Extract<FromNativeWorker, { type: 'loaded' }>>((resolve, reject) => {
      worker.onmessage = (e) => {
        if (e.data.type === 'loaded') resolve(e.data);
        else if (e.data.type === 'error') reject(new Error(e.data.message));
      };
      worker.postMessage({ type: 'load', wsUrl: o.wsUrl, token: o.token, engine: o.engine, preset: o.preset, params: o.params, sampleRate: context.sampleRate, channels });
    }).catch((err: Error) => {
      worker.terminate();
      throw err;
    });
    const inRing = SpscRing.create(RING_QUANTA, 1 + channels * QUANTUM_FRAMES, 'float32').buffer;
    const outRing = SpscRing.create(RING_QUANTA, 1 + loaded.numOutputs * QUANTUM_FRAMES, 'float32').buffer;
    const counters = new SharedArrayBuffer(4 * NativeCounter.SLOTS);
    const silentByLatency = new SharedArrayBuffer(4 * LATENCY_SLOTS);
    const node = new NativePluginNode(context, worker, loaded, new Int32Array(counters), new Int32Array(silentByLatency), latencyQuanta,
      { inRing, outRing, counters, silentByLatency, inputChannels: channels, outputChannels: loaded.numOutputs, latencyQuanta }, channels);
    worker.postMessage({ type: 'start', inRing, outRing, counters });
    return node;
  }

  /** The counters: quanta, sent, inputDropped, played, missing, lateDiscarded, outputDropped, bridgeErrors. */
  counts(): Record<keyof typeof NativeCounter, number> {
    return Object.fromEntries(Object.entries(NativeCounter).map(([k, i]) => [k, k === 'SLOTS' ? i : Atomics.load(this.counters, i)])) as Record<keyof typeof NativeCounter, number>;
  }

  /**
   * What the stream would have played as silence at other declared latencies: element N (1…63) counts
   * the quanta whose reply had not reached the audio thread N quanta after their own (element
   * `latencyQuanta` equals `counts().missing`). Over `counts().quanta − N` quanta judged at N. Measures
   * every latency under the same moments of load, which runs at each latency one after another do not.
   */
  silentByLatency(): number[] {
    return Array.from(this.silentCounts, (_, i) => Atomics.load(this.silentCounts, i));
  }

  /** Round trips (quantum sent → reply) measured by the worker: p50, p99, max over the last 16 384. */
  roundTrip(): Promise<{ count: number; p50Ms: number; p99Ms: number; maxMs: number }> {
    return new Promise((resolve) => {
      this.worker.onmessage = (e) => { if (e.data.type === 'roundTrip') resolve(e.data); };
      this.worker.postMessage({ type: 'roundTrip' });
    });
  }

  /**
   * The last 4096 quanta as the worker saw them, epoch ms (performance.timeOrigin + performance.now()):
   * input taken from the ring, chunk sent, reply received (NaN: none yet). For finding where a round
   * trip's time goes (src/bridge/chromiumHopsProbe.ts).
   */
  trace(): Promise<Extract<FromNativeWorker, { type: 'trace' }>> {
    return new Promise((resolve) => {
      this.worker.onmessage = (e) => { if (e.data.type === 'trace') resolve(e.data); };
      this.worker.postMessage({ type: 'trace' });
    });
  }

  setParam(name: string, value: number): void {
    this.worker.postMessage({ type: 'setParam', name, value });
  }

  /** Stops the processor, closes the connection (the bridge unloads the instance) and the worker. */
  close(): void {
    this.port.postMessage('stop');
    this.disconnect();
    this.worker.postMessage({ type: 'close' });
    setTimeout(() => this.worker.terminate(), 500);
  }
}

/** An AudioContext's baseLatency (s); 0 for an OfflineAudioContext, which has none (BaseAudioContext does not declare it). */
function baseLatencyOf(context: BaseAudioContext): number {
  return 'baseLatency' in context && typeof context.baseLatency === 'number' ? context.baseLatency : 0;
}
