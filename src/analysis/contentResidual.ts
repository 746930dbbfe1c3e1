import { AlignedRender } from './dropouts/alignedRender.ts';
import { SignalHistory } from './dropouts/signalHistory.ts';

/**
 * Residual of a captured channel against the render of its output, delayed by the calibrated path d and
 * scaled by its calibrated gain g, fed chunk by chunk:
 *   residual = 10·log10(Σ(y[n] − g·e(n − d))² / Σ(g·e(n − d))²) dB over every capture frame,
 * e(n − d) the render interpolated by AlignedRender (16-tap Kaiser sinc; a copy when d is whole within
 * 1e-4). null when the delayed render is silent; −200 dB for an exact match. Any chunking gives the same
 * sums (frames are summed in order), so a whole-signal and a streamed analysis agree exactly.
 * `excluded`: capture frame spans [start, end) (sorted, disjoint) left out of the residual — the moments a
 * harness has attributed to the environment (hil/runner/dropoutAttribution.ts); their frames are summed
 * apart, so `residualWithExcludedDb` still gives the figure over every frame. The capture's level
 * (`captureEnergy`) counts every frame.
 */
export class ContentResidual {
  private readonly aligned: AlignedRender;
  private readonly capture: SignalHistory;
  private readonly buf = new Float64Array(4096);
  private done = 0;
  private residualEnergy = 0;
  private renderEnergy = 0;
  private captureSquares = 0;
  private excludedResidual = 0;
  private excludedRender = 0;
  /** Capture frames left out so far. */
  excludedFrames = 0;
  /** The first excluded span not yet passed. */
  private span = 0;

  /** `signals`: whole signals read in place (then call `finish()` only). */
  constructor(
    delayFrames: number, private readonly gain: number, signals?: { render: SignalHistory; capture: SignalHistory },
    private readonly excluded: readonly { start: number; end: number }[] = [],
  ) {
    this.aligned = new AlignedRender(signals?.render ?? new SignalHistory(1 << 16), delayFrames);
    this.capture = signals?.capture ?? new SignalHistory(1 << 16);
  }

  /** The next frames of the render and of the capture (lengths need not match). */
  push(render: Float32Array, capture: Float32Array): void {
    if (render.length) this.aligned.render.append(render);
    if (capture.length === 0) {
      this.consume();
      return;
    }
    if (this.capture.end === this.done) {
      // Nothing held back: sum what the render already covers straight from the chunk, keep only the rest.
      const from = this.done;
      const direct = Math.max(0, Math.min(capture.length, this.readyBefore(from + capture.length) - from));
      this.sum(capture, -from, from, from + direct);
      this.capture.skip(direct);
      this.done = from + direct;
      this.capture.append(capture.subarray(direct));
    } else {
      this.capture.append(capture);
    }
    this.consume();
  }

  /** Σ y[n]² over the capture frames summed so far (all of them after `finish()`), in frame order: its level, for free. */
  get captureEnergy(): number {
    return this.captureSquares;
  }

  /** Residual in dB once both signals have ended (null: the delayed render is silent). */
  finish(): number | null {
    this.aligned.render.ended = true;
    this.capture.ended = true;
    this.consume();
    return ContentResidual.db(this.residualEnergy, this.renderEnergy);
  }

  /** The residual over every frame, the excluded ones included (after `finish()`). */
  get residualWithExcludedDb(): number | null {
    return ContentResidual.db(this.residualEnergy + this.excludedResidual, this.renderEnergy + this.excludedRender);
  }

  private static db(r2: number, e2: number): number | null {
    if (!(e2 > 0)) return null;
    const ratio = r2 / e2;
    return ratio > 0 && Number.isFinite(ratio) ? 10 * Math.log10(ratio) : -200;
  }

  /** First capture frame the render does not cover yet (all of them once it has ended), up to `captureEnd`. */
  private readyBefore(captureEnd: number): number {
    const a = this.aligned;
    return a.render.ended ? captureEnd : Math.min(captureEnd, a.render.end + a.latencyInt - a.aheadFrames);
  }

  private consume(): void {
    const ready = this.readyBefore(this.capture.end);
    this.sum(this.capture.data, this.capture.offset, this.done, ready);
    this.done = Math.max(this.done, ready);
    this.capture.discardBefore(this.done);
    const a = this.aligned;
    a.render.discardBefore(this.done - a.latencyInt - a.aheadFrames - 1);
  }

  /** Adds frames [from, to) of the capture, x[n + xo], to the sums: the excluded spans' to their own. */
  private sum(x: Float32Array, xo: number, from: number, to: number): void {
    const spans = this.excluded;
    let n = from;
    while (n < to) {
      while (this.span < spans.length && spans[this.span].end <= n) this.span++;
      const s = spans[this.span];
      if (s === undefined || s.start >= to) {
        this.sumRange(x, xo, n, to, false);
        return;
      }
      if (s.start > n) this.sumRange(x, xo, n, s.start, false);
      const end = Math.min(to, s.end);
      this.sumRange(x, xo, Math.max(n, s.start), end, true);
      this.excludedFrames += end - Math.max(n, s.start);
      n = end;
    }
  }

  private sumRange(x: Float32Array, xo: number, from: number, to: number, excluded: boolean): void {
    const a = this.aligned;
    const g = this.gain;
    let r2 = excluded ? this.excludedResidual : this.residualEnergy;
    let e2 = excluded ? this.excludedRender : this.renderEnergy;
    let y2 = this.captureSquares;
    if (a.integerPath && from < to && from - a.latencyInt >= a.render.start && to - a.latencyInt <= a.render.end) {
      // The render is a plain shift here: read it in place.
      const e0 = a.render.data;
      const eo = a.render.offset - a.latencyInt;
      for (let n = from; n < to; n++) {
        const e = g * e0[n + eo];
        const y = x[n + xo];
        const d = y - e;
        r2 += d * d;
        e2 += e * e;
        y2 += y * y;
      }
    } else {
      const buf = this.buf;
      for (let n0 = from; n0 < to; n0 += buf.length) {
        const frames = Math.min(buf.length, to - n0);
        a.fill(buf, n0, frames);
        for (let i = 0; i < frames; i++) {
          const e = g * buf[i];
          const y = x[n0 + i + xo];
          const d = y - e;
          r2 += d * d;
          e2 += e * e;
          y2 += y * y;
        }
      }
    }
    if (excluded) {
      this.excludedResidual = r2;
      this.excludedRender = e2;
    } else {
      this.residualEnergy = r2;
      this.renderEnergy = e2;
    }
    this.captureSquares = y2;
  }
}
