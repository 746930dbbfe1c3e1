import { recordsSince } from './jack/recordsSince.ts';

/** One block that finished late, or close to late: where it was due and why (all on the host clock). */
export interface LateBlock {
  /** The stream frame its output was due at (RigPeriod.outputFrameIndex). */
  outputFrame: number;
  /** From its input period's cycle start (RigPeriod.hostTimeMs) to the start of its processing, ms. */
  startLagMs: number;
  /** How long its processing took (drain, engine, copies), ms. */
  blockMs: number;
  /** Its deadline (the output frame's cycle start) minus when it finished, ms: negative = it missed it. */
  marginMs: number;
  /**
   * The rendering thread's own work from the block's input to its end, ms, at most: the lower of the time it was
   * still busy with earlier work after the input arrived plus its CPU time since it woke for this chain of blocks
   * (AudioHostOptions.sinceIdle; NaN where not measured), and its CPU time since the last block it began before
   * the input arrived (AudioHostOptions.threadCpu).
   */
  ownMs: number;
  /** How long the machine held the thread back in that chain, ms: its late wake-up plus its run delay (ready but off a CPU). */
  heldMs: number;
  /**
   * Time since its wake-up it was neither running nor held, if it blocked meanwhile (a voluntary context switch:
   * a lock, a page read, a sleep), ms; 0 when it never blocked (that time was then the machine's: a vCPU taken).
   */
  waitedMs: number;
}

const SLOTS = 7;

/**
 * The audio side's record of blocks that finished with less than half a period to spare, or after their
 * deadline, on shared memory: so an underrun of a render-ahead host can be told apart as a renderer that
 * started late (`startLagMs` large: the thread was not running — woken late, preempted, stopped) or a block
 * that took too long (`blockMs` large: the engine, a compilation, a collection). The deadline of a block is
 * its output frame's cycle: hostTimeMs + (outputFrameIndex − frameIndex) / fs.
 *
 * One writer (the audio side: `push` copies a record from a scratch Float64Array, so no double crosses a
 * call boxed; never allocates, never waits) overwrites the oldest record when full; readers take the
 * records written since a counter (`since`, as the stall sentinel's ring: recordsSince.ts).
 */
export class LateBlocks {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  private readonly ctl: Int32Array;
  private readonly ring: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.capacity = (buffer.byteLength - 8) / (SLOTS * 8);
    if (!(Number.isInteger(this.capacity) && this.capacity > 0 && (this.capacity & (this.capacity - 1)) === 0)) throw new RangeError(`LateBlocks: capacity must be a power of two, got ${this.capacity}`);
    this.ctl = new Int32Array(buffer, 0, 2);
    this.ring = new Float64Array(buffer, 8, this.capacity * SLOTS);
  }

  /**
   * Shared memory for `capacity` records (a power of two). The default, 65 536 (3.5 MiB), holds 87 s of late
   * blocks back to back at 64 frames: a 10-minute soak at load 10 lost its first records with 1024.
   */
  static createBuffer(capacity = 65_536): SharedArrayBuffer {
    return new SharedArrayBuffer(8 + capacity * SLOTS * 8);
  }

  /** Audio side: appends [outputFrame, startLagMs, blockMs, marginMs, ownMs, heldMs, waitedMs] from `record`. */
  push(record: Float64Array): void {
    const w = Atomics.load(this.ctl, 0);
    const base = ((w >>> 0) & (this.capacity - 1)) * SLOTS;
    for (let i = 0; i < SLOTS; i++) this.ring[base + i] = record[i];
    Atomics.store(this.ctl, 0, (w + 1) | 0);
  }

  /** Records written so far (int32, wrapping): the counter `since` takes. */
  get written(): number {
    return Atomics.load(this.ctl, 0);
  }

  /** Records since counter `from` (oldest first; those overwritten are skipped and counted as `lost`), and the new counter. */
  since(from: number): { blocks: LateBlock[]; next: number; lost: number } {
    const next = this.written;
    const lost = Math.max(0, ((next - from) | 0) - this.capacity);
    const r = this.ring;
    const blocks = recordsSince(next, from, this.capacity, (slot): LateBlock => ({
      outputFrame: r[slot * SLOTS], startLagMs: r[slot * SLOTS + 1], blockMs: r[slot * SLOTS + 2], marginMs: r[slot * SLOTS + 3],
      ownMs: r[slot * SLOTS + 4], heldMs: r[slot * SLOTS + 5], waitedMs: r[slot * SLOTS + 6],
    }));
    return { blocks, next, lost };
  }
}
