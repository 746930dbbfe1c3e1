import { describe, expect, it } from 'vitest';
import { designBiquad } from '../../dsp/biquad.ts';
import { filterSections } from '../spectral/biquadSections.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addNoiseAtSnr, gaussianNoise } from '../testSignals/seededRandom.ts';
import { estimateDelay } from './estimateDelay.ts';

/**
 * The lobe walk of estimateDelay (highestLobe) over a flat envelope with ripples: noise band-passed at 0.2·fs with Q 64
 * (zero phase, four biquads each way) over a white floor 36.5–37 dB down, whose bins straddle the −60 dB mask. Its
 * crests lie 1e-4 apart, and the floor leaves the other polarity's crests about 2e-6 under their neighbours: a walk
 * that looked only half a period either side stopped a carrier period (5 samples) off — 30.15 read as 25.15 and 30.25
 * as 35.25, confidence 0.9998 (8 of 189 delays 30.00–31.00 over floors −34…−45 dB; 6 of 2640 over 0.1–0.42·fs,
 * Q 8–64, two seeds: scripts/estimateDelayNarrowBandSweep.ts). Looking a whole period either side too, every one of them read within
 * 0.001 sample.
 */
describe('estimateDelay on a narrow band over a weak white floor', () => {
  const FRAMES = 12000;
  const sections = Array.from({ length: 4 }, () => designBiquad('bandpass', 0.2, 1, 64));
  const narrow = filterSections(sections, filterSections(sections, gaussianNoise(FRAMES, 0.1, 11)), true);
  const rms = Math.sqrt(narrow.reduce((s, v) => s + v * v, 0) / FRAMES);
  const floor = gaussianNoise(FRAMES, 0.1, 23);
  const overFloor = (floorDb: number) => Float32Array.from(narrow, (v, i) => v + (rms / 0.1) * 10 ** (floorDb / 20) * floor[i]);
  const capture = (reference: Float32Array, delaySamples: number) => {
    const padded = new Float32Array(FRAMES + 600);
    padded.set(reference);
    const y = fractionalDelay(padded, delaySamples);
    addNoiseAtSnr(y, 40, 1);
    return y;
  };

  it.each([
    [-37, [30.15, 30.2]],
    [-36.5, [30.25, 30.65]],
  ])('finds the crest of the envelope, not one a carrier period off, with the floor %d dB down', (floorDb, delays) => {
    const reference = overFloor(floorDb);
    for (const delaySamples of delays) {
      const r = estimateDelay(reference, capture(reference, delaySamples), { maxDelaySamples: 200 });
      expect(r.ok ? Math.abs(r.delaySamples - delaySamples) : Number.NaN, `${delaySamples} samples`).toBeLessThan(0.001);
    }
  });
});
