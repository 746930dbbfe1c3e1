import type { Samples } from './samples.ts';

/** Sample-level figures of a signal, over all channels together. */
export interface LevelMetrics {
  /** Largest |x| over all channels (linear, full scale 1). */
  peak: number;
  peakDbfs: number;
  /** √(mean x²) over every sample of every channel. */
  rms: number;
  rmsDbfs: number;
  /** Peak-to-RMS ratio 20·log10(peak/rms) dB: 3.01 dB for a sine, 0 for a square wave; null for silence. */
  crestFactorDb: number | null;
}

/**
 * Sample peak, RMS and crest factor. Levels are dBFS re a full-scale square wave (a full-scale sine reads
 * −3.01 dB RMS, AES17 would read 0 dB): 20·log10(v), −Infinity for digital silence. Sample peak only;
 * inter-sample (true) peak is the loudness module's business.
 */
export function levelMetrics(channels: Samples[]): LevelMetrics {
  return levelMetricsPerChannel(channels).overall;
}

/**
 * `levelMetrics(channels)` and `levelMetrics([c])` of every channel in one pass over the samples, with
 * the same sums in the same order (so the same figures to the last bit): the overall sum of squares runs
 * on from one channel into the next, each channel's own starts at 0.
 */
export function levelMetricsPerChannel(channels: Samples[]): { overall: LevelMetrics; perChannel: LevelMetrics[] } {
  let overall: number | undefined;
  const sums = channels.map((x) => {
    const s = channelLevelSums(x, overall);
    overall = s.overallSumSquares;
    return s;
  });
  return levelMetricsFromSums(sums, channels.map((x) => x.length));
}

/** One channel's level sums: its largest |x|, Σx² in sample order from 0, and Σx² of it and the channels before it. */
export interface ChannelLevelSums {
  peak: number;
  sumSquares: number;
  /** Σx² summed on from the channels before (sumSquares itself for the first channel). */
  overallSumSquares: number;
}

/** A channel's level sums, its Σx² also summed on from `overallSumSquares` (the channels before it; undefined: it is the first). */
export function channelLevelSums(x: Samples, overallSumSquares: number | undefined): ChannelLevelSums {
  let peak = 0, sumSquares = 0, overall = overallSumSquares ?? 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const a = Math.abs(v);
    if (a > peak) peak = a;
    const square = v * v;
    sumSquares += square;
    overall += square;
  }
  return { peak, sumSquares, overallSumSquares: overallSumSquares === undefined ? sumSquares : overall };
}

/**
 * levelMetricsPerChannel's figures from each channel's sums (channelLevelSums, or
 * TruePeakSteps.levelsAndChunkStats in WebAssembly); the same figures to the last bit when the sums are.
 */
export function levelMetricsFromSums(channels: readonly ChannelLevelSums[], lengths: readonly number[]): { overall: LevelMetrics; perChannel: LevelMetrics[] } {
  let peak = 0;
  let count = 0;
  channels.forEach((c, i) => {
    if (c.peak > peak) peak = c.peak;
    count += lengths[i];
  });
  const sumSquares = channels.length ? channels[channels.length - 1].overallSumSquares : 0;
  return { overall: levelsOf(peak, sumSquares, count), perChannel: channels.map((c, i) => levelsOf(c.peak, c.sumSquares, lengths[i])) };
}

function levelsOf(peak: number, sumSquares: number, count: number): LevelMetrics {
  const rms = count ? Math.sqrt(sumSquares / count) : 0;
  return {
    peak,
    peakDbfs: 20 * Math.log10(peak),
    rms,
    rmsDbfs: 20 * Math.log10(rms),
    crestFactorDb: rms > 0 ? 20 * Math.log10(peak / rms) : null,
  };
}
