/** The shared memory of a SignalRing, structured-cloneable to a worker. */
export interface SignalRingBuffers {
  channels: number;
  capacityFrames: number;
  /** channels × capacityFrames float32 samples, channel-major. */
  samples: SharedArrayBuffer;
  /** [0] Int32 publish counter (Atomics), [8…16) Float64 total frames written. */
  index: SharedArrayBuffer;
}

/**
 * The last few seconds of a live signal (an effect's input or output) on shared memory: the audio side
 * only copies each period into it (`write`, no allocation, no waiting, one writer); the control side
 * reads the newest frames whenever it likes (`readLast`, snapshots and metrics), in whatever thread.
 *
 * Capacity is a power of two (index by mask). The writer stores the samples, then the frame total,
 * then bumps an Int32 with Atomics.add (release); the reader loads that Int32 (acquire), then the total.
 * A reader copying N frames races the writer only if the writer advances by more than capacity − N
 * during the copy; `readLast` checks the total again after copying and says so (`torn`), which at the
 * sizes used (≥ 1 s of slack, a copy of a few ms) does not happen unless the control thread stalls.
 */
export class SignalRing {
  readonly buffers: SignalRingBuffers;
  readonly channels: number;
  readonly capacityFrames: number;
  private readonly data: Float32Array[];
  private readonly publish: Int32Array;
  private readonly total: Float64Array;
  private readonly mask: number;

  constructor(buffers: SignalRingBuffers) {
    this.buffers = buffers;
    this.channels = buffers.channels;
    this.capacityFrames = buffers.capacityFrames;
    this.mask = buffers.capacityFrames - 1;
    this.data = Array.from({ length: buffers.channels }, (_, c) => new Float32Array(buffers.samples, c * buffers.capacityFrames * 4, buffers.capacityFrames));
    this.publish = new Int32Array(buffers.index, 0, 1);
    this.total = new Float64Array(buffers.index, 8, 1);
  }

  /** A ring of `channels` holding at least `minFrames` frames (rounded up to a power of two). */
  static create(channels: number, minFrames: number): SignalRing {
    const capacityFrames = 2 ** Math.ceil(Math.log2(Math.max(2, minFrames)));
    return new SignalRing({
      channels, capacityFrames,
      samples: new SharedArrayBuffer(channels * capacityFrames * 4),
      index: new SharedArrayBuffer(16),
    });
  }

  /** Frames written since the ring was created. */
  get framesWritten(): number {
    Atomics.load(this.publish, 0);
    return this.total[0];
  }

  /** Audio side: appends `frames` frames of `src` (a missing channel writes zeros). */
  write(src: readonly Float32Array[], frames: number): void {
    const start = this.total[0];
    const mask = this.mask;
    for (let c = 0; c < this.channels; c++) {
      const dst = this.data[c];
      const s = src[c];
      let w = start % this.capacityFrames; // a double: frame totals pass 2^31 after 12 h
      if (s === undefined) {
        for (let j = 0; j < frames; j++) { dst[w] = 0; w = (w + 1) & mask; }
      } else {
        for (let j = 0; j < frames; j++) { dst[w] = s[j]; w = (w + 1) & mask; }
      }
    }
    this.total[0] = start + frames;
    Atomics.add(this.publish, 0, 1);
  }

  /**
   * Control side: the newest `frames` frames (fewer when fewer were written), one new array per
   * channel, and the total written at the end of them. `torn` is true when the writer overwrote part
   * of them during the copy (the copy should then be discarded).
   */
  readLast(frames: number): { channels: Float32Array[]; endFrame: number; torn: boolean } {
    return this.readEnding(this.framesWritten, frames);
  }

  /**
   * The `frames` frames ending at frame `endFrame` (at most what was written by then and what the ring
   * still holds): two rings written in the same period read alike when given the same end frame
   * (the smaller of their `framesWritten`), whatever the writer does between the two reads.
   */
  readEnding(endFrame: number, frames: number): { channels: Float32Array[]; endFrame: number; torn: boolean } {
    const { end, n, start, first, firstPart } = this.span(endFrame, frames);
    const out = this.data.map((d) => {
      const o = new Float32Array(n);
      o.set(d.subarray(first, first + firstPart), 0);
      if (firstPart < n) o.set(d.subarray(0, n - firstPart), firstPart);
      return o;
    });
    return { channels: out, endFrame: end, torn: this.tornFrom(start) };
  }

  /**
   * readEnding into `into`, interleaved (frame i, channel c at `into[i · channels + c]`), without
   * allocating: the frames copied (at most `into.length / channels`), the end frame, and `torn`.
   */
  readInterleavedEnding(endFrame: number, frames: number, into: Float32Array): { frames: number; endFrame: number; torn: boolean } {
    const nc = this.channels;
    const { end, n, start, first, firstPart } = this.span(endFrame, Math.min(frames, Math.floor(into.length / nc)));
    for (let c = 0; c < nc; c++) {
      const d = this.data[c];
      // Two runs: to the ring's end, then from its start.
      let w = c;
      for (let r = first, e = first + firstPart; r < e; r++, w += nc) into[w] = d[r];
      for (let r = 0, e = n - firstPart; r < e; r++, w += nc) into[w] = d[r];
    }
    return { frames: n, endFrame: end, torn: this.tornFrom(start) };
  }

  /**
   * What a read of up to `frames` frames ending at `endFrame` takes: its end (at most what was written), its
   * length `n` (at most what the ring holds), its first frame, where that lies in the ring, and how many of
   * its frames lie before the ring's end (the rest wrap to its start).
   */
  private span(endFrame: number, frames: number): { end: number; n: number; start: number; first: number; firstPart: number } {
    const end = Math.min(endFrame, this.framesWritten);
    const n = Math.max(0, Math.min(frames, end, this.capacityFrames));
    const start = end - n;
    const first = start % this.capacityFrames;
    return { end, n, start, first, firstPart: Math.min(n, this.capacityFrames - first) };
  }

  /** Whether the writer has overwritten frame `start` by now (a read from it is then discarded). */
  private tornFrom(start: number): boolean {
    return this.framesWritten - start > this.capacityFrames;
  }
}
