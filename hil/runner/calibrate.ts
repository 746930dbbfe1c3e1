import { calibrationProbe, measureProbeDelays, type ProbeOptions } from '../../src/analysis/latency/calibrationProbe.ts';
import { namedChannel } from '../report/channelLabel.ts';
import type { CalibrationChannel } from '../report/runReport.ts';
import type { AudioRig } from '../../src/host/audioRig.ts';
import { captureThrough } from '../rigs/captureThrough.ts';
import type { ChannelPath } from './latencyMeasurement.ts';

export interface Calibration {
  channels: CalibrationChannel[];
  paths: ChannelPath[];
  deviceRoundTripMedianSamples: number | null;
}

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
 */
export async function calibrate(rig: AudioRig, outputs: readonly number[]): Promise<Calibration> {
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
  return { channels, paths, deviceRoundTripMedianSamples: device.length ? device[Math.floor(device.length / 2)] : null };
}
