/**
 * The `index`-th draw (index = 1, 2, …) of mulberry32 (Tommy Ettinger; 32-bit state, period 2³²) from
 * the uint32 `seed`: uniform in [0, 1), 32 bits. mulberry32's state after i steps is the Weyl sequence
 * seed + i·0x6d2b79f5 (mod 2³²), hashed to the output, so any draw follows from its index and a hot loop
 * keeps only a counter (measured: as fast as an inlined copy; a closure costs 1.5–2× over minutes of noise).
 * Used for reproducible test and benchmark signals; not for cryptography.
 */
export function mulberry32Draw(seed: number, index: number): number {
  const state = (seed + Math.imul(index, 0x6d2b79f5)) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A seeded uniform generator in [0, 1): successive mulberry32 draws from `seed`. */
export function mulberry32(seed: number): () => number {
  const s = seed >>> 0;
  let index = 0;
  return () => mulberry32Draw(s, ++index);
}

/**
 * Seeded standard Gaussian noise (mean 0, variance 1) by the Box–Muller transform
 * z = √(−2 ln u₁) · cos(2π u₂). The same seed always gives the same samples.
 */
export function gaussianNoise(frames: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(frames);
  for (let i = 0; i < frames; i += 2) {
    const u1 = 1 - next();
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < frames) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * Seeded Gaussian noise shaped by an exponential decay of reverberation time T:
 * h[n] = z[n] · 10^(−3 n / (fs·T)), so the energy falls 60 dB in T seconds — the textbook diffuse-field
 * impulse response, whose EDT, T20 and T30 all equal T. `noiseFloorDb` adds stationary Gaussian noise
 * at that level relative to the decay's initial RMS (e.g. −60).
 */
export function decayingNoise(opts: { sampleRate: number; seconds: number; rt60Seconds: number; seed: number; noiseFloorDb?: number }): Float64Array {
  const frames = Math.round(opts.seconds * opts.sampleRate);
  const h = gaussianNoise(frames, opts.seed);
  const step = 10 ** (-3 / (opts.sampleRate * opts.rt60Seconds));
  let g = 1;
  for (let i = 0; i < frames; i++, g *= step) h[i] *= g;
  if (opts.noiseFloorDb !== undefined) {
    const floor = gaussianNoise(frames, opts.seed ^ 0x5bd1e995);
    const a = 10 ** (opts.noiseFloorDb / 20);
    for (let i = 0; i < frames; i++) h[i] += a * floor[i];
  }
  return h;
}
