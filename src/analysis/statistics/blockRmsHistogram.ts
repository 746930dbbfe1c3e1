/** Bins per octave of the histogram: a percentile is placed within 2^(0.5/1024) − 1 = 0.034 % (0.003 dB). */
const BINS_PER_OCTAVE = 1024;
/** Octaves below 1.0 covered (2^-64 ≈ −385 dBFS); values under it share the lowest bin, exact zeros have their own. */
const OCTAVES_BELOW = 64;
const OCTAVES_ABOVE = 8;
const BINS = (OCTAVES_BELOW + OCTAVES_ABOVE) * BINS_PER_OCTAVE + 2;

/**
 * Percentiles of the RMS of consecutive blocks of a signal fed in chunks of any size, in constant memory:
 * block b's RMS is sqrt(Σ x² / B) over frames [bB, (b+1)B) (the trailing partial block is left out),
 * counted in a histogram of 1/1024-octave bins; `percentile(p)` is the centre of the bin holding the
 * block at rank ⌊p/100·(n − 1)⌋ of the sorted RMS values (0 when that block is digital silence).
 * A whole signal and the same signal in chunks give the same histogram, hence the same percentiles.
 */
export class BlockRmsHistogram {
  private readonly counts = new Uint32Array(BINS);
  private blocks = 0;
  private sum = 0;
  private filled = 0;

  constructor(readonly blockFrames: number) {
    if (!(blockFrames >= 1) || !Number.isInteger(blockFrames)) throw new RangeError(`BlockRmsHistogram: blockFrames must be a positive integer, got ${blockFrames}`);
  }

  /** Counts the next frames. */
  push(x: Float32Array): this {
    return this.pushStrided(x, 0, 1, x.length);
  }

  /**
   * Counts the next `frames` frames read from x[start], x[start + stride], …: one channel of an interleaved
   * buffer (start = channel, stride = channels), the same sums in the same order as push() of that channel.
   */
  pushStrided(x: Float32Array, start: number, stride: number, frames: number): this {
    const B = this.blockFrames;
    let sum = this.sum;
    let filled = this.filled;
    for (let i = 0, k = start; i < frames; ) {
      const end = Math.min(frames, i + B - filled);
      filled += end - i;
      for (; i < end; i++, k += stride) sum += x[k] * x[k];
      if (filled === B) {
        this.counts[binOf(Math.sqrt(sum / B))]++;
        this.blocks++;
        sum = 0;
        filled = 0;
      }
    }
    this.sum = sum;
    this.filled = filled;
    return this;
  }

  /** Whole blocks counted. */
  get blockCount(): number {
    return this.blocks;
  }

  /** The p-th percentile (0…100) of the block RMS values, 0 when no block was counted. */
  percentile(p: number): number {
    if (this.blocks === 0) return 0;
    const rank = Math.floor((p / 100) * (this.blocks - 1));
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += this.counts[b];
      if (seen > rank) return b === 0 ? 0 : 2 ** ((b - 1 + 0.5) / BINS_PER_OCTAVE - OCTAVES_BELOW);
    }
    return 2 ** OCTAVES_ABOVE;
  }
}

function binOf(v: number): number {
  if (v === 0) return 0;
  const b = Math.floor((Math.log2(v) + OCTAVES_BELOW) * BINS_PER_OCTAVE) + 1;
  return b < 1 ? 1 : b > BINS - 1 ? BINS - 1 : b;
}
