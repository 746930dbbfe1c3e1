/**
 * The audio side's latest status (engine status, engine stats, render counters) handed to the control
 * thread through shared memory — never through postMessage. A worker's postMessage takes the port's
 * mutex, which the receiving thread also takes to drain its queue: a real-time worker posting while a
 * normal-priority control thread holds that mutex waits until the control thread is scheduled again
 * (priority inversion). Measured on the native JACK rig at load 12–25 (2 cores): a status post that
 * took 9 ms at start and one that took 1.5 s, each an underrun burst. A seqlock never waits:
 *
 * - writer (one, the audio side, between cycles): seq += 1 (odd: writing), then either the UTF-8 JSON
 *   bytes and their length (`write`: JSON.stringify and encodeInto allocate, so the audio side writes
 *   JSON once, at start, or for an engine without a numeric status) or a row of numbers and its count
 *   (`writeNumbers`: a copy, allocation-free — the steady path), seq += 1 (even: stable). A text longer
 *   than the slot is not written (counted); numbers past the slot's room are cut (counted the same way).
 * - reader (any thread): seq (even, else retry), copy the bytes and numbers, seq again; equal → whole.
 *   A reader racing the writer retries a bounded number of times and keeps its last good value.
 *
 * Layout: Int32 [seq, length, oversize, numberCount] then `capacityBytes` bytes, then (8-aligned)
 * `capacityNumbers` Float64.
 */
export interface StatusSlotBuffers {
  buffer: SharedArrayBuffer;
  capacityBytes: number;
  capacityNumbers: number;
}

const HEADER_BYTES = 16;
const Slot = { seq: 0, length: 1, oversize: 2, numberCount: 3 } as const;
/** Attempts a reader makes while the writer is mid-write (a write is microseconds). */
const READ_ATTEMPTS = 64;
/** Default room: a haptic status (32 outputs' peak and RMS, pools, stats) is ~2 KiB of JSON. */
export const STATUS_SLOT_BYTES = 64 * 1024;
/** Default room for numbers: a haptic status and stats of 32 outputs and the render counters are ~80. */
export const STATUS_SLOT_NUMBERS = 4096;

const numbersOffset = (capacityBytes: number) => HEADER_BYTES + Math.ceil(capacityBytes / 8) * 8;

export function createStatusSlot(capacityBytes = STATUS_SLOT_BYTES, capacityNumbers = STATUS_SLOT_NUMBERS): StatusSlotBuffers {
  return { buffer: new SharedArrayBuffer(numbersOffset(capacityBytes) + 8 * capacityNumbers), capacityBytes, capacityNumbers };
}

export class StatusSlotWriter {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly numbers: Float64Array;
  private readonly encoder = new TextEncoder();

  constructor(b: StatusSlotBuffers) {
    this.header = new Int32Array(b.buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(b.buffer, HEADER_BYTES, b.capacityBytes);
    this.numbers = new Float64Array(b.buffer, numbersOffset(b.capacityBytes), b.capacityNumbers);
  }

  /**
   * Publishes `values` (the JSON stays as last written); never allocates: one bulk copy (a caller a few
   * times a second runs unoptimised, where an element-by-element copy boxes every double). A row longer
   * than the slot's room is not published (counted, like an oversize text).
   */
  writeNumbers(values: Float64Array): boolean {
    const h = this.header;
    if (values.length > this.numbers.length) {
      Atomics.add(h, Slot.oversize, 1);
      return false;
    }
    Atomics.add(h, Slot.seq, 1);
    this.numbers.set(values);
    Atomics.store(h, Slot.numberCount, values.length);
    Atomics.add(h, Slot.seq, 1);
    return true;
  }

  /** Publishes `value` as JSON; false (and the oversize counter raised) when it does not fit. */
  write(value: unknown): boolean {
    const text = JSON.stringify(value);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only a text that may not fit is measured first.
    if (text.length * 3 > this.bytes.length && Buffer.byteLength(text, 'utf8') > this.bytes.length) {
      Atomics.add(this.header, Slot.oversize, 1);
      return false;
    }
    const h = this.header;
    Atomics.add(h, Slot.seq, 1);
    const { written } = this.encoder.encodeInto(text, this.bytes);
    Atomics.store(h, Slot.length, written);
    Atomics.add(h, Slot.seq, 1);
    return true;
  }
}

export class StatusSlotReader<T = unknown> {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly numbers: Float64Array;
  private readonly decoder = new TextDecoder();
  private lastSeq = 0;
  private last: T | undefined;
  private lastNumbers = new Float64Array(0);
  /** Reads that found the writer mid-write READ_ATTEMPTS times in a row (the last good value was kept). */
  contended = 0;

  constructor(b: StatusSlotBuffers) {
    this.header = new Int32Array(b.buffer, 0, HEADER_BYTES / 4);
    this.bytes = new Uint8Array(b.buffer, HEADER_BYTES, b.capacityBytes);
    this.numbers = new Float64Array(b.buffer, numbersOffset(b.capacityBytes), b.capacityNumbers);
  }

  /** The numbers of the latest whole write (empty before the first writeNumbers). */
  readNumbers(): Float64Array {
    this.read();
    return this.lastNumbers;
  }

  /** Statuses the writer could not publish because they did not fit. */
  get oversize(): number {
    return Atomics.load(this.header, Slot.oversize);
  }

  /** The latest whole status, or undefined before the first; parsed once per new write. */
  read(): T | undefined {
    const h = this.header;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const seq = Atomics.load(h, Slot.seq);
      if (seq === this.lastSeq) return this.last;
      if (seq & 1) continue;
      const length = Atomics.load(h, Slot.length);
      const copy = this.bytes.slice(0, Math.min(length, this.bytes.length));
      const numbers = this.numbers.slice(0, Math.min(Atomics.load(h, Slot.numberCount), this.numbers.length));
      if (Atomics.load(h, Slot.seq) !== seq) continue;
      this.last = copy.length > 0 ? JSON.parse(this.decoder.decode(copy)) as T : undefined;
      this.lastNumbers = numbers;
      this.lastSeq = seq;
      return this.last;
    }
    this.contended++;
    return this.last;
  }
}
