import { copySamples } from '../../dsp/copySamples.ts';
import { recordsSince } from './recordsSince.ts';

/**
 * The shared memory between an audio callback that never waits (jackClient.c, or a JavaScript cycle
 * source in tests) and the worker that renders ahead of it. All of it lives on SharedArrayBuffers, so
 * the same rings are seen by the native callback, the worker and the main thread.
 *
 * - `ctl` (Int32, Ctl.*): free-running period counters of the two rings and the callback's counters.
 * - input ring: `ringPeriods` slots of `inputs × periodFrames` float32 (planar), each with a Meta record
 *   (stream frame, JACK frame time, nominal period, flags, entry time). Written by the callback, read by the worker.
 * - output ring: `ringPeriods` slots of `outputs × periodFrames` float32, each stamped with the stream
 *   frame it must be played at. Written by the worker, read by the callback: a block whose frame has
 *   passed is discarded (Ctl.STALE_BLOCKS), a cycle without its block plays silence (Ctl.UNDERRUNS) and
 *   records its frame in the underrun ring (`underruns`, Float64, written at Ctl.UNDERRUN_WRITE & mask).
 * - xrun ring (`xruns`): every xrun JACK notifies the client of, with its stream frame (XrunRecord).
 * - jump ring (`jumps`): every cycle whose stream frame moved by other than one period — cycles JACK ran
 *   without the callback (FrameJump), which JACK does not always notify as an xrun.
 *
 * Counters run freely in int32 and wrap; fill = (write − read) | 0; slot = counter mod ringPeriods.
 * The numbers mirror jackClient.c's enums (one layout, two languages: change both).
 */
export const Ctl = {
  IN_WRITE: 0, IN_READ: 1, OUT_WRITE: 2, OUT_READ: 3, CYCLES: 4, UNDERRUNS: 5, INPUT_OVERFLOWS: 6,
  STALE_BLOCKS: 7, XRUNS: 8, UNDERRUN_WRITE: 9, MAX_CALLBACK_NS: 10, LAST_CALLBACK_NS: 11, STATE: 12,
  LATE_CYCLES: 13, MAX_CYCLE_GAP_US: 14, FRAME_JUMPS: 15, XRUN_WRITE: 16, JUMP_WRITE: 17, SLOTS: 18,
} as const;
/**
 * Per input period: stream frame, JACK frame time (uint32), the nominal period (µs), RigFlag bits, and the
 * callback's entry (µs, jack_get_time): the period's host time, late and never early against the cycle
 * (not JACK's published cycle times: tens of ms off after a late dummy-driver cycle, see jackClient.c).
 */
export const Meta = { FRAME: 0, JACK_FRAME: 1, PERIOD_US: 2, FLAGS: 3, ENTRY_US: 4, SLOTS: 5 } as const;
export const RingState = { OPEN: 1, RUNNING: 2, SHUTDOWN: 3, CLOSED: 4 } as const;

export interface PeriodRingsLayout {
  inputs: number;
  outputs: number;
  periodFrames: number;
  /** Slots per ring (≥ 2): how far the worker may fall behind before inputs are lost. */
  ringPeriods: number;
  /** Underrun frames remembered (a power of two). */
  underrunCapacity: number;
  /** Xrun records remembered (a power of two; default 1024). */
  xrunCapacity?: number;
}

/** One xrun JACK notified: the stream frame it happened at (−1 before the first cycle) and jack_get_time() then, µs. */
export interface XrunRecord {
  frame: number;
  jackUs: number;
}

/** A jump of the stream frame: the frame the cycle should have had (one period after the last) and how far it moved instead. */
export interface FrameJump {
  expectedFrame: number;
  stepFrames: number;
}

/** The typed arrays, all over SharedArrayBuffers: postMessage them to a worker as they are. */
export interface PeriodRingsBuffers extends PeriodRingsLayout {
  ctl: Int32Array;
  meta: Float64Array;
  input: Float32Array;
  output: Float32Array;
  stamp: Float64Array;
  underruns: Float64Array;
  /** Xrun records, two slots each (XrunRecord: frame, jackUs), written at Ctl.XRUN_WRITE & (capacity − 1). */
  xruns: Float64Array;
  /** Frame jumps, two slots each (FrameJump), written at Ctl.JUMP_WRITE & (capacity − 1); capacity = xrunCapacity. */
  jumps: Float64Array;
}

/** The ring views plus the worker's side of the protocol. Nothing here allocates after construction. */
export class PeriodRings {
  readonly layout: PeriodRingsLayout;
  readonly ctl: Int32Array;
  readonly meta: Float64Array;
  readonly input: Float32Array;
  readonly output: Float32Array;
  readonly stamp: Float64Array;
  readonly underruns: Float64Array;
  readonly xruns: Float64Array;
  readonly jumps: Float64Array;
  private readonly inStride: number;
  private readonly outStride: number;

  constructor(readonly buffers: PeriodRingsBuffers) {
    this.layout = buffers;
    ({ ctl: this.ctl, meta: this.meta, input: this.input, output: this.output, stamp: this.stamp, underruns: this.underruns, xruns: this.xruns, jumps: this.jumps } = buffers);
    this.inStride = buffers.inputs * buffers.periodFrames;
    this.outStride = buffers.outputs * buffers.periodFrames;
  }

  static create(layout: PeriodRingsLayout): PeriodRings {
    const { inputs, outputs, periodFrames: P, ringPeriods: R, underrunCapacity: U, xrunCapacity: X = 1024 } = layout;
    if (!(R >= 2) || !Number.isInteger(Math.log2(U)) || !Number.isInteger(Math.log2(X))) {
      throw new RangeError(`PeriodRings: ringPeriods ≥ 2 and power-of-two underrunCapacity and xrunCapacity, got ${R}, ${U}, ${X}`);
    }
    const f32 = (n: number) => new Float32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
    const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));
    const rings = new PeriodRings({
      ...layout, xrunCapacity: X, ctl: new Int32Array(new SharedArrayBuffer(4 * Ctl.SLOTS)), meta: f64(R * Meta.SLOTS),
      input: f32(R * inputs * P), output: f32(R * outputs * P), stamp: f64(R), underruns: f64(U), xruns: f64(2 * X), jumps: f64(2 * X),
    });
    // Touch every page now: a SharedArrayBuffer's pages are mapped on first write, and a first write in
    // the audio callback is a page fault there (under memory pressure, tens of ms: measured 40 ms in a
    // callback during a full test run).
    for (const a of [rings.meta, rings.input, rings.output, rings.stamp, rings.underruns, rings.xruns, rings.jumps]) a.fill(1).fill(0);
    return rings;
  }

  count(slot: number): number {
    return Atomics.load(this.ctl, slot);
  }

  /** Input periods waiting for the worker. */
  get inputFill(): number {
    return (Atomics.load(this.ctl, Ctl.IN_WRITE) - Atomics.load(this.ctl, Ctl.IN_READ)) | 0;
  }

  /** Output blocks queued for the callback. */
  get outputFill(): number {
    return (Atomics.load(this.ctl, Ctl.OUT_WRITE) - Atomics.load(this.ctl, Ctl.OUT_READ)) | 0;
  }

  /** Copies the oldest input period into `into` (one array per input) and its Meta record into `meta`; false when none. */
  readInput(into: readonly Float32Array[], meta: Float64Array): boolean {
    const r = Atomics.load(this.ctl, Ctl.IN_READ);
    if (((Atomics.load(this.ctl, Ctl.IN_WRITE) - r) | 0) <= 0) return false;
    const slot = (r >>> 0) % this.layout.ringPeriods;
    const P = this.layout.periodFrames;
    const base = slot * this.inStride;
    for (let k = 0; k < into.length && k < this.layout.inputs; k++) copySamples(this.input, base + k * P, into[k], 0, P);
    for (let i = 0; i < Meta.SLOTS; i++) meta[i] = this.meta[slot * Meta.SLOTS + i];
    Atomics.store(this.ctl, Ctl.IN_READ, (r + 1) | 0);
    return true;
  }

  /** Queues one output block for stream frame `frame`; false when the ring is full. */
  writeOutput(blocks: readonly Float32Array[], frame: number): boolean {
    const w = Atomics.load(this.ctl, Ctl.OUT_WRITE);
    if (((w - Atomics.load(this.ctl, Ctl.OUT_READ)) | 0) >= this.layout.ringPeriods) return false;
    const slot = (w >>> 0) % this.layout.ringPeriods;
    const P = this.layout.periodFrames;
    const base = slot * this.outStride;
    for (let k = 0; k < this.layout.outputs; k++) {
      const at = base + k * P;
      if (k < blocks.length) copySamples(blocks[k], 0, this.output, at, P);
      else this.output.fill(0, at, at + P);
    }
    this.stamp[slot] = frame;
    Atomics.store(this.ctl, Ctl.OUT_WRITE, (w + 1) | 0);
    return true;
  }

  /** Underrun frames recorded since counter `from` (oldest first; those overwritten are skipped), and the new counter. */
  underrunFramesSince(from: number): { frames: number[]; next: number } {
    const next = Atomics.load(this.ctl, Ctl.UNDERRUN_WRITE);
    return { frames: recordsSince(next, from, this.layout.underrunCapacity, (slot) => this.underruns[slot]), next };
  }

  /** Xrun records since counter `from` (oldest first; those overwritten are skipped), and the new counter. */
  xrunsSince(from: number): { records: XrunRecord[]; next: number } {
    const next = Atomics.load(this.ctl, Ctl.XRUN_WRITE);
    const records = recordsSince(next, from, this.xruns.length / 2, (slot): XrunRecord => ({ frame: this.xruns[2 * slot], jackUs: this.xruns[2 * slot + 1] }));
    return { records, next };
  }

  /** Frame jumps since counter `from` (oldest first; those overwritten are skipped), and the new counter. */
  jumpsSince(from: number): { jumps: FrameJump[]; next: number } {
    const next = Atomics.load(this.ctl, Ctl.JUMP_WRITE);
    const jumps = recordsSince(next, from, this.jumps.length / 2, (slot): FrameJump => ({ expectedFrame: this.jumps[2 * slot], stepFrames: this.jumps[2 * slot + 1] }));
    return { jumps, next };
  }
}
