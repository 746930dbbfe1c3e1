import { describe, expect, it } from 'vitest';
import { decayingNoise } from '../signal/seededNoise.ts';
import { analyzeImpulseResponse } from './analyzeImpulseResponse.ts';

const FS = 48000;

describe('analyzeImpulseResponse', () => {
  it('analyses each channel, with per-band figures only when asked', () => {
    const a = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 0.5, seed: 1, noiseFloorDb: -70 });
    const b = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 0.25, seed: 2, noiseFloorDb: -70 });
    const plain = analyzeImpulseResponse([a, b], FS);
    expect(plain.channels).toHaveLength(2);
    expect(plain.channels[0].bands).toBeUndefined();
    expect(Math.abs(plain.channels[0].t30Seconds! - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(plain.channels[1].t30Seconds! - 0.25)).toBeLessThan(0.01);
    const banded = analyzeImpulseResponse([a], FS, { bands: true });
    expect(banded.channels[0].bands!.map((x) => x.nominalHz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000]);
  });

  it('reads echo density ≈ 1 for a diffuse (Gaussian) decay', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 1, seed: 3 });
    const c = analyzeImpulseResponse([h], FS).channels[0];
    expect(Math.abs(c.echoDensityEarly! - 1)).toBeLessThan(0.05);
  });
});

describe('analyzeImpulseResponse band limits', () => {
  it('refuses band decays shorter than the band filter resolves (B·T < 4) instead of reporting the filter', () => {
    const h = new Float64Array(FS / 2);
    h[1000] = 1;
    for (let i = 1001; i < 1100; i++) h[i] = 0.5 * Math.exp(-(i - 1000) / 5) * (i % 2 ? 1 : -1);
    const bands = analyzeImpulseResponse([h], FS, { bands: true }).channels[0].bands!;
    const b63 = bands.find((b) => b.nominalHz === 63)!;
    expect(b63.t30Seconds).toBeNull();
    expect(b63.t30).toMatchObject({ ok: false, reason: 'shorter-than-filter' });
  });
});
