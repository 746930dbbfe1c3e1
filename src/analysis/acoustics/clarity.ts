/**
 * Early-to-late energy figures of ISO 3382-1 (A.2.4–A.2.5), read from a Schroeder integral `edc` that
 * starts at the onset (EDC(n) = energy from sample n on, tail compensation included):
 *   C_te = 10·log10(E(0…te) / E(te…∞)) = 10·log10((EDC(0) − EDC(te)) / EDC(te)) dB,
 *   D50  = E(0…50 ms) / E(0…∞).
 * For an exponential decay of reverberation time T, C_te = 10·log10(exp(13.8155·te/T) − 1):
 * T = 1 s gives C50 = −0.021 dB, C80 = 3.053 dB, D50 = 0.499; T = 0.5 s gives C80 = 9.096 dB.
 * Returns null when the response is shorter than te (no late part to compare with).
 */
export function clarityDb(edc: Float64Array, sampleRate: number, earlySeconds: number): number | null {
  const te = Math.round(earlySeconds * sampleRate);
  if (te >= edc.length || !(edc[te] > 0)) return null;
  return 10 * Math.log10((edc[0] - edc[te]) / edc[te]);
}

/** Definition D50 (Deutlichkeit), the fraction of the energy in the first 50 ms, in [0, 1]; null if too short. */
export function definition(edc: Float64Array, sampleRate: number, earlySeconds = 0.05): number | null {
  const te = Math.round(earlySeconds * sampleRate);
  if (te >= edc.length || !(edc[0] > 0)) return null;
  return (edc[0] - edc[te]) / edc[0];
}
