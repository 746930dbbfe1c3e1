/**
 * estimateDelay over narrow bands: noise band-passed (zero phase) at 0.1/0.2/0.3/0.42·fs with Q 8/32/64, two seeds, over
 * a white floor from none to 30 dB down, delays 30.0–31.0 in steps of 0.1 at 40 dB SNR. Prints every read more than
 * 0.01 sample off (V=1) and the count. Session 22: 6 of 2640 one carrier period off before LOBE_OFFSETS, 0 after.
 *
 *   V=1 npx tsx scripts/estimateDelayNarrowBandSweep.ts
 */
import { delayedCapture } from '../src/analysis/testSignals/delayedCapture.ts';
import { zeroPhase } from '../src/analysis/testSignals/zeroPhase.ts';
import { gaussianNoise } from '../src/analysis/testSignals/seededRandom.ts';
import { estimateDelay } from '../src/analysis/latency/estimateDelay.ts';
const FRAMES = 12000;
let bad = 0, total = 0; const t0 = performance.now();
for (const f of [0.1, 0.2, 0.3, 0.42]) for (const q of [8, 32, 64]) for (const seed of [11, 12]) {
  const reference = gaussianNoise(FRAMES, 0.1, seed);
  const narrow = zeroPhase('bandpass', f, reference, q);
  const rms = Math.sqrt(narrow.reduce((s, v) => s + v * v, 0) / narrow.length);
  const floor = gaussianNoise(FRAMES, 0.1, seed + 100);
  for (const floorDb of [-Infinity, -45, -40, -38, -37, -36.5, -36, -35, -33, -30]) {
    const over = Float32Array.from(narrow, (v, i) => v + (floorDb === -Infinity ? 0 : (rms / 0.1) * 10 ** (floorDb / 20) * floor[i]));
    for (let d = 30; d <= 31.001; d += 0.1) {
      const r = estimateDelay(over, delayedCapture(over, d, 40, 1), { maxDelaySamples: 200 });
      total++;
      if (!(r.ok && Math.abs(r.delaySamples - d) < 0.01)) { bad++; if (process.env.V) console.log(f, q, seed, floorDb, d.toFixed(2), r.ok ? r.delaySamples.toFixed(3) : r.reason); }
    }
  }
}
console.log('bad', bad, 'of', total, 'ms', (performance.now() - t0).toFixed(0));
