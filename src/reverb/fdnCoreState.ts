/**
 * The saved state of an `FdnCore` (structured-cloneable: numbers and typed arrays only). Restoring it
 * into a core of the same configuration continues bit-identically.
 */
export interface FdnCoreState {
  /** Write position in every ring. */
  pos: number;
  rings: Float64Array[];
  /** s[n−1] of each line's one-pole. */
  filterState: Float64Array;
  b0: Float64Array;
  pole: Float64Array;
  b0Target: Float64Array;
  poleTarget: Float64Array;
  b0Step: Float64Array;
  poleStep: Float64Array;
  coefRemaining: number;
  /** [depth, depthTarget, depthStep, phase, phaseIncrement], see `MOD_*` (delayModulation.ts). */
  modulation: Float64Array;
  depthRemaining: number;
  /** Low-shelf (low-target) absorption: 1 when on, and the shelves' coefficients and state. */
  shelved: number;
  shelf: Float64Array[];
  shelfTarget: Float64Array[];
  shelfStep: Float64Array[];
  /** u[n−1] and x[n−1] of each line's shelf. */
  shelfState: Float64Array;
  inputState: Float64Array;
}
