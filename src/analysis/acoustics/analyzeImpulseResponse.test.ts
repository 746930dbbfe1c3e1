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
