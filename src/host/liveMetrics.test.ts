import { describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { estimateRt60Seconds, levelAndSpectrum } from './liveMetrics.ts';

const FS = 48000;

/** `seconds` of seeded noise (or a tone) through the FDN reverb, after 3 s to fill it: [input, output L]. */
function throughReverb(rt60Seconds: number, seconds: number, tone = false): [Float32Array, Float32Array] {
  const e = new FdnReverb({ rt60Seconds, wetDry: 0.3 });
  e.prepare({ sampleRate: FS, maxBlockFrames: 128 });
  const g = new Prng(1);
  const pre = 3 * FS;
  const n = Math.round(seconds * FS) + pre;
  const x = Float32Array.from({ length: n }, (_, i) => 0.25 * (tone ? Math.sin((2 * Math.PI * 440 * i) / FS) : g.nextBipolar()));
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  for (let i = 0; i + 128 <= n; i += 128) e.process([x.subarray(i, i + 128), x.subarray(i, i + 128)], [l.subarray(i, i + 128), r.subarray(i, i + 128)], 128, [], 0);
  return [x.subarray(pre), l.subarray(pre)];
}

describe('live metrics', () => {
  it('estimates the RT60 of a live reverb from its input and output within 10 % (noise input, 9 s)', () => {
    const [x, y] = throughReverb(1, 9);
    const t = estimateRt60Seconds(x, y, FS);
    expect(t).not.toBeNull();
    expect(Math.abs((t as number) - 1)).toBeLessThanOrEqual(0.1);
  });

  it('gives no RT60 estimate for a pure tone (one frequency excites no decay to read)', () => {
    const [x, y] = throughReverb(1, 9, true);
    expect(estimateRt60Seconds(x, y, FS)).toBeNull();
  });

  it('reads the level and spectral figures of a sine: rms a/√2, crest 3.01 dB, centroid at its frequency', () => {
    const a = 0.5;
    const sine = Float32Array.from({ length: FS / 2 }, (_, i) => a * Math.sin((2 * Math.PI * 1000 * i) / FS));
    const m = levelAndSpectrum([sine], FS);
    expect(m.rms).toBeCloseTo(a / Math.SQRT2, 4);
    expect(m.crest_factor).toBeCloseTo(3.01, 2);
    expect(m.spectral_centroid).toBeGreaterThan(990);
    expect(m.spectral_centroid).toBeLessThan(1010);
    expect(levelAndSpectrum([new Float32Array(FS / 10)], FS)).toEqual({ rms: 0, peak: 0 });
  });
});
