/**
 * A rate bound for what a server sends or accepts: at most `perSecond` takes in any second in the long run, and a
 * burst of at most `perSecond` (the bucket's size) — so over any span of T seconds at most perSecond · (1 + T).
 * The bucket refills continuously from the clock at each take; a fixed window reset every second instead allows
 * twice the rate across a reset (200 before it and 200 after, within a few ms). Time from `nowMs` (performance.now
 * by default; tests pass their own clock).
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly perSecond: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new RangeError(`TokenBucket: perSecond must be > 0 (got ${perSecond})`);
    this.tokens = perSecond;
    this.lastMs = nowMs();
  }

  /** Takes one token if there is one (true), else false: the caller drops and counts what it would have sent. */
  take(): boolean {
    const now = this.nowMs();
    this.tokens = Math.min(this.perSecond, this.tokens + (Math.max(0, now - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
