import { type ProbeOptions, measureProbeDelays } from '../../src/analysis/latency/calibrationProbe.ts';
import type { DelayEstimate } from '../../src/analysis/latency/estimateDelay.ts';
import { SINC_HALF_WIDTH, SINC_TAPS, sincTaps } from '../rigs/sincKernel.ts';
import { type FrameSpan, mergeSpans } from './dropoutAttribution.ts';

/** A channel's probe estimate that measured something. */
export type ProbeEstimate = Extract<DelayEstimate, { ok: true }>;

/** Blocks (frames) the probe's residual is judged in: half the smallest period a rig here runs. */
export const REFIT_BLOCK_FRAMES = 32;
/** A block is disturbed when its residual is this many times the blocks' 10th-percentile residual (10 dB) … */
const OVER_FLOOR = 10;
/** … and at least this share of the probe's own energy there (−20 dB): the fit explains the rest to −60 dB. */
const OF_SIGNAL = 0.01;
/** Raised-cosine ramps around a left-out span, so the cut itself adds no broadband edge. */
const RAMP_FRAMES = 32;
/** More of the probe's energy than this disturbed: the channel is not measured again from what is left. */
export const MAX_LEFT_OUT_SHARE = 0.5;

/** The probe as the first estimate places it in the capture: ±gain · probe(n − delay), band-limited interpolation. */
function placedProbe(probe: Float32Array, e: ProbeEstimate, from: number, to: number): Float64Array {
  const taps = new Float64Array(SINC_TAPS);
  const pos0 = from - e.delaySamples;
  const base = Math.floor(pos0);
  sincTaps(pos0 - base, taps);
  const g = e.inverted ? -e.gain : e.gain;
  const out = new Float64Array(to - from);
  for (let n = 0; n < out.length; n++) {
    let y = 0;
    const first = base + n - SINC_HALF_WIDTH + 1;
    for (let i = 0; i < SINC_TAPS; i++) {
      const m = first + i;
      if (m >= 0 && m < probe.length) y += probe[m] * taps[i];
    }
    out[n] = g * y;
  }
  return out;
}

/**
 * Where the capture is not the probe as first measured: the 32-frame blocks whose residual (capture − placed
 * probe) is both 10 dB above the quiet blocks' (10th percentile) and above −20 dB of the probe's energy there
 * — a zeroed or repeated period, a jump of the stream — each widened by a block either side, merged. On a
 * clean capture none is (the fit explains it to its SNR everywhere; the quiet blocks set the noise, so a
 * noisy path is not disturbed for being noisy). Also the share of the placed probe's energy those frames hold.
 */
export function disturbedProbeSpans(probe: Float32Array, capture: Float32Array, e: ProbeEstimate): { spans: FrameSpan[]; probeEnergyShare: number } {
  const from = Math.max(0, Math.floor(e.delaySamples) - SINC_HALF_WIDTH);
  const to = Math.min(capture.length, Math.ceil(e.delaySamples) + probe.length + SINC_HALF_WIDTH);
  const placed = placedProbe(probe, e, from, to);
  const blocks = Math.ceil((to - from) / REFIT_BLOCK_FRAMES);
  const residual = new Float64Array(blocks);
  const signal = new Float64Array(blocks);
  let total = 0;
  for (let n = 0; n < placed.length; n++) {
    const b = Math.floor(n / REFIT_BLOCK_FRAMES);
    const r = capture[from + n] - placed[n];
    residual[b] += r * r;
    signal[b] += placed[n] * placed[n];
    total += placed[n] * placed[n];
  }
  // The quiet blocks' residual is the path's noise (a 32-frame block of white noise is within 0.7–1.9× its
  // mean 98 % of the time): a low percentile stays the noise even where most of the probe is disturbed.
  const floor = Float64Array.from(residual).sort()[Math.floor(0.1 * (blocks - 1))];
  const disturbed: FrameSpan[] = [];
  for (let b = 0; b < blocks; b++) {
    if (!(residual[b] > OVER_FLOOR * floor && residual[b] > OF_SIGNAL * signal[b])) continue;
    disturbed.push({ start: from + Math.max(0, b - 1) * REFIT_BLOCK_FRAMES, end: Math.min(to, from + (b + 2) * REFIT_BLOCK_FRAMES) });
  }
  const spans = mergeSpans(disturbed);
  let leftOut = 0;
  for (const s of spans) for (let n = s.start; n < s.end; n++) leftOut += placed[n - from] * placed[n - from];
  return { spans, probeEnergyShare: total > 0 ? leftOut / total : 0 };
}

/** 0 inside a span, a raised-cosine ramp of RAMP_FRAMES up to 1 either side of it, 1 elsewhere; at a real-valued frame t. */
function keep(spans: readonly FrameSpan[], t: number): number {
  let w = 1;
  for (const s of spans) {
    if (t >= s.start && t < s.end) return 0;
    const d = t < s.start ? s.start - t : t - s.end;
    if (d < RAMP_FRAMES) w *= 0.5 - 0.5 * Math.cos((Math.PI * d) / RAMP_FRAMES);
  }
  return w;
}

/** What measuring a disturbed channel again from its undisturbed frames gave. */
export type ProbeRefit =
  | { ok: true; estimate: ProbeEstimate; leftOutFrames: number; probeEnergyShare: number }
  | { ok: false; reason: string };

/**
 * A channel's probe measured again without the frames a disturbance spoiled (disturbedProbeSpans): the capture
 * and the probe are both multiplied by the same window — 0 over those frames, ramps around them, read on the
 * probe at (capture frame − first delay) — so what is left is still the probe delayed, and the delay, gain and
 * SNR come from the undisturbed frames alone. A zeroed period in a 0.25 s probe takes ~0.5 % of its energy,
 * and the first estimate's gain with it (a −45 dB content residual for the whole run); a jump of the stream
 * moves the rest of the probe by its step, and only the larger, consistent part is kept. Searched within
 * ±8 samples of the first delay. Not measured again when more than half the probe's energy was disturbed.
 */
export function refitProbe(probe: Float32Array, capture: Float32Array, first: ProbeEstimate, probeOptions: ProbeOptions): ProbeRefit {
  const { spans, probeEnergyShare } = disturbedProbeSpans(probe, capture, first);
  if (spans.length === 0) return { ok: true, estimate: first, leftOutFrames: 0, probeEnergyShare: 0 };
  if (probeEnergyShare > MAX_LEFT_OUT_SHARE) {
    return { ok: false, reason: `${(100 * probeEnergyShare).toFixed(0)} % of the probe's energy disturbed (more than ${100 * MAX_LEFT_OUT_SHARE} %)` };
  }
  const margin = 256;
  const from = Math.max(0, Math.floor(first.delaySamples) - margin);
  const to = Math.min(capture.length, Math.ceil(first.delaySamples) + probe.length + margin);
  const kept = new Float32Array(to - from);
  for (let n = 0; n < kept.length; n++) kept[n] = capture[from + n] * keep(spans, from + n);
  const keptProbe = new Float32Array(probe.length);
  for (let m = 0; m < probe.length; m++) keptProbe[m] = probe[m] * keep(spans, m + first.delaySamples);
  const local = first.delaySamples - from;
  const [e] = measureProbeDelays(keptProbe, [kept], probeOptions, { minDelaySamples: Math.floor(local) - 8, maxDelaySamples: Math.ceil(local) + 8 });
  if (!e.ok) return { ok: false, reason: `no estimate from the undisturbed frames (${e.reason}: ${e.detail})` };
  const leftOutFrames = spans.reduce((s, x) => s + x.end - x.start, 0);
  return { ok: true, estimate: { ...e, delaySamples: e.delaySamples + from }, leftOutFrames, probeEnergyShare };
}
