import type { BiquadCoefficients } from '../../dsp/biquad.ts';
import { sectionsMagnitude } from './biquadSections.ts';

interface Complex { re: number; im: number }
const mul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const sqrtC = (a: Complex): Complex => {
  const r = Math.hypot(a.re, a.im);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sign(a.im || 1) * Math.sqrt(Math.max(0, (r - a.re) / 2));
  return { re, im };
};
const div = (a: Complex, b: Complex): Complex => {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
};

/**
 * Digital Butterworth band-pass of order 2N (N = `prototypeOrder`, 3 → 6th order, the common realisation
 * of an IEC 61260 octave filter; class-1 compliance is not verified here) between `lowerHz` and `upperHz`, designed for the actual sample
 * rate and returned as N second-order sections:
 *  - analogue low-pass prototype poles p_k = exp(jπ(2k + N + 1)/(2N)), k = 0…N−1;
 *  - band edges pre-warped, Ω = 2fs·tan(πf/fs), so the −3 dB points land exactly on lowerHz and upperHz;
 *  - low-pass → band-pass: each p gives the roots of s² − p·B·s + Ω0² (B = Ω_u − Ω_l, Ω0² = Ω_l·Ω_u);
 *  - bilinear transform z = (2fs + s)/(2fs − s); zeros at z = ±1, so each section is g·(1 − z⁻²)/A(z), A from a
 *    conjugate pair of poles or, for the real prototype pole over a band wider than ~2.5 octaves, from two real ones;
 *  - each section scaled to unit gain at the centre, so the cascade is exactly 0 dB there.
 * Measured at 48 kHz for the 1 kHz octave: −3.01 dB at both edges, about −19.6 dB one octave
 * (analogue value 10·log10(1 + 2.12⁶)) from the centre.
 */
export function designButterworthBandPass(lowerHz: number, upperHz: number, sampleRate: number, prototypeOrder = 3): BiquadCoefficients[] {
  if (!(lowerHz > 0 && upperHz > lowerHz && upperHz < sampleRate / 2)) {
    throw new RangeError(`band-pass edges must satisfy 0 < lower < upper < fs/2; got ${lowerHz}–${upperHz} Hz at ${sampleRate} Hz`);
  }
  const fs2 = 2 * sampleRate;
  const wl = fs2 * Math.tan((Math.PI * lowerHz) / sampleRate);
  const wu = fs2 * Math.tan((Math.PI * upperHz) / sampleRate);
  const bw = wu - wl;
  const w0sq = wl * wu;
  const centreHz = (sampleRate / Math.PI) * Math.atan(Math.sqrt(w0sq) / fs2);
  const bilinear = (s: Complex): Complex => div({ re: fs2 + s.re, im: s.im }, { re: fs2 - s.re, im: -s.im });
  // Each section's denominator 1 + a1·z⁻¹ + a2·z⁻², from a conjugate pair of poles z, z*: a1 = −2·Re z, a2 = |z|².
  const denominators: { a1: number; a2: number }[] = [];
  for (let k = 0; k < prototypeOrder; k++) {
    if (2 * k + 1 === prototypeOrder && bw * bw >= 4 * w0sq) {
      // The real prototype pole p = −1 of an odd order over a band with B ≥ 2Ω0 (wider than ~2.5 octaves): the roots of
      // s² + B·s + Ω0² are two real poles, which make one section, a1 = −(z1 + z2), a2 = z1·z2 (apart, each would be a
      // double pole: an 8th-order filter −6 dB at the edges).
      const root = Math.sqrt(bw * bw - 4 * w0sq);
      const z1 = bilinear({ re: (-bw + root) / 2, im: 0 }).re;
      const z2 = bilinear({ re: (-bw - root) / 2, im: 0 }).re;
      denominators.push({ a1: -(z1 + z2), a2: z1 * z2 });
      continue;
    }
    const theta = (Math.PI * (2 * k + prototypeOrder + 1)) / (2 * prototypeOrder);
    const p: Complex = { re: Math.cos(theta), im: Math.sin(theta) };
    const pb = { re: p.re * bw, im: p.im * bw };
    const disc = sqrtC({ re: pb.re * pb.re - pb.im * pb.im - 4 * w0sq, im: 2 * pb.re * pb.im });
    for (const s of [{ re: (pb.re + disc.re) / 2, im: (pb.im + disc.im) / 2 }, { re: (pb.re - disc.re) / 2, im: (pb.im - disc.im) / 2 }]) {
      if (s.im < 0) continue; // keep one of each conjugate pair
      const z = bilinear(s);
      denominators.push({ a1: -2 * z.re, a2: mul(z, { re: z.re, im: -z.im }).re });
    }
  }
  return denominators.map(({ a1, a2 }) => {
    const section: BiquadCoefficients = { b0: 1, b1: 0, b2: -1, a1, a2 };
    const g = 1 / sectionsMagnitude([section], centreHz, sampleRate);
    return { ...section, b0: g, b2: -g };
  });
}
