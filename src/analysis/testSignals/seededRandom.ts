/**
 * A seeded pseudo-random generator (mulberry32: 32-bit state, period 2³², passes PractRand to 2³² bytes)
 * and a Gaussian generator on top of it (Marsaglia's polar method). Every test signal in the project is
 * built from these, so a failing case is replayed from its seed alone.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (mean 0, variance 1). */
  gaussian(): number;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  let spare = 0;
  let hasSpare = false;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    gaussian: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * m;
      hasSpare = true;
      return u * m;
    },
  };
}

/**
 * Adds `rms`·N(0, 1) to every sample of `out` (polar method with mulberry32 inlined: the same numbers as
 * `seededRandom(seed).gaussian()` in turn, ~10× faster than calling it per sample, for minutes of signal).
 */
export function addGaussianNoise(out: Float32Array, rms: number, seed: number): Float32Array {
  let state = seed >>> 0;
  for (let i = 0; i < out.length; ) {
    let u: number;
    let v: number;
    let q: number;
    do {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      u = (2 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296 - 1;
      state = (state + 0x6d2b79f5) >>> 0;
      t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      v = (2 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296 - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const m = rms * Math.sqrt((-2 * Math.log(q)) / q);
    out[i++] += u * m;
    if (i < out.length) out[i++] += v * m;
  }
  return out;
}

/** `frames` samples of Gaussian white noise with the given RMS, from `seed`. */
export function gaussianNoise(frames: number, rms: number, seed: number): Float32Array {
  return addGaussianNoise(new Float32Array(frames), rms, seed);
}

/** Adds Gaussian noise to `signal` (in place) so that signal RMS / noise RMS = `snrDb`; returns the noise RMS. */
export function addNoiseAtSnr(signal: Float32Array, snrDb: number, seed: number): number {
  let sum = 0;
  for (let i = 0; i < signal.length; i++) sum += signal[i] * signal[i];
  const noiseRms = Math.sqrt(sum / Math.max(1, signal.length)) * 10 ** (-snrDb / 20);
  addGaussianNoise(signal, noiseRms, seed);
  return noiseRms;
}
