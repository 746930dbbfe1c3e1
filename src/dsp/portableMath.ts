/**
 * Elementary functions that give the same bits on every JavaScript engine.
 *
 * ECMAScript leaves Math.exp/log/pow/sin/cos/atan "implementation-approximated": Node 20's V8 and
 * Chromium 156's V8 return different last bits for some arguments (measured by the AudioWorklet parity
 * test: fft.js's twiddles, the Bark band edges and the codec's scale factors of the lossy engine). An
 * engine whose output must be bit-identical in Node and in a browser computes its coefficients here:
 * only +, −, ×, ÷, Math.floor/round/abs, comparisons and the constants Math.PI/LN2/LN10/LOG2E, which IEEE
 * 754 and ECMAScript define exactly (no fused multiply-add in JavaScript), so the result is a function of
 * the argument alone.
 *
 * Accuracy (against Math.* in portableMath.test.ts, seeded arguments): exp, atan, cosSin within 2 ulp;
 * cosOfTurn/sinOfTurn as close as the test can tell (its Math.cos reference carries ~1e-15 of argument
 * rounding near half a turn; ours reduces the turn exactly and rounds once); `dbToGain` and `pow2` add the rounding of their argument's product
 * (≈ 3.5e-15 relative at −108 dB). Not for hot per-sample loops: each call is a short polynomial.
 */

/** ln 2 split so that k·LN2_HI is exact for |k| < 2¹¹ (Cody & Waite). */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
/** ln 10 / 20: dbToGain(dB) = exp(dB · LN10_OVER_20). */
export const LN10_OVER_20 = Math.LN10 / 20;
const HALF_PI = Math.PI / 2;
const TWO_PI = 2 * Math.PI;

const POW2_BITS = new Float64Array(1);
const POW2_WORDS = new Int32Array(POW2_BITS.buffer);
/** Which Int32 of a Float64 holds the exponent (the high word): 1 on little-endian hosts. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** 2^k for an integer k in [−1022, 1023], exact: the IEEE 754 bits written directly (no call, no loop). */
function exactPow2(k: number): number {
  POW2_WORDS[1 - HIGH_WORD] = 0;
  POW2_WORDS[HIGH_WORD] = (k + 1023) << 20;
  return POW2_BITS[0];
}

/** eʳ for |r| ≤ ln2/2 by its Taylor series to r¹⁴ (truncation < 1e-19 relative), Horner order. */
function expReduced(r: number): number {
  let s = 1 / 87178291200; // 1/14!
  s = s * r + 1 / 6227020800;
  s = s * r + 1 / 479001600;
  s = s * r + 1 / 39916800;
  s = s * r + 1 / 3628800;
  s = s * r + 1 / 362880;
  s = s * r + 1 / 40320;
  s = s * r + 1 / 5040;
  s = s * r + 1 / 720;
  s = s * r + 1 / 120;
  s = s * r + 1 / 24;
  s = s * r + 1 / 6;
  s = s * r + 0.5;
  s = s * r + 1;
  return s * r + 1;
}

/** eˣ, the same bits everywhere; 0 below −745, Infinity above 709.78. */
export function exp(x: number): number {
  if (x !== x) return Number.NaN;
  if (x > 709.782712893384) return Number.POSITIVE_INFINITY;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  return scaleByPow2(expReduced(r), k);
}

/**
 * m·2^k for an integer k in [−2044, 2046]: exact unless the result is subnormal or overflows. Past ±1000
 * the scaling is split in two, so that neither factor overflows or goes subnormal before the product.
 */
function scaleByPow2(m: number, k: number): number {
  if (k > 1000 || k < -1000) {
    const half = k >> 1;
    return m * exactPow2(half) * exactPow2(k - half);
  }
  return m * exactPow2(k);
}

/** 10^(dB/20): a level in decibels as a linear gain, the same bits everywhere. */
export function dbToGain(db: number): number {
  return exp(db * LN10_OVER_20);
}

/** 2ˣ for any real x (integers exactly, subnormal powers included), the same bits everywhere. */
export function pow2(x: number): number {
  if (x !== x) return Number.NaN;
  if (x >= 1024) return Number.POSITIVE_INFINITY;
  if (x < -1075) return 0;
  if (Number.isInteger(x) && x >= -1022) return exactPow2(x);
  const k = Math.floor(x);
  return scaleByPow2(exp((x - k) * Math.LN2), k);
}

/** sin r for |r| ≤ π/4: odd Taylor series to r²³ (truncation < 1e-22). */
function sinReduced(r: number): number {
  const r2 = r * r;
  let s = -1 / 2.585201673888498e22; // −1/23!
  s = s * r2 + 1 / 51090942171709440000;
  s = s * r2 - 1 / 121645100408832000;
  s = s * r2 + 1 / 355687428096000;
  s = s * r2 - 1 / 1307674368000;
  s = s * r2 + 1 / 6227020800;
  s = s * r2 - 1 / 39916800;
  s = s * r2 + 1 / 362880;
  s = s * r2 - 1 / 5040;
  s = s * r2 + 1 / 120;
  s = s * r2 - 1 / 6;
  return r + r * r2 * s;
}

/** cos r for |r| ≤ π/4: even Taylor series to r²² (truncation < 1e-21). */
function cosReduced(r: number): number {
  const r2 = r * r;
  let s = -1 / 1.1240007277776077e21; // −1/22!
  s = s * r2 + 1 / 2432902008176640000;
  s = s * r2 - 1 / 6402373705728000;
  s = s * r2 + 1 / 20922789888000;
  s = s * r2 - 1 / 87178291200;
  s = s * r2 + 1 / 479001600;
  s = s * r2 - 1 / 3628800;
  s = s * r2 + 1 / 40320;
  s = s * r2 - 1 / 720;
  s = s * r2 + 1 / 24;
  s = s * r2 - 0.5;
  return 1 + r2 * s;
}

/**
 * cos and sin of the angle 2π·n/d (n turns of 1/d), reduced to the first octant in exact integer
 * arithmetic, so the one rounded step is (2π/d)·n' with n' ≤ d/8: the twiddles and windows of an FFT of
 * size d, the same bits everywhere. n and d integers, 0 < d < 2⁵⁰.
 */
export function cosSinOfTurn(n: number, d: number, out: { cos: number; sin: number }): void {
  // n mod d in [0, d), then octant: angle = 2π·m/d with m in [0, d).
  let m = n % d;
  if (m < 0) m += d;
  // The nearest multiple of a quarter turn, q = round(4m/d) (from the octant floor(8m/d)), leaves the
  // reduced angle 2π·rem/(4d) in [−π/4, π/4]: rem = 4m − q·d, an exact integer with |rem| ≤ d/2.
  const quarters = Math.floor((Math.floor((8 * m) / d) + 1) / 2);
  const rem = 4 * m - quarters * d;
  rotateByQuarters((TWO_PI * rem) / (4 * d), quarters, out);
}

/** cos and sin of r + q·π/2 for |r| ≤ π/4 and an integer q: the series at r, the quadrant by symmetry. */
function rotateByQuarters(r: number, q: number, out: { cos: number; sin: number }): void {
  const c = cosReduced(r), s = sinReduced(r);
  switch (((q % 4) + 4) % 4) {
    case 0: out.cos = c; out.sin = s; break;
    case 1: out.cos = 0 - s; out.sin = c; break;
    case 2: out.cos = 0 - c; out.sin = 0 - s; break;
    default: out.cos = s; out.sin = 0 - c; break;
  }
}

const scratch = { cos: 0, sin: 0 };

/** cos(2π·n/d), the same bits everywhere (see cosSinOfTurn). */
export function cosOfTurn(n: number, d: number): number {
  cosSinOfTurn(n, d, scratch);
  return scratch.cos;
}

/** sin(2π·n/d), the same bits everywhere (see cosSinOfTurn). */
export function sinOfTurn(n: number, d: number): number {
  cosSinOfTurn(n, d, scratch);
  return scratch.sin;
}

/**
 * cos and sin of any angle x (radians), the same bits everywhere: x = k·π/2 + r with the quadrant k
 * from round(x·2/π) and r = x − k·(π/2) in two parts (Cody–Waite, exact for |k| < 2²⁰), so accurate
 * to about 2 ulp for |x| < 10⁵ — biquad and filter design angles, not astronomy.
 */
export function cosSin(x: number, out: { cos: number; sin: number }): void {
  const k = Math.round(x / HALF_PI);
  rotateByQuarters(x - k * 1.5707963267341256 - k * 6.077100506506192e-11, k, out);
}

/** atan t for |t| ≤ tan(π/24) ≈ 0.1317: odd Taylor series to t²⁹ (truncation < 1e-28). */
function atanReduced(t: number): number {
  const t2 = t * t;
  let s = -1 / 31;
  for (let k = 29; k >= 3; k -= 2) s = s * t2 + ((k - 1) % 4 === 0 ? 1 / k : -1 / k);
  return t + t * t2 * s;
}

/** Anchors a_j = j·π/12 and tan a_j, j = 1…3: atan(x) = a_j + atan((x − tan a_j)/(1 + x·tan a_j)). */
const ANCHOR_ANGLE = [0, 0.2617993877991494, 0.5235987755982988, 0.7853981633974483];
const ANCHOR_TAN = [0, 0.2679491924311227, 0.5773502691896257, 1];
/** tan((2j − 1)·π/24), j = 1…3: the boundaries between anchors. */
const ANCHOR_EDGE = [0.13165249758739583, 0.41421356237309503, 0.7673269879789604];

/**
 * atan x, the same bits everywhere: |x| > 1 → π/2 − atan(1/x); otherwise the nearest anchor j·π/12
 * (j = 0…3) and the series on t = (x − tan a_j)/(1 + x·tan a_j), |t| ≤ tan(π/24).
 */
export function atan(x: number): number {
  if (x !== x) return Number.NaN;
  if (x < 0) return -atan(-x);
  if (x > 1) return HALF_PI - atan(1 / x);
  let j = 0;
  while (j < 3 && x > ANCHOR_EDGE[j]) j++;
  if (j === 0) return atanReduced(x);
  const c = ANCHOR_TAN[j];
  return ANCHOR_ANGLE[j] + atanReduced((x - c) / (1 + c * x));
}

