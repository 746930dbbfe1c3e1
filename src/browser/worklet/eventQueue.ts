import { type EngineEvent, makeEvent } from '../../engine/events.ts';
import type { WireEvent } from './workletProtocol.ts';

/** Copies an event's fields into a preallocated record, with its offset in the block. */
function copyEvent(dst: EngineEvent, src: Omit<EngineEvent, 'offsetFrames'>, offsetFrames: number): void {
  dst.kind = src.kind;
  dst.channel = src.channel;
  dst.note = src.note;
  dst.value = src.value;
  dst.paramIndex = src.paramIndex;
  dst.offsetFrames = offsetFrames;
}

/**
 * The engine's pending events on the context timeline, for the audio thread: a fixed pool of records
 * kept sorted by frame (stably: equal frames keep their arrival order, as render() sorts), filled from
 * the port's messages and drained one quantum at a time into preallocated EngineEvents with the same
 * offset rule as src/engine/render.ts (offset = max(0, floor(atFrame) − blockStart)), so a worklet and
 * Node's render() hand the engine the very same events. When full, new events are dropped and counted.
 */
export class EventQueue {
  readonly capacity: number;
  private readonly frames: Float64Array;
  private readonly records: EngineEvent[];
  private count = 0;
  private readonly block: EngineEvent[];
  dropped = 0;

  constructor(capacity = 4096) {
    this.capacity = capacity;
    this.frames = new Float64Array(capacity);
    this.records = Array.from({ length: capacity }, makeEvent);
    this.block = Array.from({ length: capacity }, makeEvent);
  }

  get size(): number {
    return this.count;
  }

  /** Inserts an event at `atFrame` (−Infinity: due now) after every queued event of the same or an earlier frame. */
  push(e: WireEvent, atFrame: number): boolean {
    if (this.count >= this.capacity) {
      this.dropped++;
      return false;
    }
    let i = this.count;
    // Shift later events up (events mostly arrive in order: usually no move at all).
    while (i > 0 && this.frames[i - 1] > atFrame) {
      this.frames[i] = this.frames[i - 1];
      const r = this.records[i];
      this.records[i] = this.records[i - 1];
      this.records[i - 1] = r;
      i--;
    }
    this.frames[i] = atFrame;
    copyEvent(this.records[i], e, 0);
    this.count++;
    return true;
  }

  /** Drops every queued event. */
  clear(): void {
    this.count = 0;
  }

  /**
   * Moves the events due before blockStart + frames into the returned block (valid until the next
   * call; the count is `taken`). Allocates nothing.
   */
  take(blockStart: number, frames: number): readonly EngineEvent[] {
    let n = 0;
    const end = blockStart + frames;
    while (n < this.count && this.frames[n] < end) {
      const f = this.frames[n];
      copyEvent(this.block[n], this.records[n], f === Number.NEGATIVE_INFINITY ? 0 : Math.max(0, Math.floor(f) - blockStart));
      n++;
    }
    if (n > 0) {
      // Close the gap: the remaining events move to the front, the used records to the back.
      for (let i = n; i < this.count; i++) {
        this.frames[i - n] = this.frames[i];
        const r = this.records[i - n];
        this.records[i - n] = this.records[i];
        this.records[i] = r;
      }
      this.count -= n;
    }
    this.taken = n;
    return this.block;
  }

  /** Number of events the last take() returned. */
  taken = 0;
}
