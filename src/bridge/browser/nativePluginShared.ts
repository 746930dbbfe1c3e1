/**
 * What the three parts of NativePluginNode share: the page's node (nativePluginNode.ts), its AudioWorklet
 * processor (nativePluginProcessor.ts) and the worker holding the bridge's WebSocket
 * (nativePluginWorker.ts). Audio crosses between the processor and the worker in two SpscRings on
 * SharedArrayBuffers (the page must be cross-origin isolated), one record per render quantum:
 * [quantum index, channel 0's 128 samples, channel 1's, …] as float32 (the index is exact below 2²⁴
 * quanta, 97 minutes at 48 kHz, where a stream restarts its count).
 */
export const QUANTUM_FRAMES = 128;
/**
 * Default declared latency, quanta: 4 (10.7 ms at 48 kHz). (Measurement: see the README's NativePluginNode section.)
 */
export const DEFAULT_LATENCY_QUANTA = 4;

/** Quanta each ring holds (a power of two): 0.68 s at 48 kHz. */
export const RING_QUANTA = 256;
/** Largest index before the count restarts (float32 holds integers exactly up to 2²⁴). */
export const MAX_QUANTUM_INDEX = 2 ** 24;

/**
 * Declared latencies (1…LATENCY_SLOTS − 1 quanta) at which the processor also counts the quanta that
 * would have been silent: at N, quantum s is silent when its reply has not reached the audio thread by the
 * process() call of quantum s + N. One stream so measures every N under the same moments of load.
 */
export const LATENCY_SLOTS = 64;

/** Int32 slots of the counters the processor and the worker update (Atomics). */
export const NativeCounter = {
  /** Render quanta processed. */
  quanta: 0,
  /** Input quanta handed to the worker. */
  sent: 1,
  /** Input quanta dropped: the ring to the worker was full. */
  inputDropped: 2,
  /** Output quanta played from the bridge's replies. */
  played: 3,
  /** Output quanta played as silence: their reply had not come back within the declared latency. */
  missing: 4,
  /** Replies that came back after their quantum had been played as silence (discarded). */
  lateDiscarded: 5,
  /** Replies dropped by the worker: the ring to the processor was full. */
  outputDropped: 6,
  /** ERROR messages from the bridge about chunks. */
  bridgeErrors: 7,
  SLOTS: 8,
} as const;

export interface ProcessorOptions {
  inRing: SharedArrayBuffer;
  outRing: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  /** Int32 × LATENCY_SLOTS: at index N, the quanta that would have been silent at N quanta of declared latency. */
  silentByLatency: SharedArrayBuffer;
  inputChannels: number;
  outputChannels: number;
  latencyQuanta: number;
}

/** Page → worker. */
export type ToNativeWorker =
  | { type: 'load'; wsUrl: string; token?: string; engine: string; preset?: string; params?: Record<string, unknown>; sampleRate: number; channels: number }
  | { type: 'start'; inRing: SharedArrayBuffer; outRing: SharedArrayBuffer; counters: SharedArrayBuffer }
  | { type: 'setParam'; name: string; value: number }
  | { type: 'roundTrip' }
  | { type: 'trace' }
  | { type: 'close' };

/** Worker → page. */
export type FromNativeWorker =
  | { type: 'loaded'; instance: number; numInputs: number; numOutputs: number; paramNames: string[] }
  | { type: 'error'; message: string }
  | { type: 'roundTrip'; count: number; p50Ms: number; p99Ms: number; maxMs: number }
  | { type: 'trace'; sequence: number[]; takenMs: number[]; sentMs: number[]; repliedMs: number[] };
