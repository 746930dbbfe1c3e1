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
import { type EngineSpec, createEngine } from './engineSpec.ts';
import type { HostSharedBuffers } from './hostShared.ts';
import { type JackAddon, loadJackAddon } from './jack/jackAddon.ts';
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
}

export type HostWorkerMessage =
  | { type: 'primed'; realtime: boolean }
  | { type: 'snapshot'; status: unknown; stats: unknown; render: RenderAheadStats & { tapDropped: number } };

const SNAPSHOT_MS = 250;

/**
 * jack_get_time() µs → the control thread's performance.now() ms: the offset between the two clocks,
 * read with the narrowest of 5 brackets (a few µs), re-read every second (they may drift apart by ppm).
 */
function jackClockMap(addon: JackAddon, controlTimeOriginMs: number): { map: (us: number) => number; refresh: () => void } {
  let offsetMs = 0;
  const refresh = () => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const jack = addon.jackTimeUs() / 1000;
      const t2 = performance.now();
      if (t2 - t1 < best) {
        best = t2 - t1;
        offsetMs = jack - ((t1 + t2) / 2 + performance.timeOrigin - controlTimeOriginMs);
      }
    }
  };
  refresh();
  return { map: (us) => us / 1000 - offsetMs, refresh };
}

if (parentPort) {
  const d = workerData as HostWorkerData;
  const addon = d.waiter.kind === 'native' || d.clock === 'jack' ? loadJackAddon() : undefined;
  const realtime = addon ? addon.setRealtime(5) === 0 : false;
  const engine = createEngine(d.engineSpec);
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames,
    shared: d.shared, timeOriginMs: d.timeOriginMs,
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
  const snapshot = () => parentPort!.postMessage({
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
