/**
 * Blocks and gates of ITU-R BS.1770-4 and EBU Tech 3342, working on mean squares (no histogram):
 *
 * - loudness of a block: l = −0.691 + 10·log10 z, z = Σᵢ Gᵢ·(mean square of K-weighted channel i);
 * - integrated: blocks of 400 ms every 100 ms; keep l > −70 LUFS (absolute gate), then keep l > Γr with
 *   Γr = (loudness of the mean z of the kept blocks) − 10 LU; the result is the loudness of the mean z of
 *   the blocks passing both gates, or null when none passes the absolute gate;
 * - loudness range (Tech 3342): short-term (3 s) values every 100 ms, absolute gate −70 LUFS, relative
 *   gate −20 LU below the mean of the absolutely-gated ones; LRA = P95 − P10 of the remaining loudness
 *   values, percentiles taken at the rounded rank (n − 1)·p as libebur128 does.
 */
export const ABSOLUTE_GATE_LUFS = -70;
export const RELATIVE_GATE_LU = -10;
export const LRA_RELATIVE_GATE_LU = -20;

export function lufsFromMeanSquare(meanSquare: number): number {
  return meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : -Infinity;
}

function meanSquareFromLufs(lufs: number): number {
  return Math.pow(10, (lufs + 0.691) / 10);
}

/**
 * Mean square of every block of `subBlocksPerBlock` consecutive sub-blocks, one block per sub-block hop:
 * block j covers sub-blocks j … j + n − 1. Returns an empty array when there are fewer than n sub-blocks.
 */
export function blockMeanSquares(subBlockEnergies: Float64Array, bounds: Float64Array, subBlocksPerBlock: number): Float64Array {
  const subBlocks = bounds.length - 1;
  const count = Math.max(0, subBlocks - subBlocksPerBlock + 1);
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let k = j; k < j + subBlocksPerBlock; k++) sum += subBlockEnergies[k];
    out[j] = sum / (bounds[j + subBlocksPerBlock] - bounds[j]);
  }
  return out;
}

function gatedMean(meanSquares: Float64Array, thresholdMeanSquare: number): { mean: number; count: number } {
  let sum = 0, count = 0;
  for (let j = 0; j < meanSquares.length; j++) {
    const z = meanSquares[j];
    if (z > thresholdMeanSquare) {
      sum += z;
      count++;
    }
  }
  return { mean: count > 0 ? sum / count : 0, count };
}

/** Gated integrated loudness in LUFS of 400 ms block mean squares; null when every block is gated out. */
export function integratedLoudness(momentaryMeanSquares: Float64Array): number | null {
  const absolute = gatedMean(momentaryMeanSquares, meanSquareFromLufs(ABSOLUTE_GATE_LUFS));
  if (absolute.count === 0) return null;
  const relativeGate = meanSquareFromLufs(lufsFromMeanSquare(absolute.mean) + RELATIVE_GATE_LU);
  const gated = gatedMean(momentaryMeanSquares, Math.max(relativeGate, meanSquareFromLufs(ABSOLUTE_GATE_LUFS)));
  return gated.count > 0 ? lufsFromMeanSquare(gated.mean) : null;
}

/** Loudness range in LU of 3 s block mean squares (EBU Tech 3342); 0 when no block passes the gates. */
export function loudnessRange(shortTermMeanSquares: Float64Array): number {
  const absoluteGate = meanSquareFromLufs(ABSOLUTE_GATE_LUFS);
  const absolute = gatedMean(shortTermMeanSquares, absoluteGate);
  if (absolute.count === 0) return 0;
  const gate = Math.max(absoluteGate, meanSquareFromLufs(lufsFromMeanSquare(absolute.mean) + LRA_RELATIVE_GATE_LU));
  const kept = new Float64Array(shortTermMeanSquares.length);
  let n = 0;
  for (let j = 0; j < shortTermMeanSquares.length; j++) {
    const z = shortTermMeanSquares[j];
    if (z > gate) kept[n++] = z;
  }
  if (n === 0) return 0;
  const sorted = kept.subarray(0, n).sort();
  const low = sorted[Math.round((n - 1) * 0.1)];
  const high = sorted[Math.round((n - 1) * 0.95)];
  return lufsFromMeanSquare(high) - lufsFromMeanSquare(low);
}
