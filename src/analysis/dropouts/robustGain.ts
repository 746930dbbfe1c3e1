/**
 * Path gain by least squares, robust to a fault in the measured stretch: per-block gains g_b = Σ y·e / Σ e²
 * over blocks of `blockFrames`; the gain most blocks agree with (within 10 %) wins, refined over those blocks.
 * (One least-squares fit over everything reads 0.74 instead of 1 when a 512-frame repeat lies in it: the
 * misaligned rest correlates with nothing.)
 */
export function robustGain(capture: Float32Array, aligned: (n: number) => number, frames: number, blockFrames: number): number {
  const ye: number[] = [];
  const ee: number[] = [];
  for (let b0 = 0; b0 + blockFrames <= frames; b0 += blockFrames) {
    let sye = 0;
    let see = 0;
    for (let n = b0; n < b0 + blockFrames; n++) {
      const e = aligned(n);
      sye += capture[n] * e;
      see += e * e;
    }
    ye.push(sye);
    ee.push(see);
  }
  const maxEnergy = Math.max(0, ...ee);
  const gains = ee.map((e, b) => (e > 1e-6 * maxEnergy && e > 0 ? ye[b] / e : Number.NaN));
  let bestCount = 0;
  let best = 1;
  for (const g of gains) {
    if (Number.isNaN(g)) continue;
    let count = 0;
    let sye = 0;
    let see = 0;
    gains.forEach((h, b) => {
      if (Math.abs(h - g) <= 0.1 * Math.abs(g)) {
        count++;
        sye += ye[b];
        see += ee[b];
      }
    });
    if (count > bestCount) {
      bestCount = count;
      best = sye / see;
    }
  }
  return best;
}
