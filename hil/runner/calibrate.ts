import { calibrationProbe, measureProbeDelays, type ProbeOptions } from '../../src/analysis/latency/calibrationProbe.ts';
import type { DelayEstimate } from '../../src/analysis/latency/estimateDelay.ts';
import { namedChannel } from '../report/channelLabel.ts';
import type { CalibrationChannel } from '../report/runReport.ts';
import { type AudioRig, RigFlag } from '../../src/host/audioRig.ts';
import { captureThrough } from '../rigs/captureThrough.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { refitProbe } from './probeRefit.ts';

export interface Calibration {
  channels: CalibrationChannel[];
  paths: ChannelPath[];
  deviceRoundTripMedianSamples: number | null;
  /** Captures measured (1 when the first was clean), and why each one before the kept one was measured again. */
  attempts: number;
  retryReasons: string[];
}

/** Captures calibration makes at most when they are disturbed (see calibrate). */
export const CALIBRATION_ATTEMPTS = 3;
/**
 * A channel whose SNR lies this far below the median of the rig's channels heard a disturbance during its
 * probe — a dropout or a stall hits the 2–3 probes sounding at that moment — rather than a noisier path:
 * measured on the JACK loopback, a stall during calibration left three consecutive channels at confidence
 * 0.976–0.990 (SNR 13–17 dB against the others' 120) with gains a few per cent off, which read as a −27 dB
 * content residual on those channels for the whole run.
 */
export const SNR_OUTLIER_DB = 20;
/** Period flags that mean the captured stream is not what was played (PrimingOutput is not one). */
const DISTURBED = RigFlag.InputUnderflow | RigFlag.InputOverflow | RigFlag.OutputUnderflow | RigFlag.OutputOverflow;

/** Largest round trip calibration can attribute unambiguously (frames); longer is reported as miswired. */
export const STAGGER_FRAMES = 4096;

/**
 * Measures the round trip of every wired output → input pair before a run. The same exponential sweep
 * (calibrationProbe.ts) is played on every output, output k starting k·STAGGER_FRAMES later, so one
 * capture of every input tells each input's delay d AND which output it hears: k' = ⌊d / STAGGER⌋,
 * round trip = d − k'·STAGGER. An input that hears another output than the rig's channel map says is
 * reported as miswired; no coherent signal as no-signal; an inverted or clipped path as such.
 * The round trip splits into the rig's known stream buffering (the harness's part) and the device's
 * loop (DAC → ADC), which on the JACK loopback is compared with jack_iodelay.
 *
 * A disturbance (a period the rig flagged, a stall) spoils only the channels whose probe was sounding at
 * that moment, so each channel is judged on its own: disturbed when a flagged period falls inside the
 * stretch of the capture where its probe is heard, or when its SNR lies far below the other channels'
 * (SNR_OUTLIER_DB). A channel keeps its figures from the first capture that measured it undisturbed;
 * captures are made again, up to CALIBRATION_ATTEMPTS, only while some channel has none. So a capture
 * disturbed on outputs 4–6 and another disturbed on outputs 1–2 together calibrate every channel cleanly
 * (on this machine's quiet JACK loopback every one of three captures once had a flagged period, each time
 * on a few other channels, and the whole run failed on the least disturbed one). A channel disturbed in
 * every capture is measured again from the frames of its probe the disturbance did not touch (probeRefit.ts:
 * a zeroed period took 0.6–2 % off a channel's gain, a −36 dB content residual on it for the whole run and
 * hundreds of "dropouts" found on it — seen on the JACK loopback on 2026-12-05, where the VM stalled every
 * ~0.5 s and channels 31–32 were disturbed in all three captures); it keeps the capture that left the least
 * of its probe out (or, where none could be measured again, the highest SNR), and its row says so.
 */
export async function calibrate(rig: AudioRig, outputs: readonly number[]): Promise<Calibration> {
  const retryReasons: string[] = [];
  const kept = new Map<number, ChannelMeasure>();
  const fallback = new Map<number, ChannelMeasure>();
  let attempts = 0;
  while (attempts < CALIBRATION_ATTEMPTS && kept.size < outputs.length) {
    attempts++;
    const measured = await measureOnce(rig, outputs, attempts);
    const disturbed: string[] = [];
    for (const m of measured) {
      const k = m.row.outputIndex;
      if (m.disturbance !== null) disturbed.push(`${namedChannel('output', k)} ${m.disturbance}`);
      if (kept.has(k)) continue;
      if (m.disturbance === null) kept.set(k, m);
      else if (!fallback.has(k) || betterFallback(m, fallback.get(k)!)) fallback.set(k, m);
    }
    if (disturbed.length > 0) retryReasons.push(disturbed.join('; '));
  }
  const picked = outputs.map((k) => {
    const clean = kept.get(k);
    if (clean) return clean;
    const m = fallback.get(k)!;
    const keptNote = `disturbed in every capture; capture ${m.row.attempt} kept (${m.disturbance})`;
    if (m.refit?.ok) {
      const r = m.refit;
      const again = r.leftOutFrames === 0
        ? 'its probe fits the capture everywhere (no disturbed block): kept as measured'
        : `measured again without the ${r.leftOutFrames} frames of its probe the disturbance spoiled (${(100 * r.probeEnergyShare).toFixed(2)} % of its energy): SNR ${m.snrDb.toFixed(1)} → ${r.snrDb.toFixed(1)} dB, gain ${fmtGain(m.path?.gain)} → ${fmtGain(r.path.gain)}`;
      return { ...m, row: { ...r.row, detail: [r.row.detail, keptNote, again].filter(Boolean).join('; ') }, path: r.path, snrDb: r.snrDb };
    }
    const notAgain = m.refit ? `not measured again: ${m.refit.reason}` : undefined;
    return { ...m, row: { ...m.row, detail: [m.row.detail, keptNote, notAgain].filter(Boolean).join('; ') } };
  });
  const channels = picked.map((m) => m.row);
  const device = channels.filter((c) => c.status === 'ok').map((c) => c.deviceRoundTripSamples!).sort((a, b) => a - b);
  return {
    channels, paths: picked.flatMap((m) => (m.path ? [m.path] : [])),
    deviceRoundTripMedianSamples: device.length ? device[Math.floor(device.length / 2)] : null, attempts, retryReasons,
  };
}

const fmtGain = (g: number | undefined) => (g === undefined ? '—' : g.toFixed(5));

/**
 * Which of two disturbed captures of a channel to keep: one measured again from its undisturbed frames over
 * one that could not be (the less of its probe left out, the better), else the higher SNR.
 */
function betterFallback(a: ChannelMeasure, b: ChannelMeasure): boolean {
  const ra = a.refit?.ok ? a.refit : null;
  const rb = b.refit?.ok ? b.refit : null;
  if (ra && rb) return ra.probeEnergyShare < rb.probeEnergyShare;
  if (ra || rb) return ra !== null;
  return a.snrDb > b.snrDb;
}

/** One channel as one capture measured it. */
interface ChannelMeasure {
  row: CalibrationChannel;
  path: ChannelPath | null;
  /** −∞ where the channel had no estimate. */
  snrDb: number;
  /** Why this capture's figures for the channel cannot be trusted ("at 13.2 dB SNR against …"); null when clean. */
  disturbance: string | null;
  /** A disturbed channel measured again without its probe's disturbed frames (probeRefit.ts), or why it could not be. */
  refit?: { ok: true; row: CalibrationChannel; path: ChannelPath; snrDb: number; leftOutFrames: number; probeEnergyShare: number } | { ok: false; reason: string };
}

async function measureOnce(rig: AudioRig, outputs: readonly number[], attempt: number): Promise<ChannelMeasure[]> {
  const fs = rig.sampleRate;
  const probeOptions: ProbeOptions = { sampleRate: fs, seconds: 0.25, levelDb: -12 };
  const probe = calibrationProbe(probeOptions);
  const maxOutput = Math.max(-1, ...outputs);
  const signals: (Float32Array | undefined)[] = Array.from({ length: maxOutput + 1 }, () => undefined);
  for (const k of outputs) {
    const s = new Float32Array(k * STAGGER_FRAMES + probe.length);
    s.set(probe, k * STAGGER_FRAMES);
    signals[k] = s;
  }
  const frames = (maxOutput + 1) * STAGGER_FRAMES + probe.length + STAGGER_FRAMES;
  const captured = await captureThrough(rig, signals, frames);
  const inputsUsed = [...new Set(outputs.map((k) => rig.channelMap[k]).filter((j) => j >= 0))];
  const estimates = measureProbeDelays(probe, inputsUsed.map((j) => captured.inputs[j]), probeOptions, {
    minDelaySamples: 0, maxDelaySamples: frames - probe.length,
  });
  const byInput = new Map(inputsUsed.map((j, i) => [j, estimates[i]]));
  const harness = captured.streamBufferingFrames;
  // The periods the rig flagged as not carrying what was played, by their first capture frame. An input
  // flag marks those very frames; an output flag shows a round trip later: a flagged period [s, s + P)
  // may have touched capture frames [s, s + P + round trip).
  const P = rig.periodFrames;
  const flagged = captured.periodFlags.flatMap((f, i) => ((f & DISTURBED) !== 0 ? [i * P] : []));
  const flaggedIn = (from: number, to: number, roundTrip: number) => flagged.filter((s) => s < to && s + P + roundTrip > from).length;
  const measures: (ChannelMeasure & { estimate?: DelayEstimate })[] = [];
  for (const k of outputs) {
    const input = rig.channelMap[k];
    const e = input >= 0 ? byInput.get(input) : undefined;
    const m = channelMeasure(k, input, e, harness, attempt, probe.length);
    const flags = input >= 0 ? flaggedIn(m.heardFrom, m.heardTo, m.row.totalRoundTripSamples ?? STAGGER_FRAMES) : 0;
    measures.push({ row: m.row, path: m.path, snrDb: m.snrDb, disturbance: flags > 0 ? `${flags} period(s) flagged by the rig (underflow or overflow) during its probe` : null, estimate: e });
  }
  // SNR outliers against the median of the channels that heard their own output.
  const snrs = measures.map((m) => m.snrDb).filter(Number.isFinite).sort((a, b) => a - b);
  const median = snrs.length ? snrs[Math.floor(snrs.length / 2)] : 0;
  for (const m of measures) {
    if (!Number.isFinite(m.snrDb) || m.snrDb >= median - SNR_OUTLIER_DB) continue;
    const low = `at ${m.snrDb.toFixed(1)} dB SNR against the channels' median ${median.toFixed(1)} dB`;
    m.disturbance = m.disturbance === null ? low : `${m.disturbance}, ${low}`;
  }
  // A disturbed channel measured again from its probe's undisturbed frames: what it keeps if every capture is disturbed.
  return measures.map(({ estimate, ...m }) => {
    if (m.disturbance === null || !estimate?.ok || !m.path) return m;
    const r = refitProbe(probe, captured.inputs[m.row.inputIndex], estimate, probeOptions);
    if (!r.ok) return { ...m, refit: { ok: false, reason: r.reason } };
    const again = channelMeasure(m.row.outputIndex, m.row.inputIndex, r.estimate, harness, attempt, probe.length);
    return again.path ? { ...m, refit: { ok: true, row: again.row, path: again.path, snrDb: again.snrDb, leftOutFrames: r.leftOutFrames, probeEnergyShare: r.probeEnergyShare } } : m;
  });
}

/**
 * One channel's row and path from its probe estimate (undefined: not wired or not measured), and where in
 * the capture its probe is heard: from its start to a round trip (< STAGGER) after its end when unmeasured.
 */
function channelMeasure(k: number, input: number, e: DelayEstimate | undefined, harness: number, attempt: number, probeFrames: number): { row: CalibrationChannel; path: ChannelPath | null; snrDb: number; heardFrom: number; heardTo: number } {
  const row: CalibrationChannel = { outputIndex: k, inputIndex: input, status: 'no-signal', totalRoundTripSamples: null, harnessBufferSamples: harness, deviceRoundTripSamples: null, confidence: null, attempt };
  let gain = 1;
  let snrDb = Number.NEGATIVE_INFINITY;
  let heardFrom = k * STAGGER_FRAMES;
  let heardTo = k * STAGGER_FRAMES + STAGGER_FRAMES + probeFrames;
  if (input < 0) row.detail = 'not wired in the rig file';
  else if (!e || !e.ok) row.detail = e && !e.ok ? `${e.reason}: ${e.detail}` : 'no estimate';
  else {
    const heard = Math.floor(e.delaySamples / STAGGER_FRAMES);
    const total = e.delaySamples - heard * STAGGER_FRAMES;
    row.confidence = e.confidence;
    gain = e.gain;
    row.totalRoundTripSamples = total;
    row.deviceRoundTripSamples = total - harness;
    heardFrom = Math.floor(e.delaySamples);
    heardTo = Math.ceil(e.delaySamples) + probeFrames;
    if (heard === k) snrDb = e.snrDb;
    if (heard !== k) {
      row.status = 'miswired';
      row.detail = `${namedChannel('input', input)} hears ${namedChannel('output', heard)}, not ${namedChannel('output', k)}`;
    } else if (e.clipped) {
      row.status = 'clipped';
      row.detail = `${e.clippedSamples} clipped samples`;
    } else if (e.inverted) {
      row.status = 'inverted';
      row.detail = 'polarity inverted';
    } else {
      row.status = 'ok';
    }
  }
  const path = row.status === 'ok' || row.status === 'inverted'
    ? { output: k, input, totalDelayFrames: row.totalRoundTripSamples!, deviceDelayFrames: row.deviceRoundTripSamples!, inverted: row.status === 'inverted', gain }
    : null;
  return { row, path, snrDb, heardFrom, heardTo };
}
