/**
 * Energy between samples s and e (Σ_{k=s}^{e−1} h[k]²) read from a backward integral
 * energy[i] = Σ_{k≥i} h[k]² (schroederIntegral(h) over the whole signal): energy[s] − energy[e], with
 * energy[length] = 0. In double precision the difference keeps ~10 significant digits 60 dB below the total.
 */
export function energyBetween(energy: Float64Array, s: number, e: number): number {
  return (s < energy.length ? energy[s] : 0) - (e < energy.length ? energy[e] : 0);
}

/**
 * Short-time energy envelope: the mean square over consecutive blocks of `blockSamples` covering
 * [from, to), ms[b] = (1/L)·Σ_{k=from+bL}^{from+(b+1)L−1} h[k]² (a last partial block is averaged over the
 * samples it has), from the backward integral `energy` so each block costs O(1). Lundeby's method smooths
 * the squared response this way (10–50 ms blocks at first, then a few blocks per 10 dB of decay).
 */
export function blockMeanSquare(energy: Float64Array, from: number, to: number, blockSamples: number): Float64Array {
  const L = Math.max(1, Math.floor(blockSamples));
  const blocks = Math.max(0, Math.ceil((to - from) / L));
  const out = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const s = from + b * L;
    const e = Math.min(to, s + L);
    out[b] = Math.max(0, energyBetween(energy, s, e)) / (e - s);
  }
  return out;
}

/** The largest of blockMeanSquare(energy, from, to, blockSamples): the loudest block's mean square (0 for none). */
export function peakBlockMeanSquare(energy: Float64Array, from: number, to: number, blockSamples: number): number {
  const blocks = blockMeanSquare(energy, from, to, blockSamples);
  let peak = 0;
  for (let b = 0; b < blocks.length; b++) if (blocks[b] > peak) peak = blocks[b];
  return peak;
}
