/**
 * The recent part of a signal that arrives in chunks, indexed by absolute frame: frames
 * [start, end) are held, `data[n + offset]` is frame n. A reader says how far back it still needs
 * (`discardBefore`); the storage is compacted (or doubled) only when an append does not fit, so the
 * cost is amortised O(1) per frame and the memory is bounded by what the reader keeps plus one chunk.
 *
 * `wrap(x)` holds a whole signal without copying (start 0, ended): the whole-signal path of a detector
 * reads exactly the same array as before.
 */
export class SignalHistory {
  /**
   * Tests set this to overwrite every discarded frame with NaN at once, so a reader that looks at a frame
   * it let go of produces a different finding instead of reading stale data by luck.
   */
  static poisonDiscarded = false;
  /**
   * Tests set this to a value the storage past `end` (frames not yet appended, or past a signal's end) then holds, so
   * a reader that looks past what has arrived produces a different finding instead of reading zeros or stale frames.
   * NaN spreads through any sum (an FFT reads it everywhere) but compares false: a window of it passes for clean, which
   * a loud value (1000, 60 dB over full scale) does not.
   */
  static poisonAhead: number | undefined = undefined;

  /** The storage; frame n is data[n + offset] for start ≤ n < end. Replaced when it grows. */
  data: Float32Array;
  offset = 0;
  /** First frame held. */
  start = 0;
  /** One past the last frame appended. */
  end = 0;
  /** No more frames will come: reads past `end` are zero (the signal ended there). */
  ended = false;
  private wrapped = false;

  constructor(capacityFrames = 1 << 16) {
    this.data = new Float32Array(Math.max(16, capacityFrames));
    if (SignalHistory.poisonAhead !== undefined) this.data.fill(SignalHistory.poisonAhead);
  }

  /** A whole signal, read in place (the caller's array: never discarded, never poisoned). */
  static wrap(x: Float32Array): SignalHistory {
    const h = new SignalHistory(16);
    h.wrapped = true;
    h.data = x;
    h.end = x.length;
    h.ended = true;
    return h;
  }

  /** Appends the next `chunk.length` frames. */
  append(chunk: Float32Array): void {
    if (this.ended) throw new Error('SignalHistory: append after end');
    const held = this.end - this.start;
    let at = this.end + this.offset;
    if (at + chunk.length > this.data.length) {
      const from = this.start + this.offset;
      if (held + chunk.length <= this.data.length >> 1) {
        this.data.copyWithin(0, from, from + held);
        if (SignalHistory.poisonAhead !== undefined) this.data.fill(SignalHistory.poisonAhead, held);
      } else {
        const grown = new Float32Array(Math.max(2 * this.data.length, 2 * (held + chunk.length)));
        if (SignalHistory.poisonAhead !== undefined) grown.fill(SignalHistory.poisonAhead);
        grown.set(this.data.subarray(from, from + held));
        this.data = grown;
      }
      this.offset = -this.start;
      at = held;
    }
    this.data.set(chunk, at);
    this.end += chunk.length;
  }

  /** With nothing held, counts `frames` frames the reader consumed straight from its chunk as appended and let go. */
  skip(frames: number): void {
    if (this.end !== this.start) throw new Error('SignalHistory: skip while frames are held');
    this.end += frames;
    this.start = this.end;
    this.offset -= frames;
  }

  /** The reader no longer needs frames before `frame` (kept where the storage has room). */
  discardBefore(frame: number): void {
    if (frame <= this.start || this.wrapped) return;
    const to = Math.min(frame, this.end);
    if (SignalHistory.poisonDiscarded) this.data.fill(Number.NaN, this.start + this.offset, to + this.offset);
    this.start = to;
  }

  /** Frames held (end − start). */
  get heldFrames(): number {
    return this.end - this.start;
  }
}
