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
 * The least default declared latency, quanta: 4 (10.7 ms at 48 kHz). See defaultLatencyQuanta.
 */
export const DEFAULT_LATENCY_QUANTA = 4;

/**
 * The declared latency NativePluginNode takes when none is given: the quanta of one render callback of
 * the context (its baseLatency: the audio thread renders that many quanta back to back, so a reply can
 * reach it no sooner than the next callback, and a latency below a callback plays part of every callback
 * as silence by construction), at least DEFAULT_LATENCY_QUANTA. Measured in Debian's Chromium here: the
 * callback is 480 frames (baseLatency 10.0 ms, 3–4 quanta rendered every 10 ms) with latencyHint
 * "interactive", 1024 (21.3 ms) with "playback", so 4 and 8 quanta. Why not more, from one stream's
 * silentByLatency (`npm run bench -- bridge_native_node_chromium`, 20 s, load 8–10, src/bridge/README.md):
 * below the callback 47–56 % (2 quanta) and 20–34 % (3) silent; at 4, 0.24–1.15 % with Chromium's threads
 * at real-time priority and 12–17 % at normal scheduling; doubling to 8 removed only 15–45 % of that
 * (0.13–0.99 %, 8.6–11.5 %): what is left comes from stalls of tens of milliseconds, which a few quanta
 * more do not cover, while each costs 2.7 ms of latency for every user.
 */
export function defaultLatencyQuanta(baseLatencySeconds: number, sampleRate: number): number {
  const callbackQuanta = Number.isFinite(baseLatencySeconds) && baseLatencySeconds > 0 ? Math.ceil((baseLatencySeconds * sampleRate) / QUANTUM_FRAMES - 0.05) : 0;
  return Math.min(RING_QUANTA / 2 - 1, Math.max(DEFAULT_LATENCY_QUANTA, callbackQuanta));
}

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
