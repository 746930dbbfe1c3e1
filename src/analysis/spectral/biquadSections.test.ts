import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import type { BiquadCoefficients } from '../../dsp/biquad.ts';
import { filterSections } from './biquadSections.ts';
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

  it('filters time-reversed exactly as reversing, filtering and reversing back', () => {
    for (const s of [sections, generic]) {
      const direct = filterSections(s, x, true);
      const viaCopy = filterSections(s, x.slice().reverse()).reverse();
      for (let i = 0; i < x.length; i += 997) expect(direct[i]).toBeCloseTo(viaCopy[i], 12);
    }
  });
});
