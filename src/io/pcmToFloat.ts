/**
 * Integer PCM sample → float32, bit for bit as wavefile's `toBitDepth('32f')` (what `readWav` used before
 * it decoded integer PCM itself, so every figure of `rig analyze` on an integer file stays identical):
 *
 *   v = x / (2^(b−1) − 1) for x > 0, x / 2^(b−1) otherwise (b = bits, 8-bit data already offset by −128),
 *
 * then packed to float32 by wavefile's software encoder. That encoder rounds to nearest even like
 * Math.fround, except where the result is a power of two (|v| ≈ 2^k, e.g. every negative x = −2^j): it
 * takes the exponent from floor(log(v)/ln 2), and when that or the rounding lands on the next binade it
 * writes the mantissa 1 instead of 0 — one ulp above 2^k. `wavefilePowerOfTwo` replays its steps for
 * those values only.
 */
export function pcmToFloatScale(bits: number): (x: number) => number {
  const negativeScale = 2 ** (bits - 1), positiveScale = negativeScale - 1;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  return (x: number): number => {
    const v = x > 0 ? x / positiveScale : x / negativeScale;
    f32[0] = v;
    return (u32[0] & 0x7fffff) === 0 && v !== 0 ? wavefilePowerOfTwo(v) : f32[0];
  };
}

const FRACTION_BITS = 23;
const EXPONENT_BITS = 8;
const BIAS = 127;

function roundToEven(n: number): number {
  const w = Math.floor(n);
  const f = n - w;
  if (f < 0.5) return w;
  if (f > 0.5) return w + 1;
  return w % 2 ? w + 1 : w;
}

/** wavefile's FloatParser(8, 23).pack followed by an exact decode of the bits it writes (normal numbers). */
function wavefilePowerOfTwo(value: number): number {
  const sign = value < 0 ? -1 : 1;
  const num = Math.abs(value);
  let exp = Math.min(Math.floor(Math.log(num) / Math.LN2), 1023);
  let fraction = roundToEven((num / 2 ** exp) * 2 ** FRACTION_BITS);
  if (fraction / 2 ** FRACTION_BITS >= 2) {
    exp += 1;
    fraction = 1;
  }
  exp += BIAS;
  fraction = roundToEven(fraction) - 2 ** FRACTION_BITS;
  // The bit writer takes fraction % 2 and floor(fraction / 2) per bit: a negative fraction leaves its
  // low FRACTION_BITS bits in two's complement, which is how the stray mantissa 1 comes about.
  let mantissa = 0;
  for (let i = 0; i < FRACTION_BITS; i++) {
    if (fraction % 2) mantissa += 2 ** i;
    fraction = Math.floor(fraction / 2);
  }
  let exponent = 0;
  for (let i = 0; i < EXPONENT_BITS; i++) {
    if (exp % 2) exponent += 2 ** i;
    exp = Math.floor(exp / 2);
  }
  return sign * (1 + mantissa / 2 ** FRACTION_BITS) * 2 ** (exponent - BIAS);
}
