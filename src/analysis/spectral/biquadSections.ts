import { type BiquadCoefficients, biquadMagnitude } from '../../dsp/biquad.ts';
import type { Samples } from '../signal/samples.ts';

const isBandPassPair = (s: BiquadCoefficients): boolean => s.b1 === 0 && s.b2 === -s.b0;

/**
 * Runs x through the cascade `sections` in double precision and returns a new Float64Array.
 * With `timeReversed` the recursion runs from the last sample to the first (anticausal filtering): the
 * magnitude response is unchanged and the phase is conjugated, so a filter's own ringing lands *before*
 * each event instead of after it — the choice for reverberation times shorter than the filter's decay
 * (Jacobsen & Rindel, "Time reversed decay measurements", JSV 117, 1987).
 *
 * Three band-pass sections g·(1 − z⁻²)/A(z) — the 6th-order Butterworth octave filter — take a fused
 * direct-form-I path with the gains pulled out, y = G·Π 1/A_k applied to (x[n] − x[n−2]): one pass over the
 * samples whose three recursions overlap in the CPU (17 ms instead of 63 ms for eight 240 000-sample
 * bands on the 2-core CI machine). Anything else runs section by section in transposed direct form II.
 */
export function filterSections(sections: readonly BiquadCoefficients[], x: Samples, timeReversed = false): Float64Array {
  const n = x.length;
  const y = new Float64Array(n);
  const start = timeReversed ? n - 1 : 0;
  const step = timeReversed ? -1 : 1;
  if (sections.length === 3 && sections.every(isBandPassPair)) {
    const [p, q, r] = sections;
    const g = p.b0 * q.b0 * r.b0;
    const pa1 = p.a1, pa2 = p.a2, qa1 = q.a1, qa2 = q.a2, ra1 = r.a1, ra2 = r.a2;
    let v1 = 0, v2 = 0, p1 = 0, p2 = 0, q1 = 0, q2 = 0, r1 = 0, r2 = 0;
    for (let k = 0, i = start; k < n; k++, i += step) {
      const v = x[i];
      const pv = v - v2 - pa1 * p1 - pa2 * p2;
      const qv = pv - p2 - qa1 * q1 - qa2 * q2;
      const rv = qv - q2 - ra1 * r1 - ra2 * r2;
      v2 = v1; v1 = v; p2 = p1; p1 = pv; q2 = q1; q1 = qv; r2 = r1; r1 = rv;
      y[i] = g * rv;
    }
    return y;
  }
  y.set(x);
  for (const { b0, b1, b2, a1, a2 } of sections) {
    let s1 = 0;
    let s2 = 0;
    for (let k = 0, i = start; k < n; k++, i += step) {
      const v = y[i];
      const out = b0 * v + s1;
      s1 = b1 * v - a1 * out + s2;
      s2 = b2 * v - a2 * out;
      y[i] = out;
    }
  }
  return y;
}

/** |H(e^{jω})| of the cascade at `frequencyHz`: the product of its sections' magnitudes. */
export function sectionsMagnitude(sections: readonly BiquadCoefficients[], frequencyHz: number, sampleRate: number): number {
  let mag = 1;
  for (const section of sections) mag *= biquadMagnitude(section, frequencyHz, sampleRate);
  return mag;
}
