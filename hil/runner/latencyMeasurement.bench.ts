import { join } from 'node:path';
import type { Benchmark } from '../../src/bench/benchmark.ts';
import { addGaussianNoise } from '../../src/analysis/testSignals/seededRandom.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { renderApplied } from './analyzeScenario.ts';
import { type ChannelPath, captureGates, measureEventLatencies } from './latencyMeasurement.ts';
import { SCENARIOS_DIR } from './runHil.ts';
import type { ScenarioRun } from './runScenario.ts';
import { runWithoutRig } from './runWithoutRig.ts';

const FS = 48000;
const P = 128;
/** One period of buffering and a 128-sample loop, as the virtual rig's default path. */
const DELAY = 256;

/**
 * sweep-32 without the rig: its events applied at the period after their time, the render, and a capture that is the
 * render DELAY frames later on all 32 channels over a seeded floor at −80 dBFS.
 */
function sweepRun(): { run: ScenarioRun; render: Float32Array[]; paths: ChannelPath[] } {
  const loaded = loadScenario(join(SCENARIOS_DIR, 'sweep-32.json'));
  const run = runWithoutRig(loaded, FS, P);
  const frames = run.frames;
  const render = renderApplied(run, P);
  run.capture = render.map((r, c) => {
    const y = new Float32Array(frames);
    y.set(r.subarray(0, frames - DELAY), DELAY);
    addGaussianNoise(y, 1e-4, 1000 + c);
    return y;
  });
  const paths = Array.from({ length: 32 }, (_, k) => ({ output: k, input: k, totalDelayFrames: DELAY, deviceDelayFrames: DELAY - P, inverted: false, gain: 1 }));
  return { run, render, paths };
}

export const benchmarks: Benchmark[] = [{
  name: 'hil_onset_latency_32ch',
  description: 'the HIL latency step of sweep-32 (rig hil\'s analysis): the onset of every note-on in the render and the capture of each of 32 paths, Hilbert envelopes of each burst',
  audioSeconds: () => loadScenario(join(SCENARIOS_DIR, 'sweep-32.json')).durationFrames / FS + 0.5,
  setup: () => {
    const { run, render, paths } = sweepRun();
    const gates = captureGates(run.capture, paths, FS);
    return () => {
      const events = measureEventLatencies(run.sent, render, run.capture, paths, FS, gates);
      const onsets = events.reduce((n, e) => n + e.onsets.length, 0);
      if (onsets < events.length * 32) throw new Error(`hil_onset_latency_32ch: ${onsets} onsets measured of ${events.length * 32}`);
    };
  },
}];
