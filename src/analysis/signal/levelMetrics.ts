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
  let peak = 0;
  let sumSquares = 0;
  let count = 0;
  const perChannel: LevelMetrics[] = [];
  for (const x of channels) {
    let channelPeak = 0;
    let channelSumSquares = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const a = Math.abs(v);
      if (a > channelPeak) channelPeak = a;
      const square = v * v;
      sumSquares += square;
      channelSumSquares += square;
    }
    if (channelPeak > peak) peak = channelPeak;
    count += x.length;
    perChannel.push(levelsOf(channelPeak, channelSumSquares, x.length));
  }
  return { overall: levelsOf(peak, sumSquares, count), perChannel };
}

/**
 * levelMetricsPerChannel's figures from sums taken elsewhere (e.g. TruePeakSteps.levelsAndChunkStats, in
 * WebAssembly): per channel its largest |x|, its Σx² in sample order, and Σx² of it and every channel
 * before it summed on in the same order; the same figures to the last bit when the sums are.
 */
export function levelMetricsFromSums(
  channels: readonly { peak: number; sumSquares: number; overallSumSquares: number }[],
  lengths: readonly number[],
): { overall: LevelMetrics; perChannel: LevelMetrics[] } {
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
