import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import { type BiquadCoefficients, designBiquad } from '../../dsp/biquad.ts';
import { filterSections, sectionsMagnitude } from './biquadSections.ts';
import { designButterworthBandPass } from './butterworthBandPass.ts';

describe('filterSections', () => {
  const sections = designButterworthBandPass(707, 1414, 48000);
  const x = gaussianNoise(20000, 1);
  // The same filter with b1 = 1e-300 skips the fused band-pass path and runs the generic cascade.
  const generic: BiquadCoefficients[] = sections.map((s) => ({ ...s, b1: 1e-300 }));

  it('gives the same output on the fused band-pass path as on the generic cascade (within 1e-12)', () => {
    const fused = filterSections(sections, x);
    const plain = filterSections(generic, x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(fused[i] - plain[i]));
    expect(worst).toBeLessThan(1e-12);
  });

  it('runs any cascade other than three band-pass pairs section by section: the same bits as filtering by each section in turn', () => {
    const lowpass = designBiquad('lowpass', 3000, 48000);
    const peaking = designBiquad('peaking', 500, 48000, 2, 6);
    const shelf = designBiquad('highshelf', 8000, 48000, Math.SQRT1_2, -4);
    const short = x.subarray(0, 2000);
    // And sections with one of the band-pass pair's two marks only (b1 = 0, or b2 = −b0), which are not (1 − z⁻²).
    const b1Zero: BiquadCoefficients = { b0: 0.4, b1: 0, b2: 0.1, a1: -0.6, a2: 0.3 };
    const b2Mirrored: BiquadCoefficients = { b0: 0.4, b1: 0.2, b2: -0.4, a1: -0.6, a2: 0.3 };
    for (const cascade of [[lowpass, peaking, shelf], [sections[0], lowpass, peaking], [sections[0], sections[1], lowpass], [b1Zero, b1Zero, b1Zero], [b2Mirrored, b2Mirrored, b2Mirrored]]) {
      const inTurn = cascade.reduce<Float64Array | Float32Array>((y, section) => filterSections([section], y), short);
      expect(filterSections(cascade, short)).toEqual(inTurn);
    }
  });

  it('gives an impulse through a 4th-order band-pass (two sections: the generic cascade) the magnitude response of its design (within 0.01 dB)', () => {
    const fourth = designButterworthBandPass(707, 1414, 48000, 2);
    const impulse = new Float64Array(8192);
    impulse[0] = 1;
    const h = filterSections(fourth, impulse);
    for (const f of [300, 707, 1000, 1414, 4000]) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < h.length; n++) {
        re += h[n] * Math.cos((2 * Math.PI * f * n) / 48000);
        im -= h[n] * Math.sin((2 * Math.PI * f * n) / 48000);
      }
      expect(Math.abs(10 * Math.log10((re * re + im * im) / sectionsMagnitude(fourth, f, 48000) ** 2))).toBeLessThan(0.01);
    }
  });

  it('filters time-reversed exactly as reversing, filtering and reversing back', () => {
    for (const s of [sections, generic]) {
      const direct = filterSections(s, x, true);
      const viaCopy = filterSections(s, x.slice().reverse()).reverse();
      for (let i = 0; i < x.length; i += 997) expect(direct[i]).toBeCloseTo(viaCopy[i], 12);
    }
  });
});
