import type { EventKind } from '../../engine/events.ts';

/** Name under which engineProcessor.ts registers the engine host. */
export const ENGINE_PROCESSOR_NAME = 'studio-rig-engine';
/** Name under which recorderProcessor.ts registers the capture worklet. */
export const RECORDER_PROCESSOR_NAME = 'studio-rig-recorder';
/** Web Audio's render quantum. */
export const QUANTUM_FRAMES = 128;

/** An event on the context's timeline (context frames, see EngineNode); no atFrame = the next quantum. */
export interface WireEvent {
  kind: EventKind;
  channel: number;
  note: number;
  value: number;
  paramIndex: number;
  atFrame?: number;
}

/** processorOptions of the engine processor. */
export interface EngineProcessorOptions {
  engine: string;
  params?: unknown;
  /** Overrides params.seed when given. */
  seed?: number;
  /** Only build the engine (validating the params) and report its shape; never process. */
  probe?: boolean;
  /** Context frame at which the engine starts (its timeline's frame 0); silence before. Default: its first quantum. */
  startFrame?: number;
  /** Events known at construction (context frames), so an OfflineAudioContext has them from frame 0. */
  events?: WireEvent[];
  /** Meter frames (SpscRing of float64 records [frame, peakDb × n, rmsDb × n]) when the page is cross-origin isolated. */
  meterRing?: SharedArrayBuffer;
  /** Frames per meter frame (default 2048: 23 per second at 48 kHz). */
  meterFrames?: number;
  /**
   * Speed measurement only (worklet.bench.ts): process each quantum's input this many times in a row
   * (events on the first), timing the batch — the worklet's clock has 1 ms steps, a quantum takes µs.
   * The output is then not the engine's timeline. Default 1.
   */
  benchRepeat?: number;
}

export interface EngineShape {
  engine: string;
  numInputs: number;
  numOutputs: number;
  paramNames: string[];
  sampleRate: number;
}

/** Page → processor. */
export type ToProcessor =
  | { type: 'events'; events: WireEvent[] }
  | { type: 'setParameter'; name: string; value: unknown; atFrame?: number }
  | { type: 'loadParams'; params: unknown }
  | { type: 'meters'; enabled: boolean }
  | { type: 'stats'; id: number }
  | { type: 'ping'; id: number };

export interface RenderStats {
  /** Quanta the engine rendered. */
  quanta: number;
  meanMsPerQuantum: number;
  maxMsPerQuantum: number;
  /** Total ms inside engine.process, and the clock's resolution in ms (1 where the scope has only Date.now). */
  totalMs: number;
  clockResolutionMs: number;
  /** The context frame of the engine's first quantum (its timeline's frame 0), or -1 before it. */
  startFrame: number;
  /** Events dropped because the queue was full, and events that arrived after their frame (applied at once). */
  droppedEvents: number;
  lateEvents: number;
}

/** Processor → page. */
export type FromProcessor =
  | ({ type: 'shape' } & EngineShape)
  | ({ type: 'ready' } & EngineShape)
  | { type: 'error'; message: string }
  | { type: 'meters'; frame: number; peakDb: Float32Array; rmsDb: Float32Array }
  | ({ type: 'stats'; id: number } & RenderStats)
  | { type: 'pong'; id: number }
  | ({ type: 'paramsChanged'; params: unknown; rebuilt: boolean });
