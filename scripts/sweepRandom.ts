/**
 * The randomized sweeps' draws (scripts/decaySweep.ts, scripts/loudnessSweep.ts): mulberry32 from `seed`, so a sweep's
 * cases are the same for the same seed (their headers' figures name one). Uniform in [0, 1), a Gaussian by Box–Muller,
 * a pick from a list, a uniform in [lo, hi).
 */
export function sweepRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const uni = (lo: number, hi: number) => lo + (hi - lo) * next();
  return { next, gauss, pick, uni };
}
