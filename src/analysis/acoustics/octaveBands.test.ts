import { describe, expect, it } from 'vitest';
import { sectionsMagnitude } from '../spectral/biquadSections.ts';
import { filterOctaveBand, octaveBands, octaveFilterBank } from './octaveBands.ts';

const db = (v: number): number => 20 * Math.log10(v);

describe('octaveBands', () => {
  it('gives 63 Hz – 8 kHz at 44.1 and 48 kHz and adds 16 kHz at 96 kHz', () => {
    expect(octaveBands(44100).map((b) => b.nominalHz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000]);
    expect(octaveBands(48000).map((b) => b.nominalHz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000]);
    expect(octaveBands(96000).map((b) => b.nominalHz)).toContain(16000);
  });

  it('uses base-10 mid-band frequencies: 1000 Hz exactly, 7943 Hz for "8 kHz"', () => {
    const bands = octaveBands(48000);
    expect(bands[4].centreHz).toBe(1000);
    expect(bands[7].centreHz).toBeCloseTo(7943.28, 1);
    expect(bands[4].upperHz / bands[4].lowerHz).toBeCloseTo(10 ** 0.3, 12);
  });
});

describe('octaveFilterBank', () => {
  for (const fs of [44100, 48000, 96000]) {
    it(`at ${fs} Hz every band is 0 dB at its centre, −3.01 dB at its edges, ≥ 17.5 dB down one octave and ≥ 40.5 dB two octaves away`, () => {
      for (const f of octaveFilterBank(fs)) {
        expect(db(sectionsMagnitude(f.sections, f.centreHz, fs))).toBeCloseTo(0, 4);
        expect(db(sectionsMagnitude(f.sections, f.lowerHz, fs))).toBeCloseTo(-3.0103, 3);
        expect(db(sectionsMagnitude(f.sections, f.upperHz, fs))).toBeCloseTo(-3.0103, 3);
        expect(db(sectionsMagnitude(f.sections, f.centreHz / 2, fs))).toBeLessThan(-17.5);
        if (2 * f.centreHz < fs / 2) expect(db(sectionsMagnitude(f.sections, 2 * f.centreHz, fs))).toBeLessThan(-17.5);
        // Two and three octaves out the analogue prototype gives 43.5 and 62.8 dB; the pre-warped design measures
        // 43.6 dB above and 41.0–41.4 dB below the band two octaves out, 60.1 dB three octaves below.
        expect(db(sectionsMagnitude(f.sections, f.centreHz / 4, fs))).toBeLessThan(-40.5);
        expect(db(sectionsMagnitude(f.sections, f.centreHz / 8, fs))).toBeLessThan(-60);
        if (4 * f.centreHz < fs / 2) expect(db(sectionsMagnitude(f.sections, 4 * f.centreHz, fs))).toBeLessThan(-43);
      }
    });
  }

  it('filters time-reversed: the band response to an impulse rings before it, not after', () => {
    const fs = 48000;
    const f = octaveFilterBank(fs)[1]; // 125 Hz
    const h = new Float64Array(fs);
    h[fs / 2] = 1;
    const y = filterOctaveBand(f, h);
    let before = 0;
    let after = 0;
    for (let i = 0; i < fs / 2; i++) before += y[i] * y[i];
    for (let i = fs / 2 + 1; i < fs; i++) after += y[i] * y[i];
    expect(before / (before + after)).toBeGreaterThan(0.99);
  });
});
