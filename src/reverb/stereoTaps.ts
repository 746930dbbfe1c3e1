/**
 * How a stereo signal enters and leaves an N-line FDN: line i is fed
 *   σ_i·g·(u_L + u_R) (even i)   or   σ_i·g·(u_L − u_R) (odd i),   g = 1/√N,
 * so the L and R input patterns are orthogonal, and the outputs (of networks whose matrix does not give
 * them for free) are y_L = Σ c_L,i·s_i, y_R = Σ c_R,i·s_i with c_L,i = τ_i·g and c_R,i = τ_i·(−1)^⌊(i mod 4)/2⌋·g:
 * orthogonal when 4 divides N, which decorrelates the two outputs. The signs σ_i and τ_i come
 * alternately from a xorshift32 (13, 17, 5; Marsaglia 2003) seeded with seed ⊕ 0x9e3779b9, bit 8.
 */
export interface StereoTaps {
  /** σ_i = ±1. */
  inSign: Float64Array;
  /** g = 1/√N of the input distribution. */
  inputGain: number;
  outGainL: Float64Array;
  outGainR: Float64Array;
}

/** The seeded input signs and output gains of an N-line network (allocates: call from `prepare()`). */
export function stereoTaps(lines: number, seed: number): StereoTaps {
  const n = lines;
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const nextSign = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x & 0x100 ? 1 : -1;
  };
  const g = 1 / Math.sqrt(n);
  const inSign = new Float64Array(n);
  const outGainL = new Float64Array(n);
  const outGainR = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const si = nextSign();
    const so = nextSign();
    inSign[i] = si;
    outGainL[i] = so * g;
    outGainR[i] = so * (i % 4 < 2 ? 1 : -1) * g;
  }
  return { inSign, inputGain: g, outGainL, outGainR };
}
