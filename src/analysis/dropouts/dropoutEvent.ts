/**
 * One dropout or glitch found in a capture.
 * - `zeroed`: the signal fell to silence (a dropped buffer played as zeros).
 * - `phase-jump`: the pilot continued with another phase — samples were dropped, inserted or a block repeated.
 * - `amplitude-loss`: the pilot continued at the wrong level.
 * - `dropped` / `inserted`: the capture lost / gained `shiftFrames` samples against the expected render
 *   (a repeated block is `inserted`).
 * - `glitch`: the capture departed from what was expected and came back, without a shift.
 */
export type DropoutKind = 'zeroed' | 'phase-jump' | 'amplitude-loss' | 'dropped' | 'inserted' | 'glitch';

export interface DropoutEvent {
  kind: DropoutKind;
  /** First capture frame found disturbed. */
  startFrame: number;
  /**
   * Frames from `startFrame` to the end of the disturbance (for a shift: until the detector relocked). The pilot
   * detector ends a zeroed run after its last flagged sample and every other event where it relocked: up to one window
   * (0.5 ms) after a glitch or an amplitude loss ended.
   */
  lengthFrames: number;
  /** Pilot: how far the pilot's phase moved, radians in (−π, π] (A·cos(ωn + φ) continuing as A·cos(ωn + φ + Δ): Δ; d dropped samples: +ωd mod 2π). */
  phaseJumpRad?: number;
  /** Residual detector: samples gained (> 0) or lost (< 0) by the capture. */
  shiftFrames?: number;
}
