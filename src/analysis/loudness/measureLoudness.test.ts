import { describe, expect, it } from 'vitest';
import { defaultChannelWeights, measureLoudness } from './measureLoudness.ts';
import { toneSegments } from './toneSegments.ts';

describe('measureLoudness', () => {
  it('reads a mono −23 dBFS 1 kHz sine at −26.0 ±0.1 LUFS', () => {
    const mono = toneSegments(48000, [{ levelDbfs: -23, seconds: 5 }]);

    const r = measureLoudness([mono], 48000);

    expect(Math.abs(r.integratedLufs! + 26)).toBeLessThan(0.1);
  });

  it('reports one momentary and one short-term value every 100 ms, complete windows only', () => {
    const x = toneSegments(48000, [{ levelDbfs: -23, seconds: 5 }]);

    const r = measureLoudness([x, x], 48000);

    expect(r.momentaryLufs.length).toBe(50 - 3);
    expect(r.shortTermLufs.length).toBe(50 - 29);
  });

  it('reads silence as null integrated loudness and −Infinity levels', () => {
    const silence = new Float32Array(48000 * 4);

    const r = measureLoudness([silence, silence], 48000);

    expect(r.integratedLufs).toBeNull();
    expect(r.momentaryMaxLufs).toBe(-Infinity);
    expect(r.shortTermMaxLufs).toBe(-Infinity);
    expect(r.truePeakDbtp).toBe(-Infinity);
    expect(r.samplePeakDbfs).toBe(-Infinity);
    expect(r.loudnessRangeLu).toBe(0);
  });

  it('excludes the LFE of a 5.1 file (L R C LFE Ls Rs) and weights the surrounds by 1.41', () => {
    const tone = toneSegments(48000, [{ levelDbfs: -30, seconds: 4 }]);
    const silent = new Float32Array(tone.length);

    const lfeOnly = measureLoudness([silent, silent, silent, tone, silent, silent], 48000);
    const surroundOnly = measureLoudness([silent, silent, silent, silent, tone, silent], 48000);
    const leftOnly = measureLoudness([tone, silent, silent, silent, silent, silent], 48000);

    expect(defaultChannelWeights(6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(lfeOnly.integratedLufs).toBeNull();
    expect(surroundOnly.integratedLufs! - leftOnly.integratedLufs!).toBeCloseTo(10 * Math.log10(1.41), 6);
  });

  it('uses channel weights passed by the caller', () => {
    const tone = toneSegments(48000, [{ levelDbfs: -30, seconds: 4 }]);

    const r = measureLoudness([tone, tone], 48000, { channelWeights: [1, 0] });

    expect(Math.abs(r.integratedLufs! + 30 + 3.01)).toBeLessThan(0.1);
  });

  it('rejects mismatched weights and channel lengths with a message naming the problem', () => {
    const a = new Float32Array(100), b = new Float32Array(99);

    expect(() => measureLoudness([a, a], 48000, { channelWeights: [1] })).toThrow(/one finite weight ≥ 0 per channel \(2 channels\)/);
    expect(() => measureLoudness([a, b], 48000)).toThrow(/channel 2 \(from 1\) has 99 frames, channel 1 has 100/);
    expect(() => measureLoudness([], 48000)).toThrow(/no channels/);
  });

  it('refuses non-finite samples instead of returning a made-up number, naming channel and sample', () => {
    const x = toneSegments(48000, [{ levelDbfs: -20, seconds: 1 }]);
    const broken = x.slice();
    broken[1234] = Number.NaN;

    expect(() => measureLoudness([x, broken], 48000)).toThrow(/channel 2 \(from 1\) sample 1234 is NaN/);
  });

  it('reports the sample peak and a true peak at or above it', () => {
    const x = toneSegments(48000, [{ levelDbfs: -6, seconds: 1 }], 997);

    const r = measureLoudness([x], 48000);

    expect(Math.abs(r.samplePeakDbfs + 6)).toBeLessThan(0.01);
    expect(r.truePeakDbtp).toBeGreaterThanOrEqual(r.samplePeakDbfs);
    expect(r.truePeakDbtp + 6).toBeLessThan(0.01);
  });
});
