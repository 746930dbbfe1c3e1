import type { EngineEvent } from './events.ts';

export interface PrepareOptions {
  sampleRate: number;
  /** The largest `frames` that `process()` will be called with. */
  maxBlockFrames: number;
}

/**
 * The contract every engine in src/ follows.
 * - `prepare()` allocates everything; it may be called again to change rate or block size.
 * - `process()` allocates nothing, never throws, and never writes NaN, Inf or subnormal values.
 *   `events` is sorted by `offsetFrames`; only the first `eventCount` entries are read; each takes
 *   effect at exactly its sample.
 * - `reset()` clears all signal state without reallocating.
 * - The output is a function of (parameters, seed, input, events) only: bit-identical across runs and
 *   across block sizes.
 * - `getState()` returns a structured-cloneable snapshot of every piece of state; `setState()` of it on
 *   a prepared engine continues bit-identically, and save → load → save is identical.
 */
export interface Engine<State = unknown> {
  readonly name: string;
  readonly numInputs: number;
  readonly numOutputs: number;
  /** Parameter names in `paramIndex` order, for Param events. */
  readonly paramNames: readonly string[];
  prepare(options: PrepareOptions): void;
  reset(): void;
  process(
    inputs: readonly Float32Array[],
    outputs: Float32Array[],
    frames: number,
    events: readonly EngineEvent[],
    eventCount: number,
  ): void;
  getState(): State;
  setState(state: State): void;
}

export type EngineFactory = () => Engine;
