import { copySamples } from '../dsp/copySamples.ts';
import { SpscRing } from '../dsp/spscRing.ts';
import type { RigPeriod } from './audioRig.ts';

export interface PeriodTapBuffers {
  audio: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  inputs: number;
  outputs: number;
  periodFrames: number;
}

const META = { frameIndex: 0, outputFrameIndex: 1, hostTimeMs: 2, flags: 3, SLOTS: 4 } as const;

/**
 * The measurement's tap across threads: a worker host pushes each period's inputs and outputs (as
 * played) with its frame, host time and flags; the control thread drains them into the same
 * `onPeriod(p)` callback an in-thread host calls from the rig callback — after the fact, so writes to
 * `p.outputs` there change nothing. Two SPSC rings (audio: float32 records of (inputs + outputs) ×
 * period, planar; meta: float64), the meta pushed after the audio, so a meta record seen means its
 * audio is there. A full ring drops the period and counts it (`dropped`): the capture then has a gap,
 * which the dropout detectors report.
 */
export class PeriodTap {
  readonly audio: SpscRing;
  readonly meta: SpscRing;
  /** Periods the producer could not push (the control thread drained too late). Producer side only. */
  dropped = 0;
  private readonly record: Float32Array;
  private readonly metaRecord = new Float64Array(META.SLOTS);
  private readonly period: { -readonly [K in keyof RigPeriod]: RigPeriod[K] };
  /**
   * The layout push() reads, on the tap itself: `buffers` of a worker's live tap come through postMessage, an
   * object of another hidden class than the warm-up's tap's (create()), and push(), compiled on the warm-up's,
   * was deoptimised ("wrong map") in the stream's first 50 ms.
   */
  private readonly inputs: number;
  private readonly outputs: number;
  private readonly periodFrames: number;

  constructor(readonly buffers: PeriodTapBuffers) {
    this.audio = new SpscRing(buffers.audio);
    this.meta = new SpscRing(buffers.meta);
    this.inputs = buffers.inputs;
    this.outputs = buffers.outputs;
    this.periodFrames = buffers.periodFrames;
    const P = buffers.periodFrames;
    this.record = new Float32Array((buffers.inputs + buffers.outputs) * P);
    const view = (k: number) => this.record.subarray(k * P, (k + 1) * P);
    this.period = {
      inputs: Array.from({ length: buffers.inputs }, (_, k) => view(k)),
      outputs: Array.from({ length: buffers.outputs }, (_, k) => view(buffers.inputs + k)),
      frames: P, frameIndex: 0, outputFrameIndex: 0, hostTimeMs: 0, flags: 0,
    };
  }

  /** A tap holding `capacityPeriods` periods (a power of two). */
  static create(inputs: number, outputs: number, periodFrames: number, capacityPeriods: number): PeriodTap {
    return new PeriodTap({
      audio: SpscRing.create(capacityPeriods, Math.max(1, (inputs + outputs) * periodFrames), 'float32').buffer,
      meta: SpscRing.create(capacityPeriods, META.SLOTS).buffer, inputs, outputs, periodFrames,
    });
  }

  /** Producer (the worker, after the host filled the outputs). */
  push(p: RigPeriod): void {
    if (this.audio.freeRecords() < 1 || this.meta.freeRecords() < 1) {
      this.dropped++;
      return;
    }
    const P = this.periodFrames;
    const nIn = this.inputs;
    for (let k = 0; k < nIn; k++) copySamples(p.inputs[k], 0, this.record, k * P, P);
    for (let k = 0; k < this.outputs; k++) copySamples(p.outputs[k], 0, this.record, (nIn + k) * P, P);
    this.audio.push(this.record);
    const m = this.metaRecord;
    m[META.frameIndex] = p.frameIndex;
    m[META.outputFrameIndex] = p.outputFrameIndex;
    m[META.hostTimeMs] = p.hostTimeMs;
    m[META.flags] = p.flags;
    this.meta.push(m);
  }

  /** Consumer (the control thread): hands every waiting period to `onPeriod`; returns how many. */
  drain(onPeriod: (p: RigPeriod) => void): number {
    let n = 0;
    const m = this.metaRecord;
    const p = this.period;
    while (this.meta.pop(m)) {
      this.audio.pop(this.record);
      p.frameIndex = m[META.frameIndex];
      p.outputFrameIndex = m[META.outputFrameIndex];
      p.hostTimeMs = m[META.hostTimeMs];
      p.flags = m[META.flags];
      onPeriod(p);
      n++;
    }
    return n;
  }
}
