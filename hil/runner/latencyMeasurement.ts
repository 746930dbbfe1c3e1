import { ONSET_READS_AFTER_SECONDS, onsetAfter } from '../../src/analysis/onset/detectOnsets.ts';
import { BlockRmsHistogram } from '../../src/analysis/statistics/blockRmsHistogram.ts';
import { type FrameSpan, overlapsSpans } from './dropoutAttribution.ts';
import type { SentCommand } from './runScenario.ts';

/** Where each engine output was captured, and the calibrated delay from engine frame to capture frame. */
export interface ChannelPath {
  output: number;
  /** Input that captures this output (−1: not wired, not measured). */
  input: number;
  /** Engine stream frame → capture frame: stream buffering + device round trip (fractional). */
  totalDelayFrames: number;
  /** The device's part of it (DAC → ADC), for the path term. */
  deviceDelayFrames: number;
  /** The path inverts polarity (reported by calibration). */
  inverted: boolean;
  /** Calibrated path gain, sign included (a real rig is rarely at unity): capture ≈ gain · render delayed. */
  gain: number;
}

export interface OnsetLatency {
  eventIndex: number;
  output: number;
  /** Send → transducer output, ms (see measureEventLatencies). */
  latencyMs: number;
  /** Capture onset − render onset − calibrated total delay: what the calibration does not explain, ms. */
  unexplainedMs: number;
}

export interface EventLatency {
  eventIndex: number;
  transport: string;
  sendFrame: number;
  arrivalFrame: number | null;
  appliedFrame: number;
  onsets: OnsetLatency[];
  /** Largest spread of latency across the transducers of this event, ms. */
  skewMs: number | null;
  /** The stream clock's stall between send and effect (SentCommand.clockStallMs). */
  clockStallMs: number | null;
  /**
   * Transducers whose capture search held an environment event (a driver xrun, frame jump or machine stall:
   * dropoutAttribution.ts), not measured: a period the machine lost there moves the onset found by the loss.
   */
  atEnvironmentOnsets?: number;
}

/** How quiet the render must be just before an onset for it to be measured (dB re the burst peak). */
const QUIET_BEFORE_DB = -40;
const QUIET_WINDOW_SECONDS = 0.005;
const SEARCH_SECONDS = 0.25;

/**
 * Latency of every note-on on every transducer it drives, from the moment the harness handed it to
 * its transport to the onset at the transducer output:
 *
 *   latency = (applied − sent) + (onset_capture − onset_render) − deviceDelay / 2
 *
 * The render (same engine, same events at the frames the server applied them) says where the engine
 * meant the onset to be — attack shape and the travelling wave's propagation included — so the
 * difference of the two onsets, measured by the same detector, is the delay from the engine's output
 * to the capture: stream buffering plus the device's loop (DAC → ADC). The transducer hangs on the
 * DAC, so only the output half of the device's calibrated round trip counts (symmetric converters
 * assumed; documented in the report). An onset is measured only where the render is quiet just before
 * the event (overlapping notes cannot be told apart) — the count of measured onsets is reported.
 */
export function measureEventLatencies(
  sent: readonly SentCommand[], render: readonly Float32Array[], capture: readonly Float32Array[], paths: readonly ChannelPath[], sampleRate: number,
  gates: ReadonlyMap<number, number>, excluded: readonly FrameSpan[] = [],
): EventLatency[] {
  const noteOnFrames = sent.filter((s) => s.planned.noteOn && s.appliedFrame !== null).map((s) => s.appliedFrame!);
  const whole = { render, capture, originFrame: 0 };
  const out: EventLatency[] = [];
  for (const s of sent) {
    if (!s.planned.noteOn || s.appliedFrame === null) continue;
    out.push(measureEventLatency(s, onsetSearchEnd(noteOnFrames, s.appliedFrame, sampleRate), whole, paths, sampleRate, gates, excluded));
  }
  return out;
}

/** End (exclusive, scenario frames) of the render search for the note-on applied at `appliedFrame`: the next note-on, at most SEARCH_SECONDS on. */
export function onsetSearchEnd(sortedNoteOns: readonly number[], appliedFrame: number, sampleRate: number): number {
  return nextNoteOnAfter(sortedNoteOns, appliedFrame, Math.round(SEARCH_SECONDS * sampleRate));
}

/**
 * Render and capture frames that measuring a note-on applied at `appliedFrame` with search end `until`
 * reads (scenario frames, half-open), for paths delayed by at most `maxDelayFrames`: what a chunked
 * analysis must still hold when it measures the event.
 */
export function latencyWindow(appliedFrame: number, until: number, maxDelayFrames: number, sampleRate: number): { from: number; to: number } {
  const quietWindow = Math.round(QUIET_WINDOW_SECONDS * sampleRate);
  return { from: Math.max(0, appliedFrame - 2 * quietWindow - 2), to: Math.max(until, appliedFrame + quietWindow) + Math.ceil(maxDelayFrames) + quietWindow + 2 };
}

/**
 * One note-on's latency on every path (see measureEventLatencies), on signals that may be windows of the
 * run's: `render[k][n − originFrame]` and `capture[i][n − originFrame]` are scenario frame n (whole
 * signals: origin 0). A window must hold latencyWindow(…), or the whole signal's end if that comes first.
 */
export function measureEventLatency(
  s: SentCommand, until: number, signals: { render: readonly Float32Array[]; capture: readonly Float32Array[]; originFrame: number },
  paths: readonly ChannelPath[], sampleRate: number, gates: ReadonlyMap<number, number>, excluded: readonly FrameSpan[] = [],
): EventLatency {
  const msPerFrame = 1000 / sampleRate;
  const quietWindow = Math.round(QUIET_WINDOW_SECONDS * sampleRate);
  const o = signals.originFrame;
  const a = s.appliedFrame!;
  const onsets: OnsetLatency[] = [];
  let atEnvironmentOnsets = 0;
  for (const path of paths) {
    if (path.input < 0) continue;
    const r = signals.render[path.output];
    if (!quietBefore(r, a - o, quietWindow, peakAbs(r, a - o, until - o))) continue; // overlapping notes: cheap test before any FFT
    // Render and capture are searched over windows of the same length and place around the burst
    // (the capture's shifted by the calibrated path), so the detector treats both alike.
    // Onset frames on the run's axis (origin added as one integer): the same numbers as on whole signals.
    const ro = findOnset(r, a - quietWindow - o, until - o, sampleRate, RENDER_GATE, o);
    if (!ro || !quietBefore(r, a - o, quietWindow, ro.peak)) continue;
    const from = a + path.totalDelayFrames - quietWindow;
    const co = findOnset(signals.capture[path.input], from - o, until + path.totalDelayFrames - o, sampleRate, gates.get(path.input)!, o);
    // A measurable onset whose capture frames read (onsetReadSpan) hold an environment event: not measured, counted.
    const read = onsetReadSpan(from, co?.frame, until + path.totalDelayFrames, sampleRate);
    if (overlapsSpans(excluded, read.start, read.end)) {
      atEnvironmentOnsets++;
      continue;
    }
    if (!co) continue;
    const loopFrames = co.frame - ro.frame;
    onsets.push({
      eventIndex: s.planned.index,
      output: path.output,
      latencyMs: (a - s.sendFrame + loopFrames - path.deviceDelayFrames / 2) * msPerFrame,
      unexplainedMs: (loopFrames - path.totalDelayFrames) * msPerFrame,
    });
  }
  let skewMs: number | null = null;
  if (onsets.length > 1) {
    const l = onsets.map((x) => x.latencyMs);
    skewMs = Math.max(...l) - Math.min(...l);
  }
  return {
    eventIndex: s.planned.index, transport: s.planned.transport, sendFrame: s.sendFrame, arrivalFrame: s.arrivalFrame, appliedFrame: a, onsets, skewMs, clockStallMs: s.clockStallMs,
    ...(atEnvironmentOnsets ? { atEnvironmentOnsets } : {}),
  };
}

/**
 * The capture frames an onset search from `from` to `until` read to find `onsetFrame` (undefined: none found,
 * so the whole search): up to ONSET_READS_AFTER_SECONDS past the onset — what a dropout must miss to leave
 * the onset where it was. A search runs to the next note (up to 250 ms), the onset needs its first 70 ms.
 */
export function onsetReadSpan(from: number, onsetFrame: number | undefined, until: number, sampleRate: number): { start: number; end: number } {
  const end = onsetFrame === undefined ? until : Math.min(until, Math.ceil(onsetFrame + ONSET_READS_AFTER_SECONDS * sampleRate) + 1);
  return { start: Math.floor(from), end };
}

/** Gate for the noise-free render: anything above −100 dBFS is signal. */
const RENDER_GATE = 1e-5;

/** The onset gate of every captured input a path uses (captureGate), computed once per run. */
export function captureGates(capture: readonly Float32Array[], paths: readonly ChannelPath[], sampleRate: number): Map<number, number> {
  return new Map(paths.map((p) => [p.input, captureGate(capture[p.input], sampleRate)]));
}

/**
 * 20 dB above the capture's noise floor (10th percentile of its 1 ms block RMS, BlockRmsHistogram: within
 * 0.003 dB), at least −100 dBFS. `captureGateOf` finishes a histogram fed chunk by chunk.
 */
export function captureGate(x: Float32Array, sampleRate: number): number {
  return captureGateOf(new BlockRmsHistogram(gateBlockFrames(sampleRate)).push(x));
}

export const gateBlockFrames = (sampleRate: number): number => Math.max(1, Math.round(sampleRate / 1000));

export function captureGateOf(histogram: BlockRmsHistogram): number {
  return Math.max(RENDER_GATE, histogram.percentile(10) * 10);
}

/** Frames from `a` to the next note-on after it, capped at `cap` (so an onset search never reaches the next note). */
export function nextNoteOnAfter(sortedNoteOns: readonly number[], a: number, cap: number): number {
  let next = a + cap;
  for (const f of sortedNoteOns) if (f > a) { next = Math.min(next, f); break; }
  return Math.max(next, a + 1);
}

/**
 * The first onset in signal[from, until) (onset/detectOnsets.ts definition), with an absolute gate:
 * the detector's own gate would look at the 100 ms before `from`, where the previous note may still be.
 */
export function findOnset(signal: Float32Array, from: number, until: number, sampleRate: number, gateLevel: number, originFrame = 0): { frame: number; peak: number } | undefined {
  const start = Math.max(0, Math.floor(from));
  const seconds = Math.max(0.005, (until - start) / sampleRate);
  return onsetAfter(signal, start, sampleRate, { searchSeconds: seconds, gateLevel, frameOffset: originFrame });
}

function peakAbs(x: Float32Array, from: number, to: number): number {
  let p = 0;
  for (let n = Math.max(0, from); n < Math.min(x.length, to); n++) { const v = Math.abs(x[n]); if (v > p) p = v; }
  return p;
}

/** Another note still sounds on this output at the event's applied frame: its RMS over the window before is above QUIET_BEFORE_DB of the new burst's peak. */
function quietBefore(x: Float32Array, appliedFrame: number, window: number, peak: number): boolean {
  const from = Math.max(0, appliedFrame - window);
  let sum = 0;
  for (let n = from; n < appliedFrame; n++) sum += x[n] * x[n];
  const rms = appliedFrame > from ? Math.sqrt(sum / (appliedFrame - from)) : 0;
  return rms <= peak * 10 ** (QUIET_BEFORE_DB / 20);
}
