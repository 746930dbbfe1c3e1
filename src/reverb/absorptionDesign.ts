/**
 * Decay design of an FDN line (Jot & Chaigne 1991; Smith, PASP "Achieving Desired Reverberation Times").
 *
 * Jot's rule: a line of m samples must lose 60·m/(fs·T60) dB per pass, i.e. gain
 *   g = 10^(−3·m/(fs·T60)).
 * With an orthogonal feedback matrix and these gains every path of total length n samples is scaled by
 * γⁿ, γ = 10^(−3/(fs·T60)), so the whole impulse response is the lossless one times γⁿ.
 *
 * Frequency-dependent decay: each line gets the one-pole H(z) = b0 / (1 − p·z⁻¹), so
 *   |H(ω)|² = b0² / (1 − 2p·cos ω + p²),  achieved T60(ω) = −60·m / (fs·20·log10|H(ω)|).
 * Two targets (T_a at f_a, T_b at f_b) fix the two degrees of freedom exactly: with r = (g_a/g_b)² and
 * c = cos ω, (1 − r)p² − 2(c_b − r·c_a)p + (1 − r) = 0, whose roots multiply to 1; the root inside the
 * unit circle is the pole, and b0 = g_a·√(1 − 2p·c_a + p²). (With the DC/Nyquist pair this is Smith's
 * p = (R0 − Rπ)/(R0 + Rπ) form up to the gain convention.) Every line meets both targets exactly, so all
 * lines agree on T60(ω) at those two frequencies and nearly agree between them; away from the anchors
 * the one-pole shape decides: T60 rises monotonically towards DC and falls towards Nyquist (for
 * T_b < T_a). Per-octave targets between 250 Hz and 4 kHz can therefore only be met as far as they
 * follow that shape — `achievedRt60Seconds` gives the curve the presets' band targets are taken from.
 * Limits: a one-pole can make at most (1 − c_b)/(1 − c_a) more loss in power at f_b than at f_a
 * (about 64× = 18 dB per pass for 500 Hz → 4 kHz) and at most (1 + c_a)/(1 + c_b) less (0.3 dB at
 * 48 kHz): a high target longer than the mid one is out of reach beyond that. For such infeasible
 * anchors the design falls back to a flat decay at the mid target (high longer) or to the pole 0.99
 * (high much shorter). In every case the peak loop gain (DC or Nyquist) is capped at the square root
 * of the larger anchor gain — no frequency decays more than twice as slowly as the slower anchor —
 * and below 1, so the loop always decays.
 * A third (low, 250 Hz) anchor: threeAnchorAbsorption.ts puts a low shelf before this one-pole.
 */

/** Jot's per-line gain for `delaySamples` at `sampleRate` and broadband `rt60Seconds`. */
export function jotGain(delaySamples: number, sampleRate: number, rt60Seconds: number): number {
  return 10 ** ((-3 * delaySamples) / (sampleRate * rt60Seconds));
}

export interface OnePoleCoefficients {
  /** Numerator gain (includes the line's broadband loss). */
  b0: number;
  /** Pole p, |p| < 1: y[n] = b0·x[n] + p·y[n−1]. */
  pole: number;
}

const MAX_POLE = 0.9999;
/** Pole used when the anchors ask for more high-frequency loss than a one-pole can give (≈ 35 dB/decade). */
const INFEASIBLE_POLE = 0.99;
/** The largest loop gain allowed at any frequency, so that even a clamped design decays. */
const MAX_GAIN = 0.999999;

/**
 * One-pole absorption filter of a `delaySamples` line meeting T60 `rt60ASeconds` at `frequencyAHz` and
 * `rt60BSeconds` at `frequencyBHz`.
 */
export function designAbsorption(
  delaySamples: number,
  sampleRate: number,
  rt60ASeconds: number,
  frequencyAHz: number,
  rt60BSeconds: number,
  frequencyBHz: number,
): OnePoleCoefficients {
  const out = new Float64Array(2);
  designAbsorptionInto(Float64Array.of(delaySamples, sampleRate, rt60ASeconds, frequencyAHz, rt60BSeconds, frequencyBHz), out);
  return { b0: out[0], pole: out[1] };
}

/**
 * The same design for the audio path: `spec` = [delaySamples, sampleRate, rt60A, fA, rt60B, fB],
 * writes b0 to out[0] and the pole to out[1]. Arguments travel in typed arrays because a double passed
 * to (or returned from) a call that is not inlined is boxed on the heap.
 */
export function designAbsorptionInto(spec: Float64Array, out: Float64Array): void {
  const m = spec[0];
  const fs = spec[1];
  const ga = 10 ** ((-3 * m) / (fs * spec[2]));
  const gb = 10 ** ((-3 * m) / (fs * spec[4]));
  const ca = Math.cos((2 * Math.PI * Math.min(spec[3], fs / 2)) / fs);
  const cb = Math.cos((2 * Math.PI * Math.min(spec[5], fs / 2)) / fs);
  let pole = 0;
  const r = (ga / gb) * (ga / gb);
  if (Math.abs(1 - r) > 1e-12) {
    const half = (cb - r * ca) / (1 - r);
    if (Math.abs(half) > 1) pole = half - Math.sign(half) * Math.sqrt(half * half - 1);
    else pole = gb > ga ? 0 : INFEASIBLE_POLE; // beyond what a one-pole can shape
    pole = Math.max(-MAX_POLE, Math.min(MAX_POLE, pole));
  }
  let b0 = ga * Math.sqrt(1 - 2 * pole * ca + pole * pole);
  // No frequency may decay more than twice as slowly as the slower anchor (g → √g doubles T60).
  const peak = b0 / (1 - Math.abs(pole));
  const peakLimit = Math.min(MAX_GAIN, Math.sqrt(Math.max(ga, gb)));
  if (peak > peakLimit) b0 *= peakLimit / peak;
  out[0] = b0;
  out[1] = pole;
}

/** |H(ω)| of the one-pole at `frequencyHz`. */
export function onePoleMagnitude(c: OnePoleCoefficients, frequencyHz: number, sampleRate: number): number {
  const cw = Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  return c.b0 / Math.sqrt(1 - 2 * c.pole * cw + c.pole * c.pole);
}

/** T60 that a line of `delaySamples` with absorption `c` achieves at `frequencyHz`: −60·m/(fs·20·log10|H|). */
export function achievedRt60Seconds(c: OnePoleCoefficients, delaySamples: number, frequencyHz: number, sampleRate: number): number {
  return (-60 * delaySamples) / (sampleRate * 20 * Math.log10(onePoleMagnitude(c, frequencyHz, sampleRate)));
}
