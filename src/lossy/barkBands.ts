import { atan } from '../dsp/portableMath.ts';

/**
 * Critical-band rate (Zwicker & Terhardt 1980): z(f) = 13·atan(0.00076·f) + 3.5·atan((f / 7500)²) Bark.
 * atan from portableMath (the same band edges in Node and in a browser). About 1 Bark per 100 Hz below 500 Hz and per ~20 % of frequency above; 24 Bark reach 15.5 kHz.
 */
export function barkOfHz(frequencyHz: number): number {
  const r = frequencyHz / 7500;
  return 13 * atan(0.00076 * frequencyHz) + 3.5 * atan(r * r);
}

/**
 * Assigns every FFT bin 0…frameSize/2 to one of `bandCount` bands spaced evenly in Bark between
 * `lowCutHz` and `highCutHz`, or −1 when the bin lies outside the pass band. Returns the bin → band map
 * and each band's bin count (a band may hold no bin at small frame sizes).
 */
export function assignBarkBands(
  frameSize: number, sampleRate: number, lowCutHz: number, highCutHz: number, bandCount: number,
): { bandOfBin: Int16Array; binsInBand: Int32Array } {
  const bins = frameSize / 2 + 1;
  const bandOfBin = new Int16Array(bins).fill(-1);
  const binsInBand = new Int32Array(bandCount);
  const top = Math.min(highCutHz, sampleRate / 2);
  const zLow = barkOfHz(lowCutHz);
  const zHigh = barkOfHz(top);
  for (let k = 0; k < bins; k++) {
    const f = (k * sampleRate) / frameSize;
    if (f < lowCutHz || f > top || zHigh <= zLow) continue;
    const b = Math.min(bandCount - 1, Math.floor(((barkOfHz(f) - zLow) / (zHigh - zLow)) * bandCount));
    bandOfBin[k] = b;
    binsInBand[b]++;
  }
  return { bandOfBin, binsInBand };
}
