import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from '../../src/bench/benchmark.ts';
import { RenderStream } from '../../src/engine/renderStream.ts';
import type { HapticConfig } from '../../src/haptic/hapticConfig.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import { FloatWavReader, FloatWavWriter } from '../../src/io/floatWavStream.ts';
import { loadScenario, withDurationMinutes } from '../scenario/loadScenario.ts';
import { appliedEvents } from './analyzeScenario.ts';
import { analyzeScenarioChunked } from './analyzeScenarioChunked.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { SCENARIOS_DIR } from './runHil.ts';
import type { ScenarioRun } from './runScenario.ts';
import { runWithoutRig } from './runWithoutRig.ts';

const FS = 48000;
const P = 128;
/** The virtual rig's default path: one period of buffering and a 128-sample loop. */
const DELAY = 256;

/**
 * The soak's run without the rig: its events applied at the period after their time, and a capture
 * that is the render delayed by DELAY frames on all 32 channels, spilled to a float WAV as a soak's is.
 */
function soakRun(seconds: number): { run: ScenarioRun; paths: ChannelPath[]; file: string } {
  const loaded = withDurationMinutes(loadScenario(join(SCENARIOS_DIR, 'soak.json')), seconds / 60);
  const run = runWithoutRig(loaded, FS, P, join(tmpdir(), `bench-soak-capture-${process.pid}.wav`));
  const frames = run.frames;
  const stream = new RenderStream(new HapticEngine(run.config as HapticConfig), FS, P, appliedEvents(run));
  const writer = new FloatWavWriter(run.captureFile!, 32, FS);
  const previous = Array.from({ length: 32 }, () => new Float32Array(DELAY));
  for (let a = 0; a < frames; a += 64 * P) {
    const n = Math.min(64 * P, frames - a);
    const render = stream.nextChunk(n);
    const delayed = render.map((r, c) => {
      const d = new Float32Array(n);
      d.set(previous[c]);
      d.set(r.subarray(0, n - DELAY), DELAY);
      previous[c] = r.slice(n - DELAY);
      return d;
    });
    writer.write(delayed, a, n);
  }
  writer.close();
  process.once('exit', () => rmSync(run.captureFile!, { force: true }));
  const paths = Array.from({ length: 32 }, (_, k) => ({ output: k, input: k, totalDelayFrames: DELAY, deviceDelayFrames: DELAY - P, inverted: false, gain: 1 }));
  return { run, paths, file: run.captureFile! };
}

const seconds = (o: { seconds?: number }): number => o.seconds ?? 60;

export const benchmarks: Benchmark[] = [{
  name: 'hil_chunked_analysis_32ch',
  description: 'the soak analysis on 32 channels at full polyphony from a spilled float WAV, in 1 s chunks: gates, render of the applied events, content residual, residual dropout detector and latency per channel (a 60-minute soak needs ≥ 20)',
  audioSeconds: seconds,
  setup: (o) => {
    const { run, paths, file } = soakRun(seconds(o));
    return () => {
      const reader = new FloatWavReader(file);
      analyzeScenarioChunked(run, reader, paths, P, P);
      reader.close();
    };
  },
  target: { realtimeFactorAtLeast: 20 },
}];
