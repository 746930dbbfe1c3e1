import { calibrationProbe, measureProbeDelays, type ProbeOptions } from '../../src/analysis/latency/calibrationProbe.ts';
import { namedChannel } from '../report/channelLabel.ts';
import type { CalibrationChannel } from '../report/runReport.ts';
import { type AudioRig, RigFlag } from '../../src/host/audioRig.ts';
import { captureThrough } from '../rigs/captureThrough.ts';
import type { ChannelPath } from './latencyMeasurement.ts';

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
 * A capture the rig flagged (a dropout, a late period) or with a channel far noisier than the others (a
 * disturbance during its probe) is measured again, up to CALIBRATION_ATTEMPTS times; the reasons are kept.
 */
export async function calibrate(rig: AudioRig, outputs: readonly number[]): Promise<Calibration> {
  const retryReasons: string[] = [];
  let best: { measured: Measured; score: number } | undefined;
  for (let attempt = 1; attempt <= CALIBRATION_ATTEMPTS; attempt++) {
    const measured = await measureOnce(rig, outputs);
    const problem = disturbance(measured);
    if (!problem) return { ...measured.calibration, attempts: attempt, retryReasons };
    retryReasons.push(problem.text);
    if (!best || problem.score < best.score) best = { measured, score: problem.score };
  }
  // Every capture was disturbed: the least disturbed one, with the reasons in the report.
  return { ...best!.measured.calibration, attempts: CALIBRATION_ATTEMPTS, retryReasons };
}

interface Measured {
  calibration: Omit<Calibration, 'attempts' | 'retryReasons'>;
  flaggedPeriods: number;
  snrDb: Map<number, number>;
}

/** Why a capture cannot be trusted (periods the rig flagged; a channel far below the others' SNR), with a score to pick the least bad; null when clean. */
function disturbance(m: Measured): { text: string; score: number } | null {
  const snrs = [...m.snrDb.values()].sort((a, b) => a - b);
  const median = snrs.length ? snrs[Math.floor(snrs.length / 2)] : 0;
  const outliers = [...m.snrDb].filter(([, snr]) => snr < median - SNR_OUTLIER_DB);
  if (m.flaggedPeriods === 0 && outliers.length === 0) return null;
  const parts: string[] = [];
  if (m.flaggedPeriods) parts.push(`${m.flaggedPeriods} period(s) flagged by the rig (underflow or overflow)`);
  if (outliers.length) {
    parts.push(`${outliers.map(([k, snr]) => `${namedChannel('output', k)} at ${snr.toFixed(1)} dB SNR`).join(', ')} against the channels' median ${median.toFixed(1)} dB`);
  }
  return { text: parts.join('; '), score: m.flaggedPeriods * 1000 + outliers.length };
}

async function measureOnce(rig: AudioRig, outputs: readonly number[]): Promise<Measured> {
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
  const channels: CalibrationChannel[] = [];
  const paths: ChannelPath[] = [];
  const snrDb = new Map<number, number>();
  for (const k of outputs) {
    const input = rig.channelMap[k];
    const e = input >= 0 ? byInput.get(input) : undefined;
    let gain = 1;
    const row: CalibrationChannel = { outputIndex: k, inputIndex: input, status: 'no-signal', totalRoundTripSamples: null, harnessBufferSamples: harness, deviceRoundTripSamples: null, confidence: null };
    if (input < 0) row.detail = 'not wired in the rig file';
    else if (!e || !e.ok) row.detail = e && !e.ok ? `${e.reason}: ${e.detail}` : 'no estimate';
    else {
      const heard = Math.floor(e.delaySamples / STAGGER_FRAMES);
      const total = e.delaySamples - heard * STAGGER_FRAMES;
      row.confidence = e.confidence;
      gain = e.gain;
      row.totalRoundTripSamples = total;
      row.deviceRoundTripSamples = total - harness;
      if (heard === k) snrDb.set(k, e.snrDb);
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
    channels.push(row);
    if (row.status === 'ok' || row.status === 'inverted') {
      paths.push({ output: k, input, totalDelayFrames: row.totalRoundTripSamples!, deviceDelayFrames: row.deviceRoundTripSamples!, inverted: row.status === 'inverted', gain });
    }
  }
  const device = channels.filter((c) => c.status === 'ok').map((c) => c.deviceRoundTripSamples!).sort((a, b) => a - b);
  const flaggedPeriods = captured.periodFlags.filter((f) => (f & DISTURBED) !== 0).length;
  return { calibration: { channels, paths, deviceRoundTripMedianSamples: device.length ? device[Math.floor(device.length / 2)] : null }, flaggedPeriods, snrDb };
}
