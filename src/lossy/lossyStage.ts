/**
 * One stage of the lossy chain. Stages work in place on the engine's float64 working buffers, over the
 * half-open range [start, end) of the current block, so the engine can split a block at an event's
 * sample. Every stage keeps its own position on the absolute timeline where it needs one, so output
 * never depends on where blocks begin.
 */
export interface LossyStage<State = unknown> {
  /** Allocates everything for this sample rate. */
  prepare(sampleRate: number): void;
  reset(): void;
  process(left: Float64Array, right: Float64Array, start: number, end: number): void;
  /** A structured-cloneable snapshot (typed arrays copied). */
  getState(): State;
  /** Restores a snapshot taken from a stage prepared with the same parameters and rate. */
  setState(state: State): void;
}

/** Copies `src` into `dst` after checking that the lengths match (setState is not on the audio path). */
export function restoreArray(dst: Float64Array, src: ArrayLike<number>, what: string): void {
  if (src.length !== dst.length) throw new RangeError(`${what}: saved state holds ${src.length} values, the prepared stage ${dst.length}`);
  dst.set(src);
}
