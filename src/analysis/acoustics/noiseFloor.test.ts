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

  it('reads the noise from the last 10 % after the onset: a pre-delay of silence changes nothing', () => {
    // A 1 s decay (T = 1 s) cut before it has sunk into its −50 dB floor: its last 10 % still holds decay energy, so
    // the figure is an overestimate, and a window sized from the whole signal instead of from the onset would differ.
    const h = decayingNoise({ sampleRate: 48000, seconds: 1, rt60Seconds: 1, seed: 2, noiseFloorDb: -50 });
    const N = 48000;
    const delayed = new Float64Array(h.length + N);
    delayed.set(h, N);
    expect(estimateNoiseFloor(schroederIntegral(delayed), 48000, N)).toEqual(estimateNoiseFloor(schroederIntegral(h), 48000, 0));
  });

  it('reports no noise for an empty noise window and no range at all for silence', () => {
    const h = new Float64Array(1000);
    h[0] = 1;
    expect(estimateNoiseFloor(schroederIntegral(h), 48000, 0, 1000)).toMatchObject({ noiseMeanSquare: 0, dynamicRangeDb: Infinity });
    expect(estimateNoiseFloor(schroederIntegral(new Float64Array(1000)), 48000, 0)).toEqual({ noiseMeanSquare: 0, peakMeanSquare: 0, dynamicRangeDb: 0 });
  });
});
