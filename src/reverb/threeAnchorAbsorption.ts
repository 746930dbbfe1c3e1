import { designAbsorptionInto } from './absorptionDesign.ts';

/**
 * Low/mid/high decay design of an FDN line: a first-order low shelf S followed by the one-pole P of
 * absorptionDesign.ts (shelvedKernels.ts runs them as two first-order sections),
 *   H(z) = S(z)·P(z) = (c0 + c1·z⁻¹)/(1 − q·z⁻¹) · g/(1 − p·z⁻¹).
 * Shelf: the bilinear transform of (s + ω_c√K)/(s + ω_c/√K), amplitude K at DC, √K at its corner
 * ω_c, 1 at Nyquist; the corner sits at √(f_low·f_mid) (354 Hz). With t = tan(ω_c/2), τ = tan²(ω/2):
 *   |S|² = (τ + K·t²)/(τ + t²/K),  c0 = (1 + t√K)/(1 + t/√K),  c1 = (t√K − 1)/(1 + t/√K),  q = (1 − t/√K)/(1 + t/√K).
 * One-pole: |P|² = g²/((1 − p)² + 2p·v), v = 1 − cos ω = 2sin²(ω/2) (no cancellation near DC); power
 * targets A_a at v_a and A_b at v_b give (1 − p)² = 2pμ, μ = (A_b·v_b − A_a·v_a)/(A_a − A_b), so
 * p = 1/((1 + μ) + √(μ(μ + 2))) (μ > 0) or 1/((1 + μ) − √(μ(μ + 2))) (μ < −2), g² = A_a·((1 − p)² + 2p·v_a).
 * Jot's rule asks the power gain G_k = 10^(−6·m/(fs·T_k)) at the low, mid and high anchors. The design
 * is a fixed point in K: P meets mid and high after the shelf's share there is divided out
 * (A = G/|S|², closed form above), then K is the root of t²K² + τ_L(1 − Y)K − Y·t² = 0,
 * Y = G_low/|P(low)|², so that S·P meets the low anchor. The secant method on K converges in 4…6 steps
 * (at most 32, to |ΔK| ≤ 1e-15·K): mid and high are met exactly, low to rounding. Measured: all three
 * anchors within 4e-13 relative in T60 (and |H|) at 44.1/48/96 kHz (absorptionDesign.test.ts).
 * Allocates nothing (doubles travel in typed arrays).
 *
 * Feasibility: the shelf gives longer or shorter lows, so T60 need not be monotone; the one-pole keeps
 * its mid/high limits (absorptionDesign.ts), now after the shelf's share: a low boost also lengthens
 * mid more than high, so it needs the high target somewhat shorter than the mid one. As for the
 * one-pole, no frequency may decay more than twice as slowly as the slowest anchor and every loop gain
 * stays below 1, checked on a rigorous bound of max|S·P| (both factors are monotone in ω: on each
 * interval of a 64-point grid the product is below the product of their larger end values). Measured
 * (FDN-16 lines of 23…67 ms, T_mid 2 s, at 44.1, 48 and 96 kHz): with T_high 1.2 s every line meets a
 * low target from 0.58·T_mid to 1.5·T_mid; with T_high 0.6 s from 0.53 to 1.52; with T_high = T_mid
 * only from 0.61 to 1.0 (a boost would need a high target longer than mid). T60 at DC is then up to
 * 2·T_low; between mid and high the shelf's tail shortens 1–2 kHz somewhat below the one-pole curve
 * (T 3/2.2/1.4 s at 250/500/4000 Hz gives 1.85 s at 1 kHz and 1.67 s at 2 kHz).
 * Fallback: anchors out of reach give the line the two-anchor one-pole of mid and high and the identity
 * shelf (c0 = 1, c1 = q = 0, out[5] = 0): the low target is then not met; `designShelved(...).met` says so.
 */

/** The largest loop gain allowed at any frequency, so that every design decays (as absorptionDesign.ts). */
const MAX_GAIN = 0.999999;
const MAX_STEPS = 32;

export interface ShelvedCoefficients {
  /** One-pole gain g (the line's loss included) and pole p. */
  b0: number;
  pole: number;
  /** Shelf u[n] = c0·x[n] + c1·x[n−1] + q·u[n−1]. */
  c0: number;
  c1: number;
  q: number;
}

/**
 * For the audio path: `spec` = [delaySamples, sampleRate, rt60Mid, midHz, rt60High, highHz, rt60Low,
 * lowHz]; writes out[0…5] = g, p, c0, c1, q, and 1 when the three anchors are met (0: the one-pole
 * fallback of mid and high, identity shelf). Arguments travel in typed arrays so that no double is boxed.
 */
export function designShelvedInto(spec: Float64Array, out: Float64Array): void {
  const st = solved;
  const m = spec[0];
  const fs = spec[1];
  const gM = 10 ** ((-6 * m) / (fs * spec[2]));
  const gH = 10 ** ((-6 * m) / (fs * spec[4]));
  const gL = 10 ** ((-6 * m) / (fs * spec[6]));
  const sM = Math.sin((Math.PI * Math.min(spec[3], fs / 2)) / fs);
  const sH = Math.sin((Math.PI * Math.min(spec[5], fs / 2)) / fs);
  const sL = Math.sin((Math.PI * Math.min(spec[7], fs / 2)) / fs);
  const vM = 2 * sM * sM;
  const vH = 2 * sH * sH;
  const vL = 2 * sL * sL;
  const t = Math.tan((Math.PI * Math.min(Math.sqrt(spec[3] * spec[7]), 0.45 * fs)) / fs);
  const t2 = t * t;
  st[GM] = gM; st[GH] = gH; st[GL] = gL; st[VM] = vM; st[VH] = vH; st[VL] = vL;
  st[TM] = vM / (2 - vM); st[TH] = vH / (2 - vH); st[TL] = vL / (2 - vL); st[T2] = t2;
  // Secant on h(K) = F(K) − K, F the fixed-point map described above (converges in 4…6 steps).
  let k0 = 1;
  st[K] = k0;
  shelfFixedPoint();
  let h0 = st[NEXT] - k0;
  let k1 = k0 + h0;
  let ok = false;
  for (let step = 0; step < MAX_STEPS && k1 > 0 && k1 < 1e6; step++) {
    st[K] = k1;
    shelfFixedPoint();
    const h1 = st[NEXT] - k1;
    if (!(Math.abs(h1) > 1e-15 * k1)) {
      ok = h1 === h1; // NaN: the one-pole could not meet mid/high
      break;
    }
    const k2 = k1 - (h1 * (k1 - k0)) / (h1 - h0);
    k0 = k1;
    h0 = h1;
    k1 = k2;
  }
  if (ok) {
    st[K] = k1;
    shelfFixedPoint(); // leaves the one-pole of this K in st[P], st[G2]
    peakGain();
    const slowest = Math.max(gL, gM, gH);
    ok = st[PEAK] <= Math.min(MAX_GAIN, Math.sqrt(Math.sqrt(slowest)));
  }
  if (!ok) {
    designAbsorptionInto(spec, out); // reads spec[0…5]: the mid/high one-pole
    out[2] = 1;
    out[3] = 0;
    out[4] = 0;
    out[5] = 0;
    return;
  }
  const sk = Math.sqrt(k1);
  const norm = 1 / (1 + t / sk);
  out[0] = Math.sqrt(st[G2]);
  out[1] = st[P];
  out[2] = (1 + t * sk) * norm;
  out[3] = (t * sk - 1) * norm;
  out[4] = (1 - t / sk) * norm;
  out[5] = 1;
}

/**
 * Design state shared with the helpers: doubles live in a typed array, because a double passed to or
 * returned from a call that is not inlined is boxed on the heap (measured: ~200 bytes per design).
 */
const solved = new Float64Array(15);
const GM = 0, GH = 1, GL = 2, VM = 3, VH = 4, VL = 5, TM = 6, TH = 7, TL = 8, T2 = 9, P = 10, G2 = 11, K = 12, NEXT = 13, PEAK = 14;

/**
 * The fixed-point map at K = solved[K]: the one-pole (p, g²) meeting mid and high with the shelf's
 * share divided out, then the K whose shelf meets the low anchor with that one-pole (into solved[NEXT];
 * NaN when the one-pole cannot meet mid and high).
 */
function shelfFixedPoint(): void {
  const st = solved;
  const k = st[K];
  const t2 = st[T2];
  const aM = (st[GM] * (st[TM] + t2 / k)) / (st[TM] + t2 * k);
  const aH = (st[GH] * (st[TH] + t2 / k)) / (st[TH] + t2 * k);
  let p = Number.NaN;
  if (aM === aH) p = 0;
  else {
    const mu = (aH * st[VH] - aM * st[VM]) / (aM - aH);
    if (mu > 0) p = 1 / (1 + mu + Math.sqrt(mu * (mu + 2)));
    else if (mu < -2) p = 1 / (1 + mu - Math.sqrt(mu * (mu + 2)));
  }
  const g2 = aM * ((1 - p) * (1 - p) + 2 * p * st[VM]);
  st[P] = p;
  st[G2] = g2;
  const y = (st[GL] * ((1 - p) * (1 - p) + 2 * p * st[VL])) / g2; // |S|² wanted at the low anchor
  const tau = st[TL];
  st[NEXT] = (tau * (y - 1) + Math.sqrt(tau * tau * (y - 1) * (y - 1) + 4 * y * t2 * t2)) / (2 * t2);
}

const PEAK_GRID = 64;

/**
 * An upper bound of max over ω of |S·P| into solved[PEAK]: both sections are monotone in ω, so on
 * each interval of a grid (DC, then 64 log-spaced values of v from 2e-6 to 2 = Nyquist) their product
 * is below the product of their larger end values. Exact when both peak at DC.
 */
function peakGain(): void {
  const st = solved;
  const k = st[K];
  const t2 = st[T2];
  const p = st[P];
  const g2 = st[G2];
  let peak = 0;
  let prevS = k * k;
  let prevP = g2 / ((1 - p) * (1 - p));
  for (let j = 0; j <= PEAK_GRID; j++) {
    const v = 2 * 1e-6 ** (1 - j / PEAK_GRID);
    const tau = v / (2 - v);
    const s2 = j === PEAK_GRID ? 1 : (tau + t2 * k) / (tau + t2 / k);
    const p2 = g2 / ((1 - p) * (1 - p) + 2 * p * v);
    const bound = Math.max(prevS, s2) * Math.max(prevP, p2);
    if (bound > peak) peak = bound;
    prevS = s2;
    prevP = p2;
  }
  st[PEAK] = Math.sqrt(peak);
}

/** v = 1 − cos ω = 2·sin²(ω/2) at `frequencyHz` (clamped to Nyquist). */
function halfVersine(frequencyHz: number, sampleRate: number): number {
  const s = Math.sin((Math.PI * Math.min(frequencyHz, sampleRate / 2)) / sampleRate);
  return 2 * s * s;
}

/**
 * Shelf × one-pole absorption of a `delaySamples` line meeting `rt60MidSeconds` at `midHz`,
 * `rt60HighSeconds` at `highHz` and `rt60LowSeconds` at `lowHz` (`met` false: the two-anchor fallback).
 */
export function designShelved(
  delaySamples: number, sampleRate: number,
  rt60MidSeconds: number, midHz: number, rt60HighSeconds: number, highHz: number, rt60LowSeconds: number, lowHz: number,
): ShelvedCoefficients & { met: boolean } {
  const out = new Float64Array(6);
  designShelvedInto(Float64Array.of(delaySamples, sampleRate, rt60MidSeconds, midHz, rt60HighSeconds, highHz, rt60LowSeconds, lowHz), out);
  return { b0: out[0], pole: out[1], c0: out[2], c1: out[3], q: out[4], met: out[5] === 1 };
}

/** |S(ω)·P(ω)| at `frequencyHz` (c0 = 1, c1 = q = 0: the one-pole alone), from v = 1 − cos ω. */
export function shelvedMagnitude(c: ShelvedCoefficients, frequencyHz: number, sampleRate: number): number {
  const v = halfVersine(frequencyHz, sampleRate);
  const shelf = ((c.c0 + c.c1) * (c.c0 + c.c1) - 2 * c.c0 * c.c1 * v) / ((1 - c.q) * (1 - c.q) + 2 * c.q * v);
  const onePole = (c.b0 * c.b0) / ((1 - c.pole) * (1 - c.pole) + 2 * c.pole * v);
  return Math.sqrt(shelf * onePole);
}
