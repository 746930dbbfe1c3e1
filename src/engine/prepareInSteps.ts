import type { Engine, PrepareOptions } from './engine.ts';

/**
 * An engine whose prepare() also comes in pieces: `prepareSteps(options)` does the same work as
 * `prepare(options)` — the same engine afterwards, bit for bit — pausing (`yield`) between pieces of a
 * bounded cost (an allocation, a design, one delay line cleared, a warm-up block). A live host builds
 * the next engine of a structural change between the audio thread's cycles this way, a few pieces a
 * cycle, where a whole prepare() (2–60 ms for a reverb or lossy engine: warm-up and memory faulted in) would
 * cost underruns (src/host/workerEngineBuilds.ts).
 */
export interface SteppedPrepare {
  prepareSteps(options: PrepareOptions): Generator<void, void, void>;
}

export function hasSteppedPrepare(engine: Engine): engine is Engine & SteppedPrepare {
  return typeof (engine as Partial<SteppedPrepare>).prepareSteps === 'function';
}

/**
 * `engine`'s prepare() as steps: its own, or for an engine without them one step that is the whole
 * prepare() (it then costs the audio thread what its prepare() costs, in one piece).
 */
export function* prepareInSteps(engine: Engine, options: PrepareOptions): Generator<void, void, void> {
  if (hasSteppedPrepare(engine)) yield* engine.prepareSteps(options);
  else engine.prepare(options);
}

/** Runs steps to the end (prepare() of an engine that has prepareSteps()). */
export function runSteps(steps: Generator<void, void, void>): void {
  while (!steps.next().done);
}

/**
 * Samples zeroed a step by zeroInSteps: 64 KiB of float64, 16 pages — ~0.1 ms here where the memory is fresh
 * (a page fault costs ~7 µs in this VM: a 512 KiB pre-delay ring took 0.9 ms in one piece).
 */
export const ZERO_STEP_SAMPLES = 8192;

/** `array.fill(0)` in pieces of ZERO_STEP_SAMPLES, a step each. */
export function* zeroInSteps(array: Float64Array | Float32Array): Generator<void, void, void> {
  for (let at = 0; at < array.length; at += ZERO_STEP_SAMPLES) {
    array.fill(0, at, at + ZERO_STEP_SAMPLES);
    yield;
  }
}
