/**
 * The worker side of WorkerHostRunner: builds the engine from its spec, an AudioHost over the control
 * thread's shared state, and renders ahead of the rig's callback (RenderAhead) until the rig closes or
 * the runner says stop. Sleeps on the rig's cycle semaphore (the addon's waitCycle; Atomics.wait for a
 * JavaScript cycle source) — never spins. Runs at SCHED_FIFO 5 where permitted (below JACK's own
 * process thread, above everything else) when the rig is the native JACK client.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RigPeriod } from './audioRig.ts';
import { AudioHost } from './audioHost.ts';
import { EventKind, makeEvent } from '../engine/events.ts';
import type { SourceSpec } from './effectSource.ts';
import { type EngineSpec, createEngine } from './engineSpec.ts';
import { audioSideExtras } from './audioSideExtras.ts';
import type { SignalRingBuffers } from './signalRing.ts';
import type { HostSharedBuffers } from './hostShared.ts';
import { loadJackAddon } from './jack/jackAddon.ts';
import { jackClockMap } from './jack/jackClockMap.ts';
import { PeriodRings, type PeriodRingsBuffers } from './jack/periodRings.ts';
import { type CycleWaiter, RenderAhead, type RenderAheadStats, atomicsCycleWaiter } from './jack/renderAhead.ts';
import { PeriodTap, type PeriodTapBuffers } from './periodTap.ts';
import type { CycleClockSpec, CycleWaiterSpec } from './ringRig.ts';
import { WorkerControl } from './workerHostRunner.ts';

export interface HostWorkerData {
  shared: HostSharedBuffers;
  rings: PeriodRingsBuffers;
  waiter: CycleWaiterSpec;
  clock: CycleClockSpec;
  engineSpec: EngineSpec;
  sampleRate: number;
  periodFrames: number;
  fillPeriods: number;
  scheduleAheadFrames?: number;
  /** The control thread's performance.timeOrigin: periods carry host times on its performance.now(). */
  timeOriginMs: number;
  tap?: PeriodTapBuffers;
  control: Int32Array;
  source?: SourceSpec;
  signals?: { input: SignalRingBuffers; output: SignalRingBuffers };
}

export type HostWorkerMessage =
  | { type: 'primed'; realtime: boolean }
  | { type: 'snapshot'; status: unknown; stats: unknown; render: RenderAheadStats & { tapDropped: number } };

const SNAPSHOT_MS = 250;
const WARM_UP_BLOCKS = 3000;

/**
 * Runs a scratch copy of the engine through WARM_UP_BLOCKS blocks with notes sounding, before the
 * output ring is primed: V8 compiles the hot paths now rather than in the first live blocks (measured
 * without it: the first blocks took up to 10 periods, a burst of underruns at every start).
 */
async function warmUp(spec: EngineSpec, sampleRate: number, periodFrames: number): Promise<void> {
  const engine = await createEngine(spec);
  engine.prepare({ sampleRate, maxBlockFrames: periodFrames });
  // An effect is warmed up on a signal (its paths for silence alone may differ), an instrument on notes.
  const ins = Array.from({ length: engine.numInputs }, () => new Float32Array(periodFrames).map((_, i) => 0.1 * Math.sin(i * 0.3)));
  const outs = Array.from({ length: engine.numOutputs }, () => new Float32Array(periodFrames));
  const ev = makeEvent();
  for (let b = 0; b < WARM_UP_BLOCKS; b++) {
    ev.kind = b % 40 === 20 ? EventKind.NoteOff : EventKind.NoteOn;
    ev.channel = b % 16;
    ev.note = 36 + (b % 48);
    ev.value = 100;
    engine.process(ins, outs, periodFrames, [ev], b % 20 === 0 ? 1 : 0);
  }
}

async function main(): Promise<void> {
  if (!parentPort) return;
  const d = workerData as HostWorkerData;
  const addon = d.waiter.kind === 'native' || d.clock === 'jack' ? loadJackAddon() : undefined;
  const realtime = addon ? addon.setRealtime(5) === 0 : false;
  await warmUp(d.engineSpec, d.sampleRate, d.periodFrames);
  const engine = await createEngine(d.engineSpec);
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames,
    shared: d.shared, timeOriginMs: d.timeOriginMs, ...audioSideExtras(d, engine.numInputs, d.periodFrames, d.sampleRate),
  });
  const rings = new PeriodRings(d.rings);
  const clock = d.clock === 'jack' && addon ? jackClockMap(addon, d.timeOriginMs) : { map: (us: number) => us / 1000, refresh: () => {} };
  const ahead = new RenderAhead(rings, d.fillPeriods, clock.map);
  const tap = d.tap ? new PeriodTap(d.tap) : undefined;
  const waiter: CycleWaiter = d.waiter.kind === 'native' && addon
    ? { wait: (ms) => addon.waitCycle((d.waiter as { handle: number }).handle, ms) }
    : atomicsCycleWaiter(rings.ctl);
  const callback = tap ? (p: RigPeriod) => { host.processPeriod(p); tap.push(p); } : (p: RigPeriod) => host.processPeriod(p);
  const sleepCell = new Int32Array(new SharedArrayBuffer(4));
  const e = engine as typeof engine & { getStatus?: () => unknown; getStats?: () => unknown };
  const snapshot = () => parentPort?.postMessage({
    type: 'snapshot', status: e.getStatus?.() ?? null, stats: e.getStats?.() ?? null, render: { ...ahead.stats, tapDropped: tap?.dropped ?? 0 },
  } satisfies HostWorkerMessage);
  let lastSnapshotMs = performance.now();
  let lastClockMs = lastSnapshotMs;

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
  });
  ahead.pump(callback);
  snapshot();
}

void main();
