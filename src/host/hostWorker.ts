/**
 * The worker side of WorkerHostRunner: builds the engine from its spec, an AudioHost over the control
 * thread's shared state, and renders ahead of the rig's callback (RenderAhead) until the rig closes or
 * the runner says stop. Sleeps on the rig's cycle semaphore (the addon's waitCycle; Atomics.wait for a
 * JavaScript cycle source) — never spins. Runs at SCHED_FIFO 4 where permitted (below JACK's own
 * process thread, above everything else) when the rig is the native JACK client.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RigPeriod } from './audioRig.ts';
import { AudioHost } from './audioHost.ts';
import { EventKind } from '../engine/events.ts';
import { fullGc } from '../engine/allocationProbe.ts';
import { Cmd } from './hostShared.ts';
import { TimeKind } from './audioHost.ts';
import type { SourceSpec } from './effectSource.ts';
import { type EngineSpec, createEngine, entryOf } from './engineSpec.ts';
import { type LiveParam, LiveParams } from './liveParams.ts';
import { audioSideExtras } from './audioSideExtras.ts';
import { SignalRing, type SignalRingBuffers } from './signalRing.ts';
import type { HostSharedBuffers } from './hostShared.ts';
import { loadJackAddon } from './jack/jackAddon.ts';
import { jackClockMap } from './jack/jackClockMap.ts';
import { PeriodRings, type PeriodRingsBuffers } from './jack/periodRings.ts';
import { type CycleWaiter, RenderAhead, type RenderAheadStats, atomicsCycleWaiter } from './jack/renderAhead.ts';
import { type AllocationSite, HeapProbe, type HeapProbeBuffers } from './heapProbe.ts';
import { PeriodTap, type PeriodTapBuffers } from './periodTap.ts';
import { type StatusSlotBuffers, StatusSlotWriter } from './statusSlot.ts';
import type { CycleClockSpec, CycleWaiterSpec } from './ringRig.ts';
import { WorkerControl } from './workerHostRunner.ts';

export interface HostWorkerData {
  shared: HostSharedBuffers;
  rings: PeriodRingsBuffers;
  waiter: CycleWaiterSpec;
  clock: CycleClockSpec;
  /** The CPU to pin the render thread to, beside the rig's callback thread (−1: not pinned). */
  renderCpu?: number;
  engineSpec: EngineSpec;
  sampleRate: number;
  periodFrames: number;
  fillPeriods: number;
  scheduleAheadFrames?: number;
  /** The control thread's performance.timeOrigin: periods carry host times on its performance.now(). */
  timeOriginMs: number;
  tap?: PeriodTapBuffers;
  control: Int32Array;
  /** Where the status (engine status and stats, render counters) is published every SNAPSHOT_MS (statusSlot.ts). */
  status: StatusSlotBuffers;
  source?: SourceSpec;
  signals?: { input: SignalRingBuffers; output: SignalRingBuffers };
  /** Counts what this thread allocates between marks the control side asks for (tests, diagnostics). */
  heapProbe?: HeapProbeBuffers;
}

export type HostWorkerMessage = { type: 'primed'; realtime: boolean } | { type: 'allocationSites'; sites: AllocationSite[] };

/** What the worker publishes in its status slot. */
export interface HostWorkerStatus {
  status: unknown;
  stats: unknown;
  render: RenderAheadStats & { tapDropped: number };
}

const SNAPSHOT_MS = 250;
const WARM_UP_BLOCKS = 3000;
/**
 * The worker's real-time priority: below the JACK client's process thread (JACK2 gives client threads
 * the server's priority − 5, i.e. 5 for jackd's default 10; measured here: our process thread and this
 * one both at FIFO 5, so neither could preempt the other), above everything at normal priority.
 */
const WORKER_RT_PRIORITY = 4;

/**
 * Runs a scratch host — its own engine, shared state and period, the same classes as the live one —
 * through WARM_UP_BLOCKS periods with notes sounding, before the output ring is primed: V8 compiles
 * the host's and the engine's hot paths now rather than in the first live blocks, then a full
 * collection clears what the warm-up left, so its garbage is not collected in the first live periods.
 * Measured without it: the first blocks took up to 10 periods (a burst of underruns at every start);
 * with the engine alone warmed (not the host) and no collection, blocks of 5.8 and 12.2 ms and a 9 ms
 * first status post in the first 2 s, at load 12 with two busy loops (2–11 underruns per start).
 */
async function warmUp(d: HostWorkerData, inputs: number, outputs: number): Promise<void> {
  const engine = await createEngine(d.engineSpec);
  const params = await liveParamRanges(d.engineSpec, engine.paramNames);
  // The live host's configuration (an effect source, signal rings, a tap), each on scratch memory: a
  // path or field the warm-up never saw would be compiled, or deoptimised, in the first live blocks.
  const scratchRing = (r: SignalRingBuffers): SignalRingBuffers => SignalRing.create(r.channels, r.capacityFrames).buffers;
  const signals = d.signals ? { input: scratchRing(d.signals.input), output: scratchRing(d.signals.output) } : undefined;
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames,
    timeOriginMs: d.timeOriginMs, ...audioSideExtras({ source: d.source, signals }, engine.numInputs, d.periodFrames, d.sampleRate),
  });
  const tap = d.tap ? PeriodTap.create(inputs, outputs, d.periodFrames, 16) : undefined;
  const P = d.periodFrames;
  // An effect is warmed up on a signal (its paths for silence alone may differ), an instrument on notes.
  const period: { -readonly [K in keyof RigPeriod]: RigPeriod[K] } = {
    inputs: Array.from({ length: inputs }, () => new Float32Array(P).map((_, i) => 0.1 * Math.sin(i * 0.3))),
    outputs: Array.from({ length: outputs }, () => new Float32Array(P)),
    frames: P, frameIndex: 0, outputFrameIndex: 0, hostTimeMs: 0, flags: 0,
  };
  const record = new Float64Array(Cmd.SLOTS);
  for (let b = 0; b < WARM_UP_BLOCKS; b++) {
    for (let k = 0; k < 2; k++) {
      record[Cmd.kind] = (b + k) % 40 === 20 ? EventKind.NoteOff : EventKind.NoteOn;
      record[Cmd.channel] = (b + k) % 16;
      record[Cmd.note] = 36 + ((b + 7 * k) % 48);
      record[Cmd.value] = 100;
      record[Cmd.paramIndex] = 0;
      record[Cmd.timeKind] = k === 0 ? TimeKind.None : TimeKind.Frame;
      record[Cmd.time] = k === 0 ? 0 : (b + 1) * P + (b % P);
      record[Cmd.logId] = b;
      host.commands.push(record);
    }
    // An effect's live parameters, each moved between a quarter and three quarters of its range a few
    // times at frames inside the block (the ramps included), as a client's /param messages move them.
    if (params.length > 0 && b % 3 === 0) {
      const p = params[(b / 3) % params.length | 0];
      const v = p.min + (((b / 3 / params.length) | 0) % 2 === 0 ? 0.25 : 0.75) * (p.max - p.min);
      record[Cmd.kind] = EventKind.Param;
      record[Cmd.channel] = 0;
      record[Cmd.note] = 0;
      record[Cmd.value] = p.integer ? Math.round(v) : v;
      record[Cmd.paramIndex] = p.index;
      record[Cmd.timeKind] = TimeKind.Frame;
      record[Cmd.time] = (b + 1) * P + ((b * 7) % P);
      record[Cmd.logId] = b;
      host.commands.push(record);
    }
    period.frameIndex = b * P;
    period.outputFrameIndex = period.frameIndex + d.fillPeriods * P;
    period.hostTimeMs = performance.now();
    host.processPeriod(period);
    if (tap) {
      tap.push(period);
      tap.drain(() => {});
    }
    // The control side's part of the applied ring, so that it never fills.
    while (host.applied.pop(record));
  }
  fullGc();
  fullGc();
}

/**
 * The live parameters of an effect named by an 'entry' spec, with their ranges (as the control side checks
 * them: liveParams.ts); none for the click and haptic engines (the haptic engine warms its own event paths:
 * hapticWarmUp.ts).
 */
async function liveParamRanges(spec: EngineSpec, paramNames: readonly string[]): Promise<readonly LiveParam[]> {
  if (spec.kind !== 'entry') return [];
  const { entry, params } = await entryOf(spec);
  return new LiveParams(entry.engine, paramNames, entry.paramsSchema, params).params.filter((p) => Number.isFinite(p.min) && Number.isFinite(p.max));
}

async function main(): Promise<void> {
  if (!parentPort) return;
  const d = workerData as HostWorkerData;
  const addon = d.waiter.kind === 'native' || d.clock === 'jack' ? loadJackAddon() : undefined;
  const realtime = addon ? addon.setRealtime(WORKER_RT_PRIORITY, 'rig-render', d.renderCpu ?? -1) === 0 : false;
  const rings = new PeriodRings(d.rings);
  await warmUp(d, rings.layout.inputs, rings.layout.outputs);
  const engine = await createEngine(d.engineSpec);
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames,
    shared: d.shared, timeOriginMs: d.timeOriginMs, ...audioSideExtras(d, engine.numInputs, d.periodFrames, d.sampleRate),
  });
  const clock = d.clock === 'jack' && addon ? jackClockMap(addon, d.timeOriginMs) : { map: (us: number) => us / 1000, refresh: () => {} };
  const ahead = new RenderAhead(rings, d.fillPeriods, clock.map);
  const tap = d.tap ? new PeriodTap(d.tap) : undefined;
  const waiter: CycleWaiter = d.waiter.kind === 'native' && addon
    ? { wait: (ms) => addon.waitCycle((d.waiter as { handle: number }).handle, ms) }
    : atomicsCycleWaiter(rings.ctl);
  const callback = tap ? (p: RigPeriod) => { host.processPeriod(p); tap.push(p); } : (p: RigPeriod) => host.processPeriod(p);
  const sleepCell = new Int32Array(new SharedArrayBuffer(4));
  const e = engine as typeof engine & { getStatus?: () => unknown; getStats?: () => unknown };
  // Published through shared memory, never posted: a post from this real-time thread would take a
  // mutex the normal-priority control thread also takes (statusSlot.ts).
  const statusSlot = new StatusSlotWriter(d.status);
  const snapshot = () => statusSlot.write({
    status: e.getStatus?.() ?? null, stats: e.getStats?.() ?? null, render: { ...ahead.stats, tapDropped: tap?.dropped ?? 0 },
  } satisfies HostWorkerStatus);
  const probe = d.heapProbe ? new HeapProbe(d.heapProbe) : undefined;
  let lastSnapshotMs = performance.now();
  let lastClockMs = lastSnapshotMs;

  // The first status is published before the stream starts (the first post, when statuses were posted, took 9 ms).
  snapshot();
  ahead.prime();
  parentPort.postMessage({ type: 'primed', realtime } satisfies HostWorkerMessage);
  ahead.run(callback, waiter, () => Atomics.load(d.control, WorkerControl.stop) === 1, () => {
    const stallMs = Atomics.exchange(d.control, WorkerControl.stallMs, 0);
    if (stallMs > 0) Atomics.wait(sleepCell, 0, 0, stallMs);
    const now = performance.now();
    if (now - lastSnapshotMs >= SNAPSHOT_MS) {
      lastSnapshotMs = now;
      snapshot();
    }
    if (now - lastClockMs >= 1000) {
      lastClockMs = now;
      clock.refresh();
    }
    if (probe !== undefined) probe.poll();
  });
  ahead.pump(callback);
  snapshot();
  if (probe !== undefined) parentPort.postMessage({ type: 'allocationSites', sites: probe.finish() } satisfies HostWorkerMessage);
}

void main();
