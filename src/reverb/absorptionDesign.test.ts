import { describe, expect, it } from 'vitest';
import { ALLOCATION_TOLERANCE_BYTES, measureAllocation } from '../engine/allocationProbe.ts';
import { achievedRt60Seconds, designAbsorption, jotGain, onePoleMagnitude } from './absorptionDesign.ts';
import { type ShelvedCoefficients, designShelved, designShelvedInto, shelvedMagnitude } from './threeAnchorAbsorption.ts';

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

describe('designShelved (low shelf × one-pole: low, mid and high anchors)', () => {
  /** |H| a Jot design must have at `hz`: 10^(−3·m/(fs·T60)). */
  const jotMagnitude = (m: number, fs: number, rt60: number) => 10 ** ((-3 * m) / (fs * rt60));
  /** Worst relative error of |H| at the three anchors (250, 500, 4000 Hz). */
  const anchorError = (c: ShelvedCoefficients, m: number, fs: number, [tl, tm, th]: readonly number[]) =>
    Math.max(...([[250, tl], [500, tm], [4000, th]] as const).map(([hz, t]) => Math.abs(shelvedMagnitude(c, hz, fs) / jotMagnitude(m, fs, t) - 1)));
  const ANCHOR_LIMIT = 1e-9;
  const cases = [
    { m: 1103, fs: 48000, t: [2.8, 2.2, 1.4] },
    { m: 3217, fs: 44100, t: [4.2, 3.5, 2] },
    { m: 6427, fs: 96000, t: [1.1, 0.9, 0.4] },
    { m: 499, fs: 48000, t: [0.22, 0.3, 0.2] },
    { m: 2039, fs: 96000, t: [1.3, 2, 1.2] },
    { m: 1747, fs: 44100, t: [2, 2, 2] },
  ];
  for (const { m, fs, t } of cases) {
    it(`meets all three anchors within 1e-9 relative in |H| (m ${m}, ${fs} Hz, T60 ${t.join('/')} s at 250/500/4000 Hz)`, () => {
      const c = designShelved(m, fs, t[1], 500, t[2], 4000, t[0], 250);
      expect(c.met).toBe(true);
      expect(anchorError(c, m, fs, t)).toBeLessThan(ANCHOR_LIMIT);
    });
  }

  it('the anchor check fails for the two-anchor one-pole when the low target differs from its curve', () => {
    const { m, fs, t } = cases[0];
    const onePole = designAbsorption(m, fs, t[1], 500, t[2], 4000);
    expect(anchorError({ ...onePole, c0: 1, c1: 0, q: 0 }, m, fs, t)).toBeGreaterThan(1e3 * ANCHOR_LIMIT);
  });

  it('falls back to the two-anchor one-pole (identity shelf, same coefficients) when the low target is out of reach', () => {
    const c = designShelved(3217, 48000, 2, 500, 1.2, 4000, 6, 250);
    const onePole = designAbsorption(3217, 48000, 2, 500, 1.2, 4000);
    expect(c).toEqual({ b0: onePole.b0, pole: onePole.pole, c0: 1, c1: 0, q: 0, met: false });
  });

  it('every design, met or not, decays at every frequency and no slower than twice the slowest anchor', () => {
    const fs = 48000;
    let seed = 17;
    const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    let worstGain = 0;
    let worstRatio = 0;
    for (let k = 0; k < 300; k++) {
      const m = 200 + Math.floor(random() * 6000);
      const t = [0.1 + random() * 8, 0.1 + random() * 8, 0.05 + random() * 8];
      const c = designShelved(m, fs, t[1], 500, t[2], 4000, t[0], 250);
      for (let hz = 0; hz <= fs / 2; hz += hz < 1000 ? 5 : 100) {
        const mag = shelvedMagnitude(c, hz, fs);
        worstGain = Math.max(worstGain, mag);
        worstRatio = Math.max(worstRatio, (-60 * m) / (fs * 20 * Math.log10(mag)) / Math.max(...t));
      }
    }
    expect(worstGain).toBeLessThan(1);
    expect(worstRatio).toBeLessThanOrEqual(2 * (1 + 1e-9));
  });

  it('allocates nothing in the audio-path form (designShelvedInto), measured with the allocation probe', async () => {
    const spec = Float64Array.of(1499, 48000, 2.2, 500, 1.4, 4000, 2.8, 250);
    const out = new Float64Array(6);
    let k = 0;
    const r = await measureAllocation(() => {
      spec[6] = 2 + (k++ % 7) * 0.1;
      designShelvedInto(spec, out);
    }, { calls: 2000, settleMs: 20 });
    expect(r.bytes, `${r.bytes} bytes over ${r.calls} designs`).toBeLessThanOrEqual(ALLOCATION_TOLERANCE_BYTES);
  });
});
