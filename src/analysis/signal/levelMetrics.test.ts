import { describe, expect, it } from 'vitest';
import { levelMetrics } from './levelMetrics.ts';

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
