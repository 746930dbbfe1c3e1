import type { Samples } from '../signal/samples.ts';

/**
 * Schroeder backward integration (Schroeder, JASA 37, 1965): the energy decay curve
 * EDC(n) = Σ_{k=n}^{end−1} h[k]² + tail, for n in [start, end), returned as a Float64Array indexed from
 * `start`. Accumulated in double precision from the end, so a 60 dB+ decay over 10⁵ samples keeps ~10
 * significant digits at its quietest point (float32 accumulation loses the last 20 dB).
 * `tailEnergyCompensation` is the energy estimated beyond `end` (Lundeby's correction for truncation).
 */
export function schroederIntegral(h: Samples, start = 0, end = h.length, tailEnergyCompensation = 0): Float64Array {
  const n = Math.max(0, end - start);
  const edc = new Float64Array(n);
  let acc = tailEnergyCompensation;
  for (let i = n - 1; i >= 0; i--) {
    const v = h[start + i];
    acc += v * v;
    edc[i] = acc;
  }
  return edc;
}

/** The EDC in dB relative to its first value, 10·log10(EDC(n)/EDC(0)); −Infinity where the energy is 0. */
export function energyDecayDb(edc: Float64Array): Float64Array {
  const out = new Float64Array(edc.length);
  const ref = edc[0];
  const k = 10 / Math.LN10;
  for (let i = 0; i < edc.length; i++) out[i] = edc[i] > 0 ? k * Math.log(edc[i] / ref) : -Infinity;
  return out;
}
