import { type BiquadType, designBiquad } from '../../dsp/biquad.ts';
import { filterSections } from '../spectral/biquadSections.ts';

/**
 * `x` through `count` copies of a biquad (`cyclesPerSample` its frequency, `q` its Q), forward then backward: a test
 * signal band-limited with zero phase, so it has no delay of its own (a delay measured on it is the one put in). The
 * magnitude is the cascade's squared (a band-pass peaks at 1 at its centre).
 */
export function zeroPhase(type: BiquadType, cyclesPerSample: number, x: Float32Array, q = Math.SQRT1_2, count = 4): Float64Array {
  const sections = Array.from({ length: count }, () => designBiquad(type, cyclesPerSample, 1, q));
  return filterSections(sections, filterSections(sections, x), true);
}
