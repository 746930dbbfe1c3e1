/**
 * estimateDelay's answers on a fixed set of references, one JSON line each, for comparing two versions of the code (a
 * change meant to be bit-identical, or a surviving mutant applied by hand: MUTCHECK_CMD of mutation-survivors-check.mjs):
 * - six kinds (white noise; the haptic-like programme; noise band-passed at 0.2·fs with Q 64; high-passed at 0.35·fs;
 *   band-passed at 0.42·fs with Q 8; low-passed at 0.05·fs) × 14 delays — among the lags searched (10 … 210), 0.45
 *   sample past either end (still measured), 0.55–1.5 past them and 240 (refused) — × 40/20/10/0 dB SNR × both
 *   polarities: 672 lines;
 * - random multi-band references (2–3 zero-phase bands at 0.03–0.45·fs, Q 4–64, random gains), delays 30–190 samples,
 *   10–40 dB SNR, either polarity, seeded (SEED, default 777; COUNT, default 600).
 * DELAYS=a,b,… replaces the six kinds' delays. Every line holds the case and the result as JSON (numbers to full
 * precision), so `cmp` or `diff` shows any change.
 *
 *   npx tsx scripts/estimateDelayReferences.ts > /tmp/before.jsonl
 */
import { Prng } from '../src/dsp/prng.ts';
import { delayedCapture } from '../src/analysis/testSignals/delayedCapture.ts';
import { zeroPhase } from '../src/analysis/testSignals/zeroPhase.ts';
import { programmeLike } from '../src/analysis/testSignals/programmeLike.ts';
import { gaussianNoise } from '../src/analysis/testSignals/seededRandom.ts';
import { estimateDelay } from '../src/analysis/latency/estimateDelay.ts';

const FRAMES = 6000;
/** The lags searched: 10 … 210 (a delay 1.2 samples before the first is 8.8). */
const MIN_DELAY = 10;
const MAX_DELAY = 210;

function line(kind: string, d: number, snrDb: number, sign: number, reference: Float32Array, seed: number): void {
  const r = estimateDelay(reference, delayedCapture(reference, d, snrDb, seed, { inverted: sign < 0 }), { minDelaySamples: MIN_DELAY, maxDelaySamples: MAX_DELAY });
  process.stdout.write(`${JSON.stringify({ kind, d, snrDb, sign, r })}\n`);
}

const white = gaussianNoise(FRAMES, 0.1, 1);
const kinds: Record<string, Float32Array> = {
  white,
  programme: programmeLike(FRAMES, 48000, 5),
  q64: Float32Array.from(zeroPhase('bandpass', 0.2, white, 64)),
  highpass: Float32Array.from(zeroPhase('highpass', 0.35, white)),
  q8high: Float32Array.from(zeroPhase('bandpass', 0.42, white, 8)),
  lowpass: Float32Array.from(zeroPhase('lowpass', 0.05, white)),
};
const DELAYS = process.env.DELAYS ? process.env.DELAYS.split(',').map(Number) : [10, 10.25, 47.3, 110.5, 209.9, 9.55, 210.45, 9.45, 210.55, 8.8, 9.4, 210.7, 211.5, 240];
let seed = 10;
for (const [kind, reference] of Object.entries(kinds)) {
  for (const d of DELAYS) for (const snrDb of [40, 20, 10, 0]) for (const sign of [1, -1]) line(kind, d, snrDb, sign, reference, seed++);
}

const random = new Prng(Number(process.env.SEED ?? 777));
const count = Number(process.env.COUNT ?? 600);
for (let n = 0; n < count; n++) {
  const bands = 2 + Math.floor(random.nextFloat() * 2);
  const noise = gaussianNoise(FRAMES, 0.1, 1000 + n);
  const reference = new Float32Array(FRAMES);
  const spec: string[] = [];
  for (let b = 0; b < bands; b++) {
    const f = 0.03 + random.nextFloat() * 0.42;
    const q = 4 * 16 ** random.nextFloat();
    const gain = 10 ** (-random.nextFloat());
    const band = Float32Array.from(zeroPhase('bandpass', f, noise, q, 2));
    for (let i = 0; i < FRAMES; i++) reference[i] += gain * band[i];
    spec.push(`${f.toFixed(3)}/${q.toFixed(1)}`);
  }
  const d = 30 + random.nextFloat() * 160;
  const snrDb = 10 + random.nextFloat() * 30;
  line(`bands ${spec.join(' ')}`, d, snrDb, random.nextFloat() < 0.5 ? -1 : 1, reference, 5000 + n);
}
