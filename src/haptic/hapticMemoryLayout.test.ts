import { describe, expect, it } from 'vitest';
import { HISTORY_CHUNK_FRAMES, layoutHapticMemory } from './hapticMemoryLayout.ts';

const SIZES = [
  { numTransducers: 32, maxBlockFrames: 128, travellingCapacity: 8, standingCapacity: 4, historyFrames: 200 },
  { numTransducers: 3, maxBlockFrames: 17, travellingCapacity: 0, standingCapacity: 5, historyFrames: 1 },
  { numTransducers: 5, maxBlockFrames: 1, travellingCapacity: 3, standingCapacity: 0, historyFrames: 4411 },
];

describe('layoutHapticMemory', () => {
  it('places every region on a 16-byte boundary, one after another, without overlap, inside the memory', () => {
    for (const sizes of SIZES) {
      const l = layoutHapticMemory(sizes);
      const regions: [number, number][] = [
        [l.outWord, sizes.numTransducers * l.strideFloats],
        [l.busWord, l.strideFloats],
        [l.histWord, sizes.travellingCapacity * l.histLen],
        [l.coefWord, sizes.travellingCapacity * l.coefWords],
        [l.gainsWord, sizes.numTransducers],
        [l.peakWord, sizes.numTransducers],
        [l.sumsqWord, sizes.numTransducers],
        [l.sineWord * 2, 10],
        [l.listWord, 2 * sizes.travellingCapacity],
        [l.mixTableWord, 4 * sizes.numTransducers * sizes.travellingCapacity],
        [l.batchWord * 2, 12 * Math.max(sizes.travellingCapacity, sizes.standingCapacity)],
        [l.tapWord * 2, 2 * (4 + 2 * sizes.numTransducers)],
        [l.fadeWord, sizes.numTransducers * l.strideFloats],
        [l.oldCoefWord, sizes.travellingCapacity * l.coefWords],
        [l.oldListWord, 2 * sizes.travellingCapacity],
      ];
      let end = 0;
      for (const [start, words] of regions) {
        expect(start % 4, `region at word ${start} of ${JSON.stringify(sizes)}`).toBe(0);
        expect(start).toBeGreaterThanOrEqual(end);
        end = start + words;
      }
      expect(end).toBeLessThanOrEqual(l.words);
    }
  });

  it('gives each output block at least maxBlockFrames floats and each history its frames plus a chunk', () => {
    for (const sizes of SIZES) {
      const l = layoutHapticMemory(sizes);
      expect(l.strideFloats).toBeGreaterThanOrEqual(sizes.maxBlockFrames);
      expect(l.strideFloats % 4).toBe(0);
      expect(l.histLen).toBeGreaterThanOrEqual(sizes.historyFrames + HISTORY_CHUNK_FRAMES);
      expect(l.coefWords).toBe(5 * sizes.numTransducers);
    }
  });
});
