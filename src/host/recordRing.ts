/**
 * Lock-free single-producer/single-consumer ring of fixed-size Float64 records on a SharedArrayBuffer.
 * `push(record)` copies `slots` numbers in and returns false when full; `pop(into)` copies one out and
 * returns false when empty. Neither allocates. Head and tail are Int32 counters published with
 * Atomics.store after the record is written (release) and read with Atomics.load (acquire), so the
 * producer and consumer may live on different threads (postMessage the `buffer` to a worker and wrap
 * it with `RecordRing.fromBuffer`).
 *
 * Why records of Float64: a command carries a stream-frame timestamp (> 2^31 after 12 h at 48 kHz) and
 * an epoch-ms arrival time; Float64 holds both exactly to well below a sample.
 */
export class RecordRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly slots: number;
  private readonly index: Int32Array;
  private readonly data: Float64Array;
  private readonly mask: number;
  /** Records written by stage() and not yet published by commit() (producer side). */
  private staged = 0;

  constructor(capacityRecords: number, slots: number, buffer?: SharedArrayBuffer) {
    if (!Number.isInteger(Math.log2(capacityRecords))) throw new RangeError(`RecordRing capacity must be a power of two, got ${capacityRecords}`);
    this.capacity = capacityRecords;
    this.slots = slots;
    this.mask = capacityRecords - 1;
    this.buffer = buffer ?? new SharedArrayBuffer(16 + capacityRecords * slots * 8);
    this.index = new Int32Array(this.buffer, 0, 2);
    this.data = new Float64Array(this.buffer, 16, capacityRecords * slots);
  }

  static fromBuffer(buffer: SharedArrayBuffer, capacityRecords: number, slots: number): RecordRing {
    return new RecordRing(capacityRecords, slots, buffer);
  }

  /** Producer side. */
  push(record: ArrayLike<number>): boolean {
    if (!this.stage(record)) return false;
    this.commit();
    return true;
  }

  /**
   * Producer side: writes a record after those already staged without publishing it; `commit()`
   * publishes every staged record at once, so the consumer takes a group (one command's rows) whole or
   * not at all — never the first rows in one period and the rest in the next. False when full.
   */
  stage(record: ArrayLike<number>): boolean {
    const head = (Atomics.load(this.index, 0) + this.staged) | 0;
    const tail = Atomics.load(this.index, 1);
    if (((head - tail) | 0) >= this.capacity) return false;
    const base = (head & this.mask) * this.slots;
    for (let i = 0; i < this.slots; i++) this.data[base + i] = record[i];
    this.staged++;
    return true;
  }

  /** Producer side: publishes the staged records (release); returns how many. */
  commit(): number {
    const n = this.staged;
    if (n > 0) Atomics.store(this.index, 0, (Atomics.load(this.index, 0) + n) | 0);
    this.staged = 0;
    return n;
  }

  /** Consumer side. */
  pop(into: Float64Array): boolean {
    const tail = Atomics.load(this.index, 1);
    const head = Atomics.load(this.index, 0);
    if (head === tail) return false;
    const base = (tail & this.mask) * this.slots;
    for (let i = 0; i < this.slots; i++) into[i] = this.data[base + i];
    Atomics.store(this.index, 1, (tail + 1) | 0);
    return true;
  }

  /** Consumer side: slot `slot` of the oldest record without taking it (NaN when empty). */
  peekSlot(slot: number): number {
    const tail = Atomics.load(this.index, 1);
    if (Atomics.load(this.index, 0) === tail) return NaN;
    return this.data[(tail & this.mask) * this.slots + slot];
  }

  get size(): number {
    return (Atomics.load(this.index, 0) - Atomics.load(this.index, 1)) | 0;
  }
}
