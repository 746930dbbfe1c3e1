import { describe, expect, it } from 'vitest';
import { levelMetrics, levelMetricsPerChannel } from './levelMetrics.ts';

describe('levelMetrics', () => {
  it('reads a full-scale sine as peak 0 dBFS, RMS −3.01 dBFS, crest 3.01 dB', () => {
    const x = Float64Array.from({ length: 48000 }, (_, i) => Math.cos((2 * Math.PI * 1000 * i) / 48000));
    const m = levelMetrics([x]);
    expect(m.peakDbfs).toBeCloseTo(0, 4);
    expect(m.rmsDbfs).toBeCloseTo(-3.0103, 3);
    expect(m.crestFactorDb!).toBeCloseTo(3.0103, 3);
  });

  it('reads a square wave as crest 0 dB and takes the peak over all channels', () => {
    const sq = Float64Array.from({ length: 1000 }, (_, i) => (i % 20 < 10 ? 0.5 : -0.5));
    const quiet = new Float64Array(1000).fill(0.1);
    expect(levelMetrics([sq]).crestFactorDb).toBeCloseTo(0, 12);
    expect(levelMetrics([quiet, sq]).peak).toBe(0.5);
  });

  it('gives −Infinity levels and no crest factor for silence', () => {
    const m = levelMetrics([new Float32Array(100)]);
    expect(m.peakDbfs).toBe(-Infinity);
    expect(m.crestFactorDb).toBeNull();
  });
});

describe('levelMetricsPerChannel', () => {
  it('gives to the last bit the sums of all channels in order and of each channel alone', () => {
    const channels = [0.3, 0.7, 0.05].map((a, c) => Float32Array.from({ length: 4801 }, (_, i) => a * Math.sin(0.01 * (c + 1) * i + c)));
    const { overall, perChannel } = levelMetricsPerChannel(channels);
    let sumSquares = 0;
    for (const x of channels) for (const v of x) sumSquares += v * v;
    expect(overall.rms).toBe(Math.sqrt(sumSquares / (3 * 4801)));
    expect(overall.peak).toBe(Math.max(...channels.map((x) => Math.max(...x.map(Math.abs)))));
    channels.forEach((c, i) => expect(perChannel[i], `channel ${i + 1}`).toEqual(levelMetrics([c])));
  });
});
