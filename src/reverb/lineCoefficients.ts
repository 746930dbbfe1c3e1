import type { FdnCoreState } from './fdnCoreState.ts';

/**
 * The per-line loop coefficients of the FDN and their linear ramps: the one-pole
 *   s[n] = b0·u[n] + p·s[n−1]
 * (b0 includes the line's gain) and, with a low RT60 target, the low shelf before it,
 *   u[n] = c0·x[n] + c1·x[n−1] + q·u[n−1]   (identity: c0 = 1, c1 = q = 0; threeAnchorAbsorption.ts).
 * A ramp of R frames moves each coefficient by (target − present)/R before every sample, and lands
 * exactly on the target when it ends (so rounding in the steps never accumulates past a ramp). The
 * kernels step the coefficients themselves (b0/pole/shelf are written back after each chunk); `advance`
 * only counts the frames and snaps to the targets at the end.
 */
export class LineCoefficients {
  readonly b0: Float64Array;
  readonly pole: Float64Array;
  readonly b0Target: Float64Array;
  readonly poleTarget: Float64Array;
  readonly b0Step: Float64Array;
  readonly poleStep: Float64Array;
  /** Per-line shelf coefficients [c0, c1, q], their targets and ramp steps. */
  readonly shelf: Float64Array[];
  readonly shelfTarget: Float64Array[];
  readonly shelfStep: Float64Array[];
  /** [b0 step, pole step] per line, handed to the shelved kernel. */
  readonly onePoleStep: Float64Array[];
  /** Frames left in the running ramp (0 at rest). */
  remainingFrames = 0;

  /**
   * Allocates everything (from `FdnCore`'s constructor); `alloc` makes each array (by default a plain
   * one; FdnReverb carves them out of its design kernel's WebAssembly memory, lineCoefficientDesign.ts).
   */
  constructor(lines: number, alloc: (length: number) => Float64Array = (length) => new Float64Array(length)) {
    const n = lines;
    this.b0 = alloc(n);
    this.pole = alloc(n);
    this.b0Target = alloc(n);
    this.poleTarget = alloc(n);
    this.b0Step = alloc(n);
    this.poleStep = alloc(n);
    this.shelf = [alloc(n).fill(1), alloc(n), alloc(n)];
    this.shelfTarget = [alloc(n).fill(1), alloc(n), alloc(n)];
    this.shelfStep = [alloc(n), alloc(n), alloc(n)];
    this.onePoleStep = [this.b0Step, this.poleStep];
  }

  /**
   * Ramps to the targets (already in `b0Target`/`poleTarget`/`shelfTarget`) over `rampFrames` (0 = at
   * once). The reference of the WebAssembly design kernel, which does the same arithmetic on the audio
   * path (lineDesignWat.ts).
   */
  startRamp(rampFrames: number): void {
    if (rampFrames <= 0) {
      this.b0.set(this.b0Target);
      this.pole.set(this.poleTarget);
      for (let c = 0; c < 3; c++) {
        this.shelf[c].set(this.shelfTarget[c]);
        this.shelfStep[c].fill(0);
      }
      this.b0Step.fill(0);
      this.poleStep.fill(0);
      this.remainingFrames = 0;
      return;
    }
    for (let i = 0; i < this.b0.length; i++) {
      this.b0Step[i] = (this.b0Target[i] - this.b0[i]) / rampFrames;
      this.poleStep[i] = (this.poleTarget[i] - this.pole[i]) / rampFrames;
      for (let c = 0; c < 3; c++) this.shelfStep[c][i] = (this.shelfTarget[c][i] - this.shelf[c][i]) / rampFrames;
    }
    this.remainingFrames = rampFrames;
  }

  /** Restores the coefficients, targets, steps and ramp of a saved core state (same line count). */
  setState(s: FdnCoreState): void {
    this.b0.set(s.b0);
    this.pole.set(s.pole);
    this.b0Target.set(s.b0Target);
    this.poleTarget.set(s.poleTarget);
    this.b0Step.set(s.b0Step);
    this.poleStep.set(s.poleStep);
    this.remainingFrames = s.coefRemaining;
    for (let c = 0; c < 3; c++) {
      this.shelf[c].set(s.shelf[c]);
      this.shelfTarget[c].set(s.shelfTarget[c]);
      this.shelfStep[c].set(s.shelfStep[c]);
    }
  }

  /** Counts `frames` processed samples of a running ramp; at its end the coefficients are set to the targets. */
  advance(frames: number): void {
    if (this.remainingFrames <= 0) return;
    this.remainingFrames -= frames;
    if (this.remainingFrames === 0) {
      this.b0.set(this.b0Target);
      this.pole.set(this.poleTarget);
      for (let c = 0; c < 3; c++) this.shelf[c].set(this.shelfTarget[c]);
    }
  }
}
