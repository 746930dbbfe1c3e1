import { describe, expect, it } from 'vitest';
import { decayingNoise } from '../signal/seededNoise.ts';
import { estimateNoiseFloor } from './noiseFloor.ts';
import { schroederIntegral } from './schroederIntegral.ts';

describe('estimateNoiseFloor', () => {
  it('reads a −50 dB floor under a 1 s decay within 0.5 dB, and the range above it', () => {
    const h = decayingNoise({ sampleRate: 48000, seconds: 2, rt60Seconds: 0.5, seed: 2, noiseFloorDb: -50 });
    const n = estimateNoiseFloor(schroederIntegral(h), 48000, 0);
    expect(Math.abs(10 * Math.log10(n.noiseMeanSquare) - -50)).toBeLessThan(0.5);
    expect(Math.abs(n.dynamicRangeDb - 50)).toBeLessThan(1);
  });

  it('reports an infinite range over digital silence', () => {
    const h = new Float64Array(1000);
    h[0] = 1;
    expect(estimateNoiseFloor(schroederIntegral(h), 48000, 0).dynamicRangeDb).toBe(Infinity);
  });
});
