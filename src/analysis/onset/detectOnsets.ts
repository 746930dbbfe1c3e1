import { hilbertEnvelope } from './hilbertEnvelope.ts';

/**
 * Onsets of haptic bursts in one channel, with sub-sample precision.
 *
 * Definition: the onset of a burst is the first instant at which its Hilbert envelope reaches
 * `thresholdFraction` (default ½) of the burst's own envelope peak (the peak within `levelWindowSeconds`
 * after the burst is first seen), linearly interpolated between the two samples that bracket it.
 * Relative to the burst's own level it does not move with gain; the Hilbert envelope is shift-equivariant,
 * so delaying a burst by δ moves its onset by δ (measured: within 0.01 sample for fractional delays, in
 * onset.test.ts). The onset sits a shape-dependent time after the burst's first non-zero sample — for a
 * raised-cosine attack of A frames it is A/2 — so latency = onset(capture) − onset(render), with both
 * measured by this function, is unbiased whatever the shape; compare with a nominal event time only after
 * adding onset(render) − eventFrame.
 *
 * Steps: 1 ms blocks' RMS → noise floor (10th percentile) → blocks above the gate (floor + gateDb, and
 * within 40 dB of the loudest block) form regions, merged across gaps shorter than `minGapSeconds` → each
 * region's segment [start − 5 ms, start + levelWindow + 20 ms taper] gets a Hilbert envelope limited to
 * `maxFrequencyHz` (FFT of that segment only, so cost stays ~linear in the signal length) → the crossing.
 *
 * Precision: the bias (same noise, burst moved) is < 0.01 sample; the jitter from noise is σ_noise divided
 * by the envelope's slope at the crossing, measured 0.24 sample RMS at 40 dB SNR for a 2 ms attack on 180 Hz
 * (onset.test.ts). A slow carrier under a fast attack (90 Hz under 2 ms) smears the envelope over a carrier
 * period, so the onset lies up to ~20 frames after A/2 — the same for render and capture, so it cancels.
 * Where better than that is needed, estimateDelay of the burst's segment against its render uses every
 * sample of the burst instead of one crossing.
 */
export interface Onset {
  /** Fractional frame of the onset. */
  frame: number;
  /** The burst's envelope peak (linear, same units as the signal). */
  peak: number;
}

export interface OnsetOptions {
  /** Fraction of the burst's own envelope peak that defines the onset (default 0.5). */
  thresholdFraction?: number;
  /** Gate above the noise floor for a block to count as signal (default 20 dB). */
  gateDb?: number;
  /** Absolute gate (linear RMS of a 1 ms block), overriding the noise-floor gate. */
  gateLevel?: number;
  /** Regions closer than this are one burst (default 0.02 s). */
  minGapSeconds?: number;
  /** Where the burst's peak is looked for, after it is first seen (default 0.05 s). */
  levelWindowSeconds?: number;
  /** Content above this is left out of the envelope, and its noise with it (default 4000 Hz). */
  maxFrequencyHz?: number;
}

/** Raised-cosine taper at the segment's far end, so the cut carrier does not leak back to the onset. */
const TAPER_SECONDS = 0.02;
/** OnsetOptions.levelWindowSeconds when not given. */
const LEVEL_WINDOW_SECONDS = 0.05;

/**
 * How far past an onset it found `onsetAfter` (default options) read the signal: the burst's level window
 * and taper from its first gated 1 ms block, which lies at most a block before the onset. Frames later than
 * onset + this cannot change that onset (a dropout there, say); frames from the search start up to it can.
 */
export const ONSET_READS_AFTER_SECONDS = LEVEL_WINDOW_SECONDS + TAPER_SECONDS + 0.001;

export function detectOnsets(signal: Float32Array, sampleRate: number, options: OnsetOptions = {}): Onset[] {
  return onsetsOf(signal, sampleRate, options, Infinity);
}

/** detectOnsets' first `most` onsets: a burst's envelope is computed only until that many are found. */
function onsetsOf(signal: Float32Array, sampleRate: number, options: OnsetOptions, most: number): Onset[] {
  const block = Math.max(1, Math.round(sampleRate / 1000));
  const blocks = Math.floor(signal.length / block);
  if (blocks === 0) return [];
  const rms = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let s = 0;
    for (let n = b * block; n < (b + 1) * block; n++) s += signal[n] * signal[n];
    rms[b] = Math.sqrt(s / block);
  }
  const sorted = Float64Array.from(rms).sort();
  const floor = sorted[Math.floor(0.1 * (blocks - 1))];
  const loudest = sorted[blocks - 1];
  if (loudest === 0) return [];
  const gate = options.gateLevel ?? Math.max(floor * 10 ** ((options.gateDb ?? 20) / 20), loudest * 0.01);
  const minGapBlocks = Math.round(((options.minGapSeconds ?? 0.02) * sampleRate) / block);
  const starts: number[] = [];
  let lastAbove = -Infinity;
  for (let b = 0; b < blocks; b++) {
    if (rms[b] <= gate) continue;
    if (b - lastAbove > minGapBlocks) starts.push(b * block);
    lastAbove = b;
  }
  const fraction = options.thresholdFraction ?? 0.5;
  const pre = Math.round(0.005 * sampleRate);
  const levelFrames = Math.round((options.levelWindowSeconds ?? LEVEL_WINDOW_SECONDS) * sampleRate);
  const taper = Math.round(TAPER_SECONDS * sampleRate);
  const maxCycles = Math.min(0.5, (options.maxFrequencyHz ?? 4000) / sampleRate);
  const onsets: Onset[] = [];
  for (const start of starts) {
    if (onsets.length >= most) break;
    const from = Math.max(0, start - pre);
    const to = Math.min(signal.length, start + levelFrames + taper);
    const segment = signal.slice(from, to);
    // A segment cut short by the end of the signal (a search window ending at the next note) keeps at
    // least its first half for the peak: a taper as long as the segment would leave no peak at all.
    const taperFrames = Math.min(taper, Math.floor(segment.length / 2));
    const taperFrom = segment.length - taperFrames;
    const gains = taperGains(taperFrames);
    for (let i = taperFrom; i < segment.length; i++) segment[i] *= gains[i - taperFrom];
    const env = hilbertEnvelope(segment, maxCycles);
    let peak = 0;
    for (let i = 0; i < taperFrom; i++) peak = Math.max(peak, env[i]);
    const th = fraction * peak;
    for (let i = 0; i + 1 < env.length; i++) {
      if (env[i] < th && env[i + 1] >= th) {
        onsets.push({ frame: from + i + (th - env[i]) / (env[i + 1] - env[i]), peak });
        break;
      }
    }
  }
  return onsets;
}

/**
 * The raised-cosine taper's gains over `frames` frames, 0.5 + 0.5·cos(π·j/frames), kept for the last length asked
 * (20 ms at the rate in use; a segment the signal's end cuts short asks another): computed in the loop, the cosines
 * were a quarter of the HIL latency step's time (bench hil_onset_latency_32ch). The same doubles, so every tapered
 * sample is the same bits.
 */
let lastTaperGains = new Float64Array(0);
function taperGains(frames: number): Float64Array {
  if (lastTaperGains.length !== frames) {
    lastTaperGains = new Float64Array(frames);
    for (let j = 0; j < frames; j++) lastTaperGains[j] = 0.5 + 0.5 * Math.cos((Math.PI * j) / frames);
  }
  return lastTaperGains;
}

/** 10th-percentile and largest RMS of the 1 ms blocks of signal[from, to). */
function blockLevels(signal: Float32Array, from: number, to: number, sampleRate: number): { floor: number; loudest: number } {
  const block = Math.max(1, Math.round(sampleRate / 1000));
  const rms: number[] = [];
  for (let b = from; b + block <= to; b += block) {
    let e = 0;
    for (let n = b; n < b + block; n++) e += signal[n] * signal[n];
    rms.push(Math.sqrt(e / block));
  }
  rms.sort((x, y) => x - y);
  return { floor: rms[Math.floor(0.1 * (rms.length - 1))] ?? 0, loudest: rms[rms.length - 1] ?? 0 };
}

/**
 * The first onset at or after `fromFrame` (e.g. an event's applied frame plus the path latency minus a
 * margin), searched over `searchSeconds` (default 0.5 s); undefined when there is none. The noise floor
 * for the gate is taken from the 100 ms before `fromFrame` (when there are that many frames), so a burst
 * that fills the whole search window is still found; a louder floor there (a previous note still
 * sounding) raises the gate, and a burst under it gives undefined rather than a wrong onset.
 */
export function onsetAfter(signal: Float32Array, fromFrame: number, sampleRate: number, options: OnsetOptions & { searchSeconds?: number; frameOffset?: number } = {}): Onset | undefined {
  const start = Math.max(0, Math.floor(fromFrame));
  const end = Math.min(signal.length, start + Math.round((options.searchSeconds ?? 0.5) * sampleRate));
  let gateLevel = options.gateLevel;
  const preFrom = Math.max(0, start - Math.round(0.1 * sampleRate));
  if (gateLevel === undefined && start - preFrom >= 0.01 * sampleRate) {
    const before = blockLevels(signal, preFrom, start, sampleRate);
    const within = blockLevels(signal, start, end, sampleRate);
    gateLevel = Math.max(before.floor * 10 ** ((options.gateDb ?? 20) / 20), before.loudest, within.loudest * 0.01);
  }
  // Only the first onset is wanted: the bursts after it get no envelope (an FFT of ~75 ms each).
  const found = onsetsOf(signal.subarray(start, end), sampleRate, { ...options, gateLevel }, 1);
  // frameOffset: `signal` is a window whose index 0 is frame frameOffset of a longer signal; the frame is
  // given on that signal's axis, added as one integer so it is the same number as on the whole signal.
  return found.length ? { frame: found[0].frame + (start + (options.frameOffset ?? 0)), peak: found[0].peak } : undefined;
}
