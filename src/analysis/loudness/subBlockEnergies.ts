import { kWeighting } from './kWeighting.ts';

/** BS.1770 blocks are built from 100 ms sub-blocks: 4 make a 400 ms block, 30 a 3 s block. */
export const SUB_BLOCK_SECONDS = 0.1;

/** States smaller than this are flushed to zero at sub-block ends, so a decaying filter never goes subnormal. */
export const FLUSH_BELOW = 1e-150;

/**
 * Sub-block k spans samples [bounds[k], bounds[k+1]) with bounds[k] = round(k·fs/10); only complete
 * sub-blocks are counted (a trailing partial one is dropped, as a meter would not have shown it yet).
 */
export function subBlockBounds(frames: number, sampleRateHz: number): Float64Array {
  const count = Math.max(0, Math.floor((frames * 10) / sampleRateHz + 1e-9));
  const bounds = new Float64Array(count + 1);
  for (let k = 0; k <= count; k++) bounds[k] = Math.min(frames, Math.round((k * sampleRateHz) / 10));
  return bounds;
}

/**
 * K-weights one channel (two biquads, transposed direct form II, Float64 state) and adds
 * weight · Σ y² of each sub-block into `energies[k]` (sum of squares, not yet divided by length).
 * One pass, no allocation besides the coefficient objects.
 */
export function addKWeightedSubBlockEnergies(
  samples: Float32Array,
  sampleRateHz: number,
  bounds: Float64Array,
  weight: number,
  energies: Float64Array,
): void {
  if (weight === 0) return;
  const { shelf, highPass } = kWeighting(sampleRateHz);
  const b0 = shelf.b0, b1 = shelf.b1, b2 = shelf.b2, a1 = shelf.a1, a2 = shelf.a2;
  const c1 = highPass.a1, c2 = highPass.a2;
  let s1 = 0, s2 = 0, t1 = 0, t2 = 0;
  const count = bounds.length - 1;
  for (let k = 0; k < count; k++) {
    const end = bounds[k + 1];
    let sum = 0;
    for (let i = bounds[k]; i < end; i++) {
      const x = samples[i];
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      const z = y + t1;
      t1 = -2 * y - c1 * z + t2;
      t2 = y - c2 * z;
      sum += z * z;
    }
    energies[k] += weight * sum;
    if (Math.abs(s1) < FLUSH_BELOW) s1 = 0;
    if (Math.abs(s2) < FLUSH_BELOW) s2 = 0;
    if (Math.abs(t1) < FLUSH_BELOW) t1 = 0;
    if (Math.abs(t2) < FLUSH_BELOW) t2 = 0;
  }
}
