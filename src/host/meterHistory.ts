/**
 * Level meters that every reader sees whole: the audio side writes each period's peak |x| and Σx² per
 * channel into a ring of the last `periods` periods (on a SharedArrayBuffer, so the writer may be a
 * worker); each reader keeps its own cursor (the period count it last read up to) and gets the levels
 * over the periods since then. One client's status request never clears another's meters — the bug
 * this replaces (a reset-on-read accumulator shared by every client).
 *
 * A reader that waited longer than the ring holds gets the newest `periods` periods and is told
 * (`truncated`). The writer never allocates or waits; the period counter is published with
 * Atomics.store after the period's values are written, read with Atomics.load.
 */
export class MeterHistory {
  readonly buffer: SharedArrayBuffer;
  readonly channels: number;
  readonly periods: number;
  /** [periodsWritten]: Int32 would wrap after 12 days at 64 frames; a Float64 counter does not. */
  private readonly counter: Int32Array;
  private readonly written: Float64Array;
  private readonly peak: Float32Array;
  private readonly sumSquares: Float64Array;
  private readonly frames: Int32Array;

  constructor(channels: number, periods: number, buffer?: SharedArrayBuffer) {
    this.channels = channels;
    this.periods = periods;
    const bytes = 16 + periods * (channels * 8 + 4) + periods * channels * 4;
    this.buffer = buffer ?? new SharedArrayBuffer(bytes);
    this.counter = new Int32Array(this.buffer, 0, 2);
    this.written = new Float64Array(this.buffer, 8, 1);
    this.sumSquares = new Float64Array(this.buffer, 16, periods * channels);
    this.frames = new Int32Array(this.buffer, 16 + periods * channels * 8, periods);
    this.peak = new Float32Array(this.buffer, 16 + periods * channels * 8 + periods * 4, periods * channels);
  }

  /**
   * Audio side: copies `frames` samples of one channel's period from `src` to `dst` and records its levels
   * (peak |x| and Σx²) for channel `channel` (0 ≤ channel < channels). The levels never cross a call as
   * arguments: a double argument is boxed (a heap number) wherever the call is not inlined, which in the
   * render worker it was not.
   */
  copyAndMeasure(channel: number, src: Float32Array, dst: Float32Array, frames: number): void {
    let pk = 0;
    let ss = 0;
    for (let j = 0; j < frames; j++) {
      const v = src[j];
      dst[j] = v;
      const a = v < 0 ? -v : v;
      if (a > pk) pk = a;
      ss += v * v;
    }
    const at = (this.written[0] % this.periods) * this.channels + channel;
    this.peak[at] = pk;
    this.sumSquares[at] = ss;
  }

  /** Audio side: closes the period written by copyAndMeasure() (`frames` long). */
  endPeriod(frames: number): void {
    const n = this.written[0];
    this.frames[n % this.periods] = frames;
    this.written[0] = n + 1;
    Atomics.store(this.counter, 0, (Atomics.load(this.counter, 0) + 1) | 0);
  }

  /** Periods written so far. */
  get periodsWritten(): number {
    Atomics.load(this.counter, 0);
    return this.written[0];
  }

  /**
   * Control side: peak and RMS per channel over the periods in [fromPeriod, periodsWritten), at most
   * the newest `periods`. Returns the levels and the cursor to pass next time.
   */
  read(fromPeriod: number): MeterReading {
    const end = this.periodsWritten;
    const start = Math.max(fromPeriod, end - this.periods + 1, 0);
    const peak = new Float64Array(this.channels);
    const ss = new Float64Array(this.channels);
    let frames = 0;
    for (let n = start; n < end; n++) {
      const slot = n % this.periods;
      frames += this.frames[slot];
      for (let c = 0; c < this.channels; c++) {
        const p = this.peak[slot * this.channels + c];
        if (p > peak[c]) peak[c] = p;
        ss[c] += this.sumSquares[slot * this.channels + c];
      }
    }
    const rms = ss.map((s) => (frames > 0 ? Math.sqrt(s / frames) : 0));
    return { peak, rms, frames, periods: end - start, truncated: start > fromPeriod, next: end };
  }
}

export interface MeterReading {
  peak: Float64Array;
  rms: Float64Array;
  frames: number;
  periods: number;
  /** The reader asked from further back than the ring holds (the oldest periods were not included). */
  truncated: boolean;
  /** The cursor for the next read. */
  next: number;
}
