import { describe, expect, it } from 'vitest';
import { bandBins, coarsePeak, phat } from './estimateDelay.ts';

/**
 * estimateDelay's steps on given spectra (an M = 16 transform: bins 0 … 8, powers and values chosen so that every
 * comparison is exact): which bins the band and the mask hold, what the PHAT weights are, which lag the coarse search
 * takes. estimateDelay.test.ts shows what they give on signals; these pin what each one reads at the edges.
 */
const M = 16;
const flat = () => new Float64Array(M / 2 + 1).fill(1);

describe('bandBins: the analysis band as bins, and the mask of the bins the reference carries', () => {
  it('spans max(1, ⌈lo·M⌉) … min(M/2 − 1, ⌊hi·M⌋): never DC nor Nyquist, the top bin below Nyquist included', () => {
    expect(bandBins(flat(), M, [0, 0.5])).toEqual({ mask: Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 1, 0]), kLo: 1, kHi: 7 });
    expect(bandBins(flat(), M, [0.1, 0.3])).toEqual({ mask: Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 0, 0]), kLo: 2, kHi: 4 });
  });

  it("masks against the band's strongest bin, also when that is the band's top bin", () => {
    const power = new Float64Array(M / 2 + 1);
    power[7] = 1;
    power[4] = 2e-6;
    power[3] = 1e-7; // over 10⁻⁶ of bin 4, under 10⁻⁶ of bin 7
    expect(bandBins(power, M, [0, 0.5]).mask).toEqual(Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 1, 0]));
  });

  it('leaves out a bin at exactly 10⁻⁶ of the strongest', () => {
    const power = new Float64Array(M / 2 + 1);
    power[2] = 1;
    power[5] = 1e-6;
    expect(bandBins(power, M, [0, 0.5]).mask).toEqual(Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0]));
  });
});

describe('phat: the PHAT weights G/|G| over the mask', () => {
  it("is G/|G| on every masked bin, the band's top bin included, and 0 elsewhere and where G is 0", () => {
    const power = flat();
    power[3] = 0; // out of the mask
    const bins = bandBins(power, M, [0, 0.5]);
    const G = new Float64Array(M + 2);
    G.set([3, 4], 2 * 7);
    G.set([-5, 12], 2 * 2);
    G.set([1, 1], 2 * 3);
    const W = new Float64Array(M + 2).fill(9);

    phat(bins, G, W);

    const expected = new Float64Array(M + 2);
    expected.set([3 / 5, 4 / 5], 2 * 7);
    expected.set([-5 / 13, 12 / 13], 2 * 2);
    expect(W).toEqual(expected);
  });
});

describe('coarsePeak: the lag of the largest |r|', () => {
  const plan = { M, minLag: 0, maxLag: 7 };

  it('takes the earliest of equal peaks (the direct path before an echo as strong), of either sign', () => {
    for (const offset of [0, 1]) {
      const r = new Float64Array(2 * M);
      r[2 * 2 + offset] = 1;
      r[2 * 5 + offset] = -1;
      expect(coarsePeak(plan, r, offset).k, `offset ${offset}`).toBe(2);
      r[2 * 2 + offset] = -1;
      r[2 * 5 + offset] = 1;
      expect(coarsePeak(plan, r, offset), `offset ${offset}`).toMatchObject({ k: 2, sign: -1 });
    }
  });
});
