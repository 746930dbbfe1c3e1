/**
 * The audio side's list of commands waiting for their frame: a binary min-heap of fixed-size Float64
 * records, ordered by (target frame, arrival sequence) — so events for the same frame leave in the
 * order they arrived. Insert and take are O(log n) with at most ⌈log2 n⌉ record swaps, whatever the
 * order of arrival: a flood of far-future timestamps costs the audio thread ~12 swaps per command at
 * 4096 entries, where the sorted array it replaces shifted the whole list for every early command.
 *
 * Everything is allocated in the constructor; `push`/`popInto`/`clear` allocate nothing and never
 * throw. When full, `push` returns false and the caller decides (the host drops the newest, counted).
 */
export class PendingEvents {
  readonly capacity: number;
  readonly slots: number;
  private readonly records: Float64Array;
  /** Heap keys: target frame and arrival sequence, per position. */
  private readonly target: Float64Array;
  private readonly sequence: Float64Array;
  private readonly swapRecord: Float64Array;
  private count = 0;
  private nextSequence = 0;

  constructor(capacity: number, slots: number) {
    this.capacity = capacity;
    this.slots = slots;
    this.records = new Float64Array(capacity * slots);
    this.target = new Float64Array(capacity);
    this.sequence = new Float64Array(capacity);
    this.swapRecord = new Float64Array(slots);
    this.target[0] = Number.POSITIVE_INFINITY;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Target frame of the earliest entry (Infinity when empty). Always read from the typed array (the
   * empty heap keeps Infinity at the root): a branch yielding the global `Infinity` made the getter's
   * result a tagged value, so every non-empty read boxed target[0] (16 bytes a call on the audio path).
   */
  get earliestTarget(): number {
    return this.target[0];
  }

  /** Adds a record to leave at `targetFrame`; false (nothing stored) when full. */
  push(record: Float64Array, targetFrame: number): boolean {
    if (this.count >= this.capacity) return false;
    let i = this.count++;
    this.target[i] = targetFrame;
    this.sequence[i] = this.nextSequence++;
    copy(record, 0, this.records, i * this.slots, this.slots);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
    return true;
  }

  /** Copies the earliest record into `into`, removes it and returns its target frame (NaN when empty). */
  popInto(into: Float64Array): number {
    if (this.count === 0) return NaN;
    const t = this.target[0];
    copy(this.records, 0, into, 0, this.slots);
    const last = --this.count;
    if (last === 0) this.target[0] = Number.POSITIVE_INFINITY;
    if (last > 0) {
      this.target[0] = this.target[last];
      this.sequence[0] = this.sequence[last];
      this.records.copyWithin(0, last * this.slots, (last + 1) * this.slots);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.before(r, l) ? r : l;
        if (!this.before(c, i)) break;
        this.swap(i, c);
        i = c;
      }
    }
    return t;
  }

  /** Empties the list; returns how many entries it held. */
  clear(): number {
    const n = this.count;
    this.count = 0;
    this.target[0] = Number.POSITIVE_INFINITY;
    return n;
  }

  /** Copies entry `index` (0 ≤ index < size, heap order, not time order) into `into`. */
  recordAt(index: number, into: Float64Array): void {
    copy(this.records, index * this.slots, into, 0, this.slots);
  }

  private before(a: number, b: number): boolean {
    const ta = this.target[a];
    const tb = this.target[b];
    return ta < tb || (ta === tb && this.sequence[a] < this.sequence[b]);
  }

  private swap(a: number, b: number): void {
    const s = this.slots;
    const tmp = this.swapRecord;
    copy(this.records, a * s, tmp, 0, s);
    copy(this.records, b * s, this.records, a * s, s);
    copy(tmp, 0, this.records, b * s, s);
    const t = this.target[a]; this.target[a] = this.target[b]; this.target[b] = t;
    const q = this.sequence[a]; this.sequence[a] = this.sequence[b]; this.sequence[b] = q;
  }
}

/** Element copy without the view objects `subarray()` would allocate on the audio path. */
function copy(from: Float64Array, fromIndex: number, to: Float64Array, toIndex: number, n: number): void {
  for (let i = 0; i < n; i++) to[toIndex + i] = from[fromIndex + i];
}
