import { AlignedRender } from './dropouts/alignedRender.ts';
import { SignalHistory } from './dropouts/signalHistory.ts';

/**
 * Residual of a captured channel against the render of its output, delayed by the calibrated path d and
 * scaled by its calibrated gain g, fed chunk by chunk:
 *   residual = 10·log10(Σ(y[n] − g·e(n − d))² / Σ(g·e(n − d))²) dB over every capture frame,
 * e(n − d) the render interpolated by AlignedRender (16-tap Kaiser sinc; a copy when d is whole within
 * 1e-4). null when the delayed render is silent; −200 dB for an exact match. Any chunking gives the same
 * sums (frames are summed in order), so a whole-signal and a streamed analysis agree exactly.
 */
export class ContentResidual {
  private readonly aligned: AlignedRender;
  private readonly capture: SignalHistory;
  private readonly buf = new Float64Array(4096);
  private done = 0;
  private residualEnergy = 0;
  private renderEnergy = 0;

  /** `signals`: whole signals read in place (then call `finish()` only). */
  constructor(delayFrames: number, private readonly gain: number, signals?: { render: SignalHistory; capture: SignalHistory }) {
    this.aligned = new AlignedRender(signals?.render ?? new SignalHistory(1 << 16), delayFrames);
    this.capture = signals?.capture ?? new SignalHistory(1 << 16);
  }

  /** The next frames of the render and of the capture (lengths need not match). */
  push(render: Float32Array, capture: Float32Array): void {
    if (render.length) this.aligned.render.append(render);
    if (capture.length) this.capture.append(capture);
    this.consume();
  }

  /** Residual in dB once both signals have ended (null: the delayed render is silent). */
  finish(): number | null {
    this.aligned.render.ended = true;
    this.capture.ended = true;
    this.consume();
    const { residualEnergy: r2, renderEnergy: e2 } = this;
    if (!(e2 > 0)) return null;
    const ratio = r2 / e2;
    return ratio > 0 && Number.isFinite(ratio) ? 10 * Math.log10(ratio) : -200;
  }

  private consume(): void {
    const a = this.aligned;
    const ready = a.render.ended ? this.capture.end : Math.min(this.capture.end, a.render.end + a.latencyInt - a.aheadFrames);
    const g = this.gain;
    const buf = this.buf;
    const x = this.capture.data;
    const xo = this.capture.offset;
    let r2 = this.residualEnergy;
    let e2 = this.renderEnergy;
    for (let n0 = this.done; n0 < ready; n0 += buf.length) {
      const frames = Math.min(buf.length, ready - n0);
      a.fill(buf, n0, frames);
      for (let i = 0; i < frames; i++) {
        const e = g * buf[i];
        const d = x[n0 + i + xo] - e;
        r2 += d * d;
        e2 += e * e;
      }
    }
    this.residualEnergy = r2;
    this.renderEnergy = e2;
    this.done = Math.max(this.done, ready);
    this.capture.discardBefore(this.done);
    a.render.discardBefore(this.done - a.latencyInt - a.aheadFrames - 1);
  }
}
