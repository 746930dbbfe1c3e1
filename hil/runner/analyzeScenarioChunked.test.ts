import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalHistory } from '../../src/analysis/dropouts/signalHistory.ts';
import { FloatWavReader } from '../../src/io/floatWavStream.ts';
import { readWav } from '../../src/io/wavFile.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { analyzeScenarioChunked } from './analyzeScenarioChunked.ts';
import { calibrate } from './calibrate.ts';
import { memoryCapture } from './captureSource.ts';
import { wholeDropoutWindows } from './dropoutWindows.ts';
import { runScenario, type ScenarioRun } from './runScenario.ts';

const FS = 48000;
const P = 128;
/** 4 transducer paths and a pilot on the spare channel 6 (index 5; a 6-channel rig keeps the run cheap). */
const PATHS = [0, 1, 2, 3];
const PILOT = { output: 5, input: 5 };
const RIG = { latencySamples: 128.4, inputChannels: 6, outputChannels: 6 };
/** A burst every 250 ms: 39 bursts in 10 s, 156 onsets to measure, each alone. */
const EVERY_MS = 250;
const BURSTS = 39;
/**
 * 10 s: 10 chunks of the larger size and over 500 of the smaller (5 times the 2 s of picture history the
 * chunked pass keeps), with faults inside and across their boundaries — the kinds of boundary the 2 minutes
 * (then 40 s, then 20 s) this test once ran had (the chunked = whole comparison does not depend on the length;
 * the file's time does: 40 s took a quarter of the vitest suite's CPU time with this file alone, 2026-12-05).
 */
const DURATION_MS = 10_000;
/** Chunk sizes: 7 periods, one second and 3 periods — faults fall across their boundaries (the spilled run: 1 s). */
const CHUNKS = [7 * P, FS + 3 * P];

/** DURATION_MS of the sweep's bursts (65 Hz … 1 kHz on every transducer, EVERY_MS apart), silent at the end. */
function sweepBursts(dir: string) {
  const file = join(dir, 'sweep-bursts.json');
  writeFileSync(file, JSON.stringify({
    formatVersion: 1, description: 'sweep bursts', engine: { envelope: { attackMs: 2, releaseMs: 20 }, masterGainDb: -6 },
    durationMs: DURATION_MS,
    timeline: [{ type: 'repeat', atMs: 50, count: BURSTS, everyMs: EVERY_MS, noteStep: 1, events: [
      { type: 'noteOn', atMs: 0, channel: 0, note: 36, velocity: 110 }, { type: 'noteOff', atMs: 35, channel: 0, note: 36 }] }],
    expect: { silentAfterMs: 150 },
    budgets: { latency: { p99Ms: 8 }, dropouts: 0, clippedSamples: 0, contentResidualDb: -40 },
  }));
  return loadScenario(file);
}

describe('analyzeScenarioChunked on a 10-second virtual-rig run with injected faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chunked-'));
  let run: ScenarioRun;
  let paths: Awaited<ReturnType<typeof calibrate>>['paths'];
  let whole: ReturnType<typeof analyzeScenario>;
  // Input frames inside bursts (burst k from 50 + 250·k ms, the scenario one period in), and some across
  // the chunk boundaries of every size above.
  const inBurst = (k: number, ms = 12) => P + Math.round((50 + EVERY_MS * k + ms) * FS / 1000) + 128 + P;
  const faults = [
    { kind: 'zero' as const, atFrame: inBurst(3), lengthFrames: 64 },
    { kind: 'repeat' as const, atFrame: inBurst(10), lengthFrames: 128 },
    { kind: 'drop' as const, atFrame: inBurst(16), lengthFrames: 1 },
    { kind: 'repeat' as const, atFrame: inBurst(25), lengthFrames: 1 },
    // Across a boundary of the 7-period chunks and of the 1 s + 3-period ones.
    { kind: 'zero' as const, atFrame: inBurst(29, 5) - (inBurst(29, 5) % (7 * P)) - 20, lengthFrames: 100 },
    { kind: 'drop' as const, atFrame: 9 * (FS + 3 * P) + 128 + P - 2, lengthFrames: 5 },
    { kind: 'zero' as const, atFrame: inBurst(38), lengthFrames: 1 },
    // A stall (silence, then the loop going on where it was) across a boundary of the 7-period chunks.
    { kind: 'stall' as const, atFrame: inBurst(33) - (inBurst(33) % (7 * P)) - 100, lengthFrames: 256 },
  ];

  beforeAll(async () => {
    SignalHistory.poisonDiscarded = true; // a stage that read history it let go of would change its findings
    const withPilot = (rig: VirtualRig) => Object.create(rig, { pilot: { value: PILOT } }) as VirtualRig;
    paths = (await calibrate(new VirtualRig(RIG), PATHS)).paths;
    const scenario = sweepBursts(dir);
    const spilled = await runScenario(withPilot(new VirtualRig({ ...RIG, faults })), scenario, { captureFile: join(dir, 'capture.wav') });
    run = { ...spilled, capture: readWav(spilled.captureFile!).channels.map((c) => { const x = new Float32Array(spilled.frames); x.set(c); return x; }) };
    whole = analyzeScenario(run, paths, P, P, PILOT);
  }, 300_000);
  afterAll(() => {
    SignalHistory.poisonDiscarded = false;
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the injected faults in the whole-signal analysis (the comparison is not trivially empty)', () => {
    const residual = whole.result.dropouts.filter((d) => d.detector === 'residual');
    const pilot = whole.result.dropouts.filter((d) => d.detector === 'pilot');

    expect(new Set(residual.map((d) => d.startFrame)).size).toBeGreaterThanOrEqual(faults.length - 1);
    expect(residual.filter((d) => d.kind === 'inserted' && d.lengthFrames === 256).map((d) => d.channelIndex).sort()).toEqual(PATHS); // the stall
    expect(pilot.length).toBeGreaterThanOrEqual(faults.length - 2);
    expect(whole.result.latency.onsetCount).toBe(BURSTS * PATHS.length);
    // Whole-sample faults only: the detector followed no latency without an event, on every path it examined.
    const followed = whole.result.content.latencyFollowedSamples ?? [];
    expect(PATHS.map((k) => followed[k])).toEqual([0, 0, 0, 0]);
    expect(followed.filter((v) => v !== null)).toHaveLength(PATHS.length);
  });

  it.each(CHUNKS)('gives exactly the whole-signal result in chunks of %i frames, pictures included', (chunkFrames) => {
    const chunked = analyzeScenarioChunked(run, memoryCapture(run.capture), paths, P, P, PILOT, { chunkFrames });

    expect(chunked.result).toEqual(whole.result);
    const wholeWindows = wholeDropoutWindows(whole.result.dropouts, run.capture, whole.render, paths, FS);
    expect([...chunked.windows.values()]).toEqual([...wholeWindows.values()]);
  }, 120_000);

  it('gives the same result from the float WAV the run spilled its capture to (1 s chunks)', () => {
    const reader = new FloatWavReader(run.captureFile!);
    const chunked = analyzeScenarioChunked(run, reader, paths, P, P, PILOT);
    reader.close();

    expect(chunked.result).toEqual(whole.result);
  }, 120_000);
});
