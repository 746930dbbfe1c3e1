/**
 * The live map from the host's clock to the stream's: offset = host ms − frame · 1000 / fs, estimated from
 * one sample per period, (the period's host time − its frame time), where the host time is late and never
 * early against the stream (a callback's entry, a JACK cycle as its callback began it). A timestamped
 * command for host time t plays at frame (t − offset) · fs / 1000.
 *
 * - Lateness (scheduling jitter, bursts): the lower envelope — the minimum over the window.
 * - Drift (a stream clock slower than the host's, a JACK dummy driver by whole percent under load): each
 *   sample is carried to now along the drift — the rise per period from the older half-window's minimum to
 *   the newer half's, refined period by period (never negative: a falling offset needs no help, the minimum
 *   has it) — before the minimum is taken. The drift is measured whenever four step windows of samples count, and kept across a step.
 * - Steps (the stream clock stood still for a while and goes on from there: a dummy driver that ran late,
 *   a machine that stopped): every sample of the last `stepPeriods` later than the estimate by more than
 *   `stepMs` is no lateness — a late callback is followed by on-time ones — so the samples before them are
 *   forgotten and the estimate restarts from them (once the drift is known: before, a drifting clock would
 *   look like one step after another). Without this rule the lower envelope keeps the old offset until the
 *   samples from before the step have left the window (0.68 s of 512 periods at 64 frames), and every
 *   timestamped command in that time plays the step late (streamClockEstimate.test.ts, the rule off).
 *
 * One writer (the audio side); allocates nothing after construction. The sample goes in, and the offset comes
 * out, through `cell` (a double handed to or returned from a call V8 does not inline is boxed: 16 B each,
 * 32 B a period measured in AudioHost).
 */
export class StreamClockEstimate {
  private readonly w: Float64Array;
  /** In: the period's sample (its host time − its frame time, ms); out, after push(): the offset, ms. */
  readonly cell = new Float64Array(1);
  /** Samples pushed, and how many of the newest count (fewer after a step). */
  private n = 0;
  private valid = 0;
  /** envelope()'s results: [the whole valid window's, the last step window's]. */
  private readonly low = new Float64Array(2);
  /**
   * [0]: the drift, ms per period (≥ 0). In a typed array, not a field: a field that held 0 (a small integer)
   * until the first drift measured live changed its representation to a double there — V8 then deprecated the
   * object's map and deoptimised measureSlope() and envelope() on the render thread (--trace-deopt-verbose,
   * the render worker on jack-native: "lost precision", "wrong map").
   */
  private readonly drift = new Float64Array(1);
  /** Whether the drift has been measured yet. */
  private slopeKnown = false;

  constructor(
    windowPeriods: number,
    private readonly stepPeriods = 16,
    private readonly stepMs = 0.25,
  ) {
    if (!(windowPeriods >= 4 * stepPeriods && stepPeriods >= 1)) throw new RangeError(`StreamClockEstimate: the window (${windowPeriods}) must hold four step windows (${stepPeriods})`);
    this.w = new Float64Array(windowPeriods);
  }

  /** Adds the sample in cell[0] and leaves the new offset there. */
  push(): void {
    const w = this.w;
    const size = w.length;
    w[this.n % size] = this.cell[0];
    this.n++;
    if (this.valid < size) this.valid++;
    if (this.valid >= 4 * this.stepPeriods) this.measureSlope();
    const low = this.low;
    this.envelope(this.valid, 0);
    // Not before the drift is known: unmeasured, a drifting clock would look like a step every few periods.
    if (this.slopeKnown) {
      this.envelope(this.stepPeriods, 1);
      // Without a branch: taken first on the render thread (a step comes seldom), it deoptimised push() there
      // in 3 of 10 fresh isolates after steps had been met before (renderPathBranches.test.ts).
      const step = low[1] > low[0] + this.stepMs ? 1 : 0;
      // `| 0`: with no step, 0 × (stepPeriods − valid) is −0 once valid > stepPeriods, a double, and a double
      // stored in this small-integer field changes the object's map: V8 then deprecates the map, and another
      // estimate still on it (the live host's, built before the warm-up's took a step) deoptimises processPeriod
      // at its first use in the stream ("wrong map" in V8's log, 44 ms into a jack-native stream).
      this.valid = (this.valid + step * (this.stepPeriods - this.valid)) | 0;
      low[0] += step * (low[1] - low[0]);
    }
    this.cell[0] = low[0];
  }

  /**
   * The drift, refined from the valid samples: carried along the drift measured so far, the newer half's
   * minimum should equal the older half's; what it rises or falls between the two minima, per period between
   * them, is added (a minimum of carried samples is the least late one, not the oldest of its half: on a
   * stream 30 % slow the plain minima were the halves' oldest samples, late or not, and missed the drift by 0.1 %).
   */
  private measureSlope(): void {
    const w = this.w;
    const size = w.length;
    const half = this.valid >> 1;
    const slope = this.drift[0];
    let newer = Number.POSITIVE_INFINITY;
    let older = Number.POSITIVE_INFINITY;
    let newerAge = 0;
    let olderAge = 0;
    for (let age = 0; age < 2 * half; age++) {
      const v = w[(this.n - 1 - age) % size] + slope * age;
      if (age < half) {
        if (v < newer) {
          newer = v;
          newerAge = age;
        }
      } else if (v < older) {
        older = v;
        olderAge = age;
      }
    }
    this.drift[0] = Math.max(0, slope + (newer - older) / (olderAge - newerAge));
    this.slopeKnown = true;
  }

  /** The lower envelope of the newest `count` samples, each carried to now along the drift, into low[slot] (a returned double would be boxed). */
  private envelope(count: number, slot: number): void {
    const w = this.w;
    const size = w.length;
    const slope = this.drift[0];
    let low = Number.POSITIVE_INFINITY;
    for (let age = 0; age < count; age++) {
      const v = w[(this.n - 1 - age) % size] + slope * age;
      if (v < low) low = v;
    }
    this.low[slot] = low;
  }
}
