import { describe, expect, it } from 'vitest';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { KWeightingPair, kWeightingPairWat } from './kWeightingSimd.ts';
import { channelWeightsFromMask, defaultChannelWeights, measureLoudness } from './measureLoudness.ts';
import { toneSegments } from './toneSegments.ts';

/**
 * One −23 dBFS tone for the level and block-count tests. The tests of levels and channel weights skip the 4×
 * oversampled true peak (their property does not involve it; the peak test below measures it): under StrykerJS an
 * instrumented true peak of 3 × 6 channels × 4 s ran this file past vitest's 60 s timeout.
 */
const tone23 = toneSegments(48000, [{ levelDbfs: -23, seconds: 5 }]);
const levelsOnly = { truePeak: false } as const;

describe('measureLoudness', () => {
  it('reads a mono −23 dBFS 1 kHz sine at −26.0 ±0.1 LUFS', () => {
    const r = measureLoudness([tone23], 48000, levelsOnly);

    expect(Math.abs(r.integratedLufs! + 26)).toBeLessThan(0.1);
  });

  it('reports one momentary and one short-term value every 100 ms, complete windows only', () => {
    const r = measureLoudness([tone23, tone23], 48000, levelsOnly);

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
    const tone = toneSegments(48000, [{ levelDbfs: -30, seconds: 1 }]);
    const silent = new Float32Array(tone.length);

    const lfeOnly = measureLoudness([silent, silent, silent, tone, silent, silent], 48000, levelsOnly);
    const surroundOnly = measureLoudness([silent, silent, silent, silent, tone, silent], 48000, levelsOnly);
    const leftOnly = measureLoudness([tone, silent, silent, silent, silent, silent], 48000, levelsOnly);

    expect(defaultChannelWeights(6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(lfeOnly.integratedLufs).toBeNull();
    expect(surroundOnly.integratedLufs! - leftOnly.integratedLufs!).toBeCloseTo(10 * Math.log10(1.41), 6);
  });

  it('uses channel weights passed by the caller', () => {
    const tone = toneSegments(48000, [{ levelDbfs: -30, seconds: 1 }]);

    const r = measureLoudness([tone, tone], 48000, { ...levelsOnly, channelWeights: [1, 0] });

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
    expect(Math.abs(r.truePeakDbtp + 6)).toBeLessThan(0.01);
  });

  it('reads the true peak of a full-scale fs/4 sine at 45° (samples at −3.01 dB) at 0 dBTP ±0.2, and gives the sample peak as the true peak when asked to skip it', () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((Math.PI / 2) * i + Math.PI / 4));

    const r = measureLoudness([x, x], 48000);
    const skipped = measureLoudness([x, x], 48000, { truePeak: false });

    expect(Math.abs(r.samplePeakDbfs + 3.01)).toBeLessThan(0.01);
    expect(Math.abs(r.truePeakDbtp)).toBeLessThan(0.2);
    expect(skipped.truePeakDbtp).toBe(skipped.samplePeakDbfs);
  });

  it('reports the largest momentary and short-term loudness, not the last, when the level falls', () => {
    const x = toneSegments(48000, [{ levelDbfs: -20, seconds: 4 }, { levelDbfs: -40, seconds: 4 }]);

    const r = measureLoudness([x], 48000, levelsOnly);

    expect(r.momentaryMaxLufs).toBe(Math.max(...r.momentaryLufs));
    expect(r.shortTermMaxLufs).toBe(Math.max(...r.shortTermLufs));
    expect(Math.abs(r.momentaryMaxLufs + 23.01)).toBeLessThan(0.1);
    expect(r.momentaryLufs[r.momentaryLufs.length - 1]).toBeLessThan(r.momentaryMaxLufs - 19);
  });

  it('rejects a negative, NaN or infinite channel weight, naming the weights, and accepts a weight of 0', () => {
    const a = new Float32Array(4800);

    for (const bad of [-0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => measureLoudness([a, a], 48000, { channelWeights: [1, bad] })).toThrow(`channelWeights [1, ${bad}] must hold`);
    }
    expect(measureLoudness([a, a], 48000, { channelWeights: [1, 0] }).integratedLufs).toBeNull();
  });

  it('uses a KWeightingPair only at the sample rate it was made for (the same figures to the last bit either way)', () => {
    const x = toneSegments(48000, [{ levelDbfs: -20, seconds: 1 }]);
    const y = toneSegments(48000, [{ levelDbfs: -30, seconds: 1 }]);
    const module = compileWat('kWeighting.wat', kWeightingPairWat());

    const plain = measureLoudness([x, y], 48000, levelsOnly);

    expect(measureLoudness([x, y], 48000, { ...levelsOnly, kWeightingPair: new KWeightingPair(module, 44100) })).toEqual(plain);
    expect(measureLoudness([x, y], 48000, { ...levelsOnly, kWeightingPair: new KWeightingPair(module, 48000) })).toEqual(plain);
  });
});

describe('channelWeightsFromMask', () => {
  it('weights a WAV file\'s declared positions as BS.1770-4 does: LFE 0, the surround pair 1.41, a 7.1 file\'s rear pair 1', () => {
    expect(channelWeightsFromMask(0x3f, 6)).toEqual([1, 1, 1, 0, 1.41, 1.41]); // 5.1: FL FR FC LFE BL BR
    expect(channelWeightsFromMask(0x60f, 6)).toEqual([1, 1, 1, 0, 1.41, 1.41]); // 5.1 (side): FL FR FC LFE SL SR
    expect(channelWeightsFromMask(0x33, 4)).toEqual([1, 1, 1.41, 1.41]); // quad: FL FR BL BR
    expect(channelWeightsFromMask(0x63f, 8)).toEqual([1, 1, 1, 0, 1, 1, 1.41, 1.41]); // 7.1: FL FR FC LFE BL BR SL SR
    expect(channelWeightsFromMask(0x4, 1)).toEqual([1]); // mono, front centre
  });

  it('gives channels past the declared positions weight 1, and stops at the channel count', () => {
    expect(channelWeightsFromMask(0x8, 3)).toEqual([0, 1, 1]);
    expect(channelWeightsFromMask(0x63f, 2)).toEqual([1, 1]);
  });
});
