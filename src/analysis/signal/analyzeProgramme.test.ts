import { describe, expect, it } from 'vitest';
import { analyzeProgramme, analyzeProgrammeConcurrently } from './analyzeProgramme.ts';
import { ProgrammeOffThread } from './programmeOffThread.ts';
import { mulberry32 } from './seededNoise.ts';

const FS = 48000;

describe('analyzeProgramme', () => {
  it('reads a −23 dBFS stereo 1 kHz sine: −23.0 LUFS, crest 3.01 dB, centroid 1 kHz', () => {
    const x = Float32Array.from({ length: 4 * FS }, (_, i) => 10 ** (-23 / 20) * Math.sin((2 * Math.PI * 1000 * i) / FS));
    const p = analyzeProgramme([x, x], FS);
    expect(Math.abs(p.integratedLufs! - -23)).toBeLessThan(0.1);
    expect(p.samplePeakDbfs!).toBeCloseTo(-23, 2);
    expect(p.crestFactorDb!).toBeCloseTo(3.0103, 2);
    expect(Math.abs(p.centroidHz! - 1000)).toBeLessThan(5);
    expect(p.perChannel).toHaveLength(2);
    expect(p.durationSeconds).toBe(4);
    expect(p.loudnessRangeLu).not.toBeNull();
    expect(p.loudnessRangeLu!).toBeCloseTo(0, 1); // a steady tone
  });

  it('weights loudness by the channel weights given (e.g. a file\'s declared positions): [1, 0] leaves one channel, 3.01 LU less', () => {
    const x = Float32Array.from({ length: FS }, (_, i) => 10 ** (-23 / 20) * Math.sin((2 * Math.PI * 1000 * i) / FS));
    const both = analyzeProgramme([x, x], FS);
    const left = analyzeProgramme([x, x], FS, { channelWeights: [1, 0] });
    expect(both.integratedLufs! - left.integratedLufs!).toBeCloseTo(10 * Math.log10(2), 6);
  });

  it('gives null, not −Infinity, for the loudness of a file shorter than the 400 ms window', () => {
    const x = Float32Array.from({ length: FS / 10 }, (_, i) => 0.1 * Math.sin(i));
    const p = analyzeProgramme([x], FS);
    expect(p.momentaryMaxLufs).toBeNull();
    expect(p.integratedLufs).toBeNull();
    expect(p.rmsDbfs).not.toBeNull();
    expect(p.loudnessRangeLu).toBeNull();
    expect(p.durationSeconds).toBe(0.1);
  });

  it('gives no loudness range for 4 s of silence (no block passes the −70 LUFS gate), not 0 LU', () => {
    const p = analyzeProgramme([new Float32Array(4 * FS)], FS);
    expect(p.integratedLufs).toBeNull();
    expect(p.loudnessRangeLu).toBeNull();
  });

  it('names the first non-finite sample (channel, frame) instead of giving figures, on this thread too', async () => {
    const channels = [0, 1].map((c) => Float32Array.from({ length: FS }, (_, i) => 0.1 * Math.sin(0.01 * (c + 1) * i)));
    channels[1][123] = Number.NaN;
    await expect(analyzeProgrammeConcurrently(channels, FS, ProgrammeOffThread.start({ maxSamples: 10 }))).rejects.toThrow(
      'channel 2 holds a non-finite sample (NaN) at frame 123',
    );
  });

  it('gives the same figures to the last bit with the spectrum and true peaks on a worker thread', async () => {
    const next = mulberry32(21);
    // Three channels, 5 s and 3 samples: the level sums run on across channels and end in partial blocks.
    const channels = [0.2, 0.35, 0.1].map((level, c) => {
      const x = new Float32Array(new SharedArrayBuffer(4 * (5 * FS + 3)));
      for (let i = 0; i < x.length; i++) x[i] = level * Math.sin(0.03 * (c + 1) * i) * (1 + Math.sin(i / 9000)) + 0.02 * (next() - 0.5);
      return x;
    });

    const concurrent = await analyzeProgrammeConcurrently(channels, FS, ProgrammeOffThread.start(), { minSamples: 0, requireWorker: true });

    expect(concurrent).toEqual(analyzeProgramme(channels, FS));
    expect(concurrent.truePeakDbtp!).toBeGreaterThan(concurrent.samplePeakDbfs!);
  });
});
