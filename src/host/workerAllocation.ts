import { Prng } from '../dsp/prng.ts';
import { parseParams } from '../engine/params.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import type { SourceSpec } from './effectSource.ts';
import { seededRecording } from './seededRecording.ts';
import { type EngineSpec, createEngine } from './engineSpec.ts';
import { type AllocationSite, type HeapProbeReading, HeapProbeReader, createHeapProbe } from './heapProbe.ts';
import { JsRingRig } from './jack/jsRingRig.ts';
import type { RenderAheadStats } from './jack/renderAhead.ts';
import { LiveParams } from './liveParams.ts';
import { RigServer } from './rigServer.ts';
import { WorkerHostRunner } from './workerHostRunner.ts';

/** The live configurations measured: the haptic instrument, and the two effects on a looped source. */
export const LOAD_ENGINES = {
  haptic: { kind: 'haptic' },
  fdn16: { kind: 'entry', engine: 'reverb', config: { lines: 16 } },
  lossy: { kind: 'entry', engine: 'lossy', config: {} },
} as const satisfies Record<string, EngineSpec>;
export type LoadEngineName = keyof typeof LOAD_ENGINES;

export interface WorkerAllocationOptions {
  engine: LoadEngineName | EngineSpec;
  periodFrames?: number;
  /** Live periods rendered under load before the first mark (after the worker's own warm-up). */
  warmUpPeriods: number;
  /** Periods between the first and the last mark when `windows` windows are measured (each window is periods / windows long). */
  periods: number;
  /**
   * Windows the periods are split into (default 1), each read on its own: the smallest is the steady
   * state's figure, as measureAllocation keeps the smallest of its repeats — V8 installing optimised code
   * late (the background compiler on a loaded machine) lands in one window, not in all.
   */
  windows?: number;
  /**
   * Measure more windows of the same length, up to `maxWindows` in all, until one is `enough` — on a loaded
   * machine V8's background compiler can install optimised code late, in each of the first windows; the same
   * worker settles where a fresh one would start its tiering again. Default: exactly `windows`.
   */
  maxWindows?: number;
  enough?: (window: HeapProbeReading) => boolean;
  /** Cycle at the stream's rate by the wall clock (per-minute figures, status snapshots as often as live); else as fast as the worker renders. */
  realTime?: boolean;
  /** Attribute with V8's sampling heap profiler (heapProbe.ts: slower, for diagnostics). */
  sampleAllocations?: boolean;
  seed?: number;
}

export interface WorkerAllocationResult {
  /** What the render thread allocated between the first and the last mark (heapProbe.ts), with the collections it ran. */
  reading: HeapProbeReading;
  /** Each window's reading, in order. */
  windows: HeapProbeReading[];
  periods: number;
  periodFrames: number;
  seconds: number;
  commands: number;
  render: RenderAheadStats & { tapDropped: number };
  sites: AllocationSite[];
  /** The server's status after the run (proves the load reached the engine: applied events, engine status). */
  applied: number;
  engineStatus: unknown;
}

const SAMPLE_RATE = 48000;

/** The window between two readings (counts subtracted; the longest pause is the later reading's). */
function minus(b: HeapProbeReading, a: HeapProbeReading): HeapProbeReading {
  return {
    marks: b.marks - a.marks, youngBytes: b.youngBytes - a.youngBytes, heapBytes: b.heapBytes - a.heapBytes,
    scavenges: b.scavenges - a.scavenges, markCompacts: b.markCompacts - a.markCompacts,
    gcPauseMaxMs: b.gcPauseMaxMs, gcPauseSumMs: b.gcPauseSumMs - a.gcPauseSumMs,
  };
}
const FILL_PERIODS = 2;

/** A 0.15 s seeded noise recording on shared memory, looped as an effect's source. */
function loopSource(seed: number): SourceSpec {
  return { kind: 'loop', channels: [seededRecording(seed)], name: 'seeded noise' };
}

/**
 * The control side's load, one period's worth per call: for the haptic instrument (as the soak drives it,
 * denser) a note-on every period alternating the two pools by velocity, its note-off 40 periods later,
 * an MPE update (pressure, bend, timbre) on another channel, and a master-gain move every 16 periods;
 * for an effect a live parameter moved between a quarter and three quarters of its range every other
 * period. Timestamps cycle through none, a stream frame a few periods ahead (mid-period) and epoch ms
 * (3 ms ahead of the period's stream time) — on the JS ring rig, whose stream frame is `frame`; `stamped`
 * false: none (a rig whose stream runs on its own clock, scripts/jackRenderWorker.ts).
 */
export function loadFor(spec: EngineSpec, paramNames: readonly string[], periodFrames: number, seed: number, stamped = true): (n: number, frame: number) => ControlCommand[] {
  const rng = new Prng(seed);
  const stamp = (n: number, frame: number): ControlCommand['timestamp'] => {
    const k = stamped ? n % 3 : 0;
    if (k === 0) return undefined;
    if (k === 1) return { kind: 'frame', frame: frame + 4 * periodFrames + ((n * 7) % periodFrames) };
    // On the stream's clock: the JS ring rig's host time is its frame time (jsRingRig.ts), not the wall clock.
    return { kind: 'epochMs', epochMs: performance.timeOrigin + (frame * 1000) / SAMPLE_RATE + 3 };
  };
  if (spec.kind === 'haptic') {
    return (n, frame) => {
      const channel = n % 16;
      const note = (m: number) => 36 + ((m * 5) % 48);
      const cmds: ControlCommand[] = [
        { type: 'noteOn', channel, note: note(n), velocity: n % 2 === 0 ? 30 + (n % 40) : 90 + (n % 37), timestamp: stamp(n, frame) },
        { type: 'mpe', channel: (n * 3 + 1) % 16, pressure: rng.nextFloat(), bend: 2 * rng.nextFloat() - 1, timbre: rng.nextFloat(), timestamp: stamp(n + 1, frame) },
      ];
      if (n >= 40) cmds.push({ type: 'noteOff', channel: (n - 40) % 16, note: note(n - 40), velocity: 64, timestamp: stamp(n + 2, frame) });
      if (n % 16 === 0) cmds.push({ type: 'param', name: 'masterGainDb', value: -24 + 6 * rng.nextFloat(), timestamp: stamp(n, frame) });
      return cmds;
    };
  }
  if (spec.kind !== 'entry') return () => [];
  const entry = engineEntry(spec.engine);
  const live = new LiveParams(entry.engine, paramNames, entry.paramsSchema, parseParams(entry.paramsSchema, spec.config ?? {}, 'load'))
    .params.filter((p) => Number.isFinite(p.min) && Number.isFinite(p.max));
  return (n, frame) => {
    if (n % 2 !== 0 || live.length === 0) return [];
    const p = live[(n / 2) % live.length];
    const v = p.min + (0.25 + 0.5 * rng.nextFloat()) * (p.max - p.min);
    return [{ type: 'param', index: p.index, value: p.integer ? Math.round(v) : v, timestamp: stamp(n, frame) }];
  };
}

/**
 * Runs a worker host (WorkerHostRunner, as on the native JACK rig) on a JsRingRig under load and
 * returns what its render thread allocated over `periods` periods after `warmUpPeriods` live ones —
 * the render worker's steady state. The rig is the JavaScript cycle source: a device that waits for
 * each block (no underruns), paced by the wall clock when `realTime`.
 */
export async function measureWorkerAllocation(o: WorkerAllocationOptions): Promise<WorkerAllocationResult> {
  const spec: EngineSpec = typeof o.engine === 'string' ? LOAD_ENGINES[o.engine] : o.engine;
  const P = o.periodFrames ?? 64;
  const seed = o.seed ?? 13;
  const engine = await createEngine(spec);
  const effect = engine.numInputs > 0 && spec.kind === 'entry' && !/[\\/]/.test(spec.engine) ? engineEntry(spec.engine) : undefined;
  const rig = new JsRingRig({ sampleRate: SAMPLE_RATE, periodFrames: P, inputChannels: Math.max(1, engine.numInputs), outputChannels: engine.numOutputs, fillPeriods: FILL_PERIODS });
  const probeBuffers = createHeapProbe(o.sampleAllocations);
  const probe = new HeapProbeReader(probeBuffers);
  const server = new RigServer({
    rig, engine, engineSpec: spec, osc: false, socketPath: false, log: () => {}, heapProbe: probeBuffers,
    source: engine.numInputs > 0 ? loopSource(seed) : undefined,
    effect: effect && spec.kind === 'entry'
      ? { entry: effect, params: parseParams(effect.paramsSchema, spec.config ?? {}, 'load'), shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent' }
      : undefined,
  });
  const load = loadFor(spec, engine.paramNames, P, seed);
  const periodMs = (P * 1000) / SAMPLE_RATE;
  let n = 0;
  let commands = 0;
  let t0 = performance.now();
  let due = 0;
  const cycle = async (): Promise<void> => {
    for (const c of load(n, n * P)) {
      if (server.submit(c).ok) commands++;
    }
    await rig.cycleWhenReady();
    n++;
  };
  /** Cycles until `count` more periods have run and the worker has made mark `mark` (if given). */
  const run = async (count: number, mark?: number): Promise<void> => {
    const end = n + count;
    while (n < end || (mark !== undefined && probe.read().marks < mark)) {
      if (o.realTime) {
        while (due <= n) {
          await new Promise((r) => setTimeout(r, 1));
          due = Math.floor((performance.now() - t0) / periodMs);
        }
      }
      await cycle();
    }
  };
  await server.start();
  let first = 0;
  let reading: HeapProbeReading;
  const windows: HeapProbeReading[] = [];
  let status: ReturnType<RigServer['status']>;
  let seconds = 0;
  try {
    t0 = performance.now();
    // A first mark half-way through the warm-up: it calibrates the probe, and its branch, first taken in
    // the worker's loop, deoptimises that loop once (V8 had no feedback for it) — outside the window.
    await run(o.warmUpPeriods >> 1);
    await run(0, probe.request());
    await run(o.warmUpPeriods - (o.warmUpPeriods >> 1));
    await run(0, probe.request());
    const start = probe.read();
    first = n;
    const started = performance.now();
    const count = Math.max(1, o.windows ?? 1);
    const most = Math.max(count, o.maxWindows ?? count);
    let last = start;
    for (let w = 0; w < most; w++) {
      if (w >= count && (o.enough === undefined || windows.some(o.enough))) break;
      await run(Math.round(o.periods / count));
      await run(0, probe.request());
      const now = probe.read();
      windows.push(minus(now, last));
      last = now;
    }
    seconds = (performance.now() - started) / 1000;
    reading = minus(last, start);
    status = server.status();
  } finally {
    await server.stop();
  }
  const runner = server.runner as WorkerHostRunner;
  return {
    reading, windows, periods: n - first, periodFrames: P, seconds, commands, render: runner.renderStats, sites: runner.allocationSites,
    applied: status.counts.applied, engineStatus: status.engineStatus,
  };
}
