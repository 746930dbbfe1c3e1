import { describe, expect, it } from 'vitest';
import { achievedRt60Seconds, designAbsorption, jotGain, onePoleMagnitude } from './absorptionDesign.ts';

describe("Jot's gain", () => {
  it('loses exactly 60 dB over T60 seconds of passes: g^(fs·T60/m) = 10⁻³', () => {
    const m = 1499;
    const g = jotGain(m, 48000, 2);
    expect(20 * Math.log10(g ** ((48000 * 2) / m))).toBeCloseTo(-60, 10);
  });
});

describe('designAbsorption', () => {
  const cases = [
    { m: 1103, fs: 48000, ta: 2, tb: 1 },
    { m: 3217, fs: 44100, ta: 5.5, tb: 3 },
    { m: 6427, fs: 96000, ta: 1, tb: 0.4 },
    { m: 500, fs: 48000, ta: 0.3, tb: 0.3 },
  ];
  for (const { m, fs, ta, tb } of cases) {
    it(`meets both anchors to 1e-9 s (m ${m}, ${fs} Hz, T60 ${ta} s at 500 Hz and ${tb} s at 4 kHz)`, () => {
      const c = designAbsorption(m, fs, ta, 500, tb, 4000);
      expect(achievedRt60Seconds(c, m, 500, fs)).toBeCloseTo(ta, 9);
      expect(achievedRt60Seconds(c, m, 4000, fs)).toBeCloseTo(tb, 9);
      expect(Math.abs(c.pole)).toBeLessThan(1);
    });
  }

  it('is flat (pole 0, b0 = Jot gain) when both anchors are equal', () => {
    const c = designAbsorption(1499, 48000, 2, 500, 2, 4000);
    expect(c.pole).toBe(0);
    expect(c.b0).toBe(jotGain(1499, 48000, 2));
  });

  it('falls back safely when the anchors are out of a one-pole\'s reach: every frequency decays, none more than 2× slower than the slower anchor', () => {
    for (const [ta, tb] of [[30, 0.05], [0.1, 0.105], [0.2, 10]]) {
      const m = 2000;
      const c = designAbsorption(m, 48000, ta, 500, tb, 4000);
      for (const f of [0, 100, 500, 4000, 12000, 24000]) {
        const mag = onePoleMagnitude(c, f, 48000);
        expect(mag, `${ta}/${tb} s at ${f} Hz`).toBeLessThan(1);
        expect(achievedRt60Seconds(c, m, f, 48000)).toBeLessThanOrEqual(2 * Math.max(ta, tb) * (1 + 1e-9));
      }
    }
  });
});
