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
import { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { Engine } from '../engine/engine.ts';
import { EventKind } from '../engine/events.ts';
import { type HostClock, hostClock } from './hostClock.ts';
import { type ThreadCpuClock, threadCpuClock } from './threadCpuClock.ts';
import { sharedBuffersIn, touchPages } from './touchPages.ts';
import { JsCycleSource } from './jack/jsCycleSource.ts';
import { Cmd } from './hostShared.ts';
import { TimeKind } from './audioHost.ts';
import type { SourceSpec } from './effectSource.ts';
import { type EngineSpec, createEngine, entryOf } from './engineSpec.ts';
import { type LiveParam, LiveParams } from './liveParams.ts';
import { audioSideExtras } from './audioSideExtras.ts';
import { SignalRing, type SignalRingBuffers } from './signalRing.ts';
import type { HostSharedBuffers } from './hostShared.ts';
import { type JackAddon, loadJackAddon } from './jack/jackAddon.ts';
import { jackClockMap } from './jack/jackClockMap.ts';
import { Ctl, PeriodRings, type PeriodRingsBuffers, RingState } from './jack/periodRings.ts';
import { type CycleWaiter, RenderAhead, atomicsCycleWaiter } from './jack/renderAhead.ts';
import { type AllocationSite, HeapProbe, type HeapProbeBuffers } from './heapProbe.ts';
import { PeriodTap, type PeriodTapBuffers } from './periodTap.ts';
import { PeriodicTasks } from './periodicTasks.ts';
import { type StatusSlotBuffers, StatusSlotWriter } from './statusSlot.ts';
import { statusPublisher } from './workerStatus.ts';
import type { CycleClockSpec, CycleWaiterSpec } from './ringRig.ts';
import { WorkerControl } from './workerHostRunner.ts';
import { EngineBuildMailbox, type EngineBuildMailboxBuffers } from './engineBuildMailbox.ts';
import { WorkerEngineBuilds } from './workerEngineBuilds.ts';
import { settleHeapForStream } from './settleHeap.ts';
import { type RenderTierReport, watchRenderTiers } from './renderTiers.ts';

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
  /** Posts which of the render loop's functions ran optimised code at the stream's start and lost it by its end (renderTiers.ts; tests, diagnostics). */
  tierReport?: boolean;
  /** The engine in a CrossfadeEngine, its next one built here when asked through the mailbox (structural changes). */
  structural?: { mailbox: EngineBuildMailboxBuffers; fadeMs?: number };
}

export type HostWorkerMessage = { type: 'primed'; realtime: boolean } | { type: 'allocationSites'; sites: AllocationSite[] }
  | { type: 'tiers'; report: RenderTierReport };

const SNAPSHOT_MS = 250;
const CLOCK_REFRESH_MS = 1000;
const WARM_UP_BLOCKS = 2000;
/**
 * The worker's real-time priority: below the JACK client's process thread (JACK2 gives client threads
 * the server's priority − 5, i.e. 5 for jackd's default 10; measured here: our process thread and this
 * one both at FIFO 5, so neither could preempt the other), above everything at normal priority.
 */
const WORKER_RT_PRIORITY = 4;

/** The render callback's target: the warm-up's scratch host, then the live one (one closure for both). */
interface CallbackTarget {
  host: AudioHost | undefined;
  tap: PeriodTap | undefined;
}

/** The warm-up's scratch stream (warmUp): blocks rendered by pumping, or by the stream's own loop with the live loop's hooks. */
interface ScratchStream {
  pump(blocks: number): void;
  run(blocks: number, loop: RenderLoopHooks): void;
}

/** The live render loop's stop test, between-cycles work and waiter, which the warm-up runs its loop with. */
interface RenderLoopHooks {
  shouldStop: () => boolean;
  beforeWait: () => void;
  waiter: CycleWaiter;
}

/**
 * The warm-up's second part, after the live engine, host and loop are built: LOOP_WARM_UP_BLOCKS periods in
 * LOOP_WARM_UP_RUNS calls of RenderAhead.run with the live loop's hooks (ScratchStream.run).
 */
const LOOP_WARM_UP_BLOCKS = 3000;
const LOOP_WARM_UP_RUNS = 30;
/** Calls of the live waiter in the warm-up (each returns at once): enough for V8 to optimise a small function. */
const WAITER_WARM_UP_CALLS = 3000;

/** What the warm-up built, kept for the worker's life (see warmUp). */
const retained: unknown[] = [];

/**
 * A scratch host — its own engine, shared state and period rings, the same classes as the live one —
 * that main() runs through WARM_UP_BLOCKS periods, then LOOP_WARM_UP_BLOCKS more through the stream's own
 * loop, with notes, MPE and parameters sounding, before the output ring is primed: V8 compiles the host's
 * and the engine's hot paths now rather than in the first live blocks, then a full collection clears what
 * the warm-up left, so its garbage is not collected in the first live periods. Measured without it: the first blocks took up to 10 periods (a burst of
 * underruns at every start); with the engine alone warmed (not the host) and no collection, blocks of
 * 5.8 and 12.2 ms and a 9 ms first status post in the first 2 s, at load 12 with two busy loops.
 *
 * The periods go through a RenderAhead on scratch rings fed by a JavaScript cycle source, with the live
 * render `callback` (it calls `target`, pointed at the scratch host here) and the live clock map, so the
 * render path is compiled for the objects it will run on; gaps, repeated frames, blocks rendered too
 * late for their cycle (the source run ahead), late-block records (with the live host's sinceIdle), clock steps,
 * flagged periods, wall-clock and frame timestamps and fractional MPE values all occur, as they do live (a path first
 * met live deoptimises its function, and until it is optimised again every double it touches is a heap
 * number). The scratch objects are kept alive: optimised code refers weakly to objects it was compiled
 * against, and their collection deoptimised every warmed function at once ("weak objects" in
 * --trace-deopt; the render worker then allocated ~350 B a period until V8 had optimised it again).
 */
async function warmUp(d: HostWorkerData, inputs: number, outputs: number, target: CallbackTarget, callback: (p: RigPeriod) => void,
  hostMsOfCycleUs: (us: number) => number, clock: HostClock, sinceIdle: ((out: Int32Array) => void) | undefined, threadCpu: ThreadCpuClock | undefined): Promise<ScratchStream> {
  const engine = await buildEngine(d);
  const params = await liveParamRanges(d.engineSpec, engine.paramNames);
  // The live host's configuration (an effect source, signal rings, a tap), each on scratch memory: a
  // path or field the warm-up never saw would be compiled, or deoptimised, in the first live blocks.
  const scratchRing = (r: SignalRingBuffers): SignalRingBuffers => SignalRing.create(r.channels, r.capacityFrames).buffers;
  const signals = d.signals ? { input: scratchRing(d.signals.input), output: scratchRing(d.signals.output) } : undefined;
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames, clock,
    timeOriginMs: d.timeOriginMs, ...audioSideExtras({ source: d.source, signals }, engine.numInputs, d.periodFrames, d.sampleRate),
    ...(sinceIdle ? { sinceIdle } : {}), ...(threadCpu ? { threadCpu } : {}),
  });
  const tap = d.tap ? PeriodTap.create(inputs, outputs, d.periodFrames, 16) : undefined;
  target.host = host;
  target.tap = tap;
  const P = d.periodFrames;
  const rings = PeriodRings.create({ inputs, outputs, periodFrames: P, ringPeriods: 16, underrunCapacity: 64 });
  const source = new JsCycleSource(rings, d.sampleRate);
  const ahead = new RenderAhead(rings, d.fillPeriods, hostMsOfCycleUs);
  ahead.prime();
  // An effect is warmed up on a signal (its paths for silence alone may differ), an instrument on notes.
  const cycleInputs = Array.from({ length: inputs }, () => new Float32Array(P).map((_, i) => 0.1 * Math.sin(i * 0.3)));
  const played = Array.from({ length: outputs }, () => new Float32Array(P));
  const mpeKinds = [EventKind.Pressure, EventKind.PitchBend, EventKind.Timbre];
  const record = new Float64Array(Cmd.SLOTS);
  let b = 0;
  /** Queues block b's commands and its cycle. */
  const queueBlock = (): void => {
    for (let k = 0; k < 3; k++) {
      const mpe = k === 2;
      // A note-off every 40 blocks, for the note started the block before on the same channel: a release of a held
      // note (the haptic engine's, of either kind of wave) is a path of its own, first met live otherwise.
      const off = !mpe && (b + k) % 40 === 20;
      const c = off ? b - 1 : b;
      record[Cmd.kind] = mpe ? mpeKinds[b % 3] : off ? EventKind.NoteOff : EventKind.NoteOn;
      record[Cmd.channel] = (c + k) % 16;
      record[Cmd.note] = mpe ? 0 : 36 + ((c + 7 * k) % 48);
      // Fractional values (MPE) from the start: a double first stored live into an event record would
      // change its hidden class there.
      // Velocities over the whole range, so that notes go to both of the haptic engine's pools (its velocity split).
      record[Cmd.value] = mpe ? (mpeKinds[b % 3] === EventKind.PitchBend ? ((b % 9) - 4) / 4.5 : ((b * 7) % 10) / 10.5) : 1 + ((c * 37 + k * 11) % 127);
      record[Cmd.paramIndex] = 0;
      record[Cmd.timeKind] = b % 3 === 0 ? TimeKind.None : b % 3 === 1 ? TimeKind.Frame : TimeKind.EpochMs;
      record[Cmd.time] = b % 3 === 0 ? 0 : b % 3 === 1 ? (b + 1) * P + ((b + k) % P) : d.timeOriginMs + performance.now() + 2;
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
    if (b % 200 === 100) host.requestPanic(b);
    // A cycle the server skipped now and then: the gap is rendered on silent, flagged inputs.
    if (b % 97 === 50) source.skip(1);
    // A cycle run twice on one frame (asynchronous JACK waking a late client): a repeated frame, not rendered.
    if (b % 101 === 70) source.skip(-1);
    // The stream's clock standing still for a while (a dummy driver that ran late): its host times step
    // forward by 100 ms, twice (the clock map's step rule, StreamClockEstimate).
    const nowUs = (performance.now() + 100 * Math.floor((3 * b) / (WARM_UP_BLOCKS + LOOP_WARM_UP_BLOCKS))) * 1000;
    // The device running ahead of this thread: the blocks rendered then are too late for their cycles.
    if (b % 103 === 90) for (let k = 0; k < d.fillPeriods + 1; k++) source.cycle(cycleInputs, played, nowUs);
    source.cycle(cycleInputs, played, nowUs - (b % 5 === 0 ? 50_000 : 0));
    b++;
  };
  let chunkEnd = Number.POSITIVE_INFINITY;
  /** What the control side does with a block rendered: the tap drained, the applied ring emptied (so that it never fills). */
  const finishBlock = (): void => {
    if (tap) tap.drain(() => {});
    while (host.applied.pop(record));
  };
  /** A waiter's turn in run(): the block rendered finished, then the next one queued, to the chunk's end. */
  const nextBlock = (): boolean => {
    finishBlock();
    if (b >= chunkEnd) {
      Atomics.store(rings.ctl, Ctl.STATE, RingState.SHUTDOWN);
      return false;
    }
    queueBlock();
    return true;
  };
  retained.push(engine, host, tap, rings, source, ahead);
  // Its garbage is collected, and the optimised code it queued installed, once the live host is built too, just
  // before the stream (settleHeapForStream, in main()).
  return {
    pump(blocks) {
      const end = b + blocks;
      while (b < end) {
        queueBlock();
        ahead.pump(callback);
        finishBlock();
      }
    },
    run(blocks, loop) {
      // The stream's own loop (RenderAhead.run) with the live loop's stop test and between-cycles work, in
      // LOOP_WARM_UP_RUNS calls: V8 compiles the loop, and what it inlines, for the calls it will make live, and for
      // a call of run() (one long call would have only its loop compiled, on stack, and the live call would start
      // in the interpreter). The waits alternate between two waiters, so that the wait's call in run() is
      // compiled as a call to any function (megamorphic): the live waiter is then not a target it has never seen
      // (which would deoptimise run(), with all it inlined, in the stream's first period).
      const waiters = [{ wait: () => nextBlock() }, { wait: () => nextBlock() }];
      const first = b;
      for (let r = 0; r < LOOP_WARM_UP_RUNS; r++) {
        chunkEnd = first + Math.round(((r + 1) * blocks) / LOOP_WARM_UP_RUNS);
        Atomics.store(rings.ctl, Ctl.STATE, RingState.RUNNING);
        queueBlock();
        ahead.run(callback, waiters[r % 2], loop.shouldStop, loop.beforeWait);
      }
      // The live waiter's own function, called as run() calls it (a wait of 0 ms: the stream has not started, so
      // no cycle is posted and it returns at once), so that it too is optimised before the stream.
      for (let i = 0; i < WAITER_WARM_UP_CALLS; i++) loop.waiter.wait(0);
    },
  };
}

/** The engine the spec names; in a CrossfadeEngine where the host takes structural changes. */
async function buildEngine(d: HostWorkerData): Promise<Engine> {
  const engine = await createEngine(d.engineSpec);
  return d.structural ? new CrossfadeEngine(engine, { fadeMs: d.structural.fadeMs }) : engine;
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

/**
 * The addon's semaphore; with a render delay, a timer to that long after the next cycle's expected start
 * (jackClient.c), so commands that arrive in the meantime make the block rendered next: an event waits at most a
 * period less the delay for its block, and the block has fillPeriods periods less the delay to be rendered. A
 * cycle already posted (this thread behind) or a late one is taken at once.
 */
function nativeWaiter(addon: JackAddon, w: Extract<CycleWaiterSpec, { kind: 'native' }>): CycleWaiter {
  const delayUs = w.renderDelayUs ?? 0;
  return { wait: (ms) => addon.waitCycle(w.handle, ms, delayUs) };
}

/** This (render) thread's chain of work since it was last idle (JackAddon.sinceIdle): for the late-block record. */
function sinceIdleOf(addon: JackAddon, handle: number): (out: Int32Array) => void {
  return (out) => addon.sinceIdle(handle, out);
}

async function main(): Promise<void> {
  if (!parentPort) return;
  const d = workerData as HostWorkerData;
  const addon = d.waiter.kind === 'native' || d.clock === 'jack' ? loadJackAddon() : undefined;
  const realtime = addon ? addon.setRealtime(WORKER_RT_PRIORITY, 'rig-render', d.renderCpu ?? -1) === 0 : false;
  const rings = new PeriodRings(d.rings);
  const clock = d.clock === 'jack' && addon ? jackClockMap(addon, d.timeOriginMs) : { map: (us: number) => us / 1000, refresh: () => {} };
  // Allocation-free where the native addon is built (performance.now() allocates in Node 20).
  const hostTime = hostClock();
  const target: CallbackTarget = { host: undefined, tap: undefined };
  const callback = (p: RigPeriod): void => {
    target.host!.processPeriod(p);
    if (target.tap !== undefined) target.tap.push(p);
  };
  // A host that takes structural changes: what their builds need done in this thread (kernels compiled, other
  // network shapes warmed up), first.
  const prepare = { sampleRate: d.sampleRate, maxBlockFrames: d.periodFrames };
  const structural = d.structural && d.engineSpec.kind === 'entry' ? { ...d.structural, ...(await entryOf(d.engineSpec)) } : undefined;
  structural?.entry.prepareThread?.(structural.params, prepare);
  // The live host's sinceIdle for the warm-up's host too: a call first made live would deoptimise the late-block record's path.
  const sinceIdle = d.waiter.kind === 'native' && addon ? sinceIdleOf(addon, d.waiter.handle) : undefined;
  // This thread's CPU clock (a late block's own work, bounded per block: threadCpuClock.ts), in the warm-up's host too.
  const threadCpu = addon ? threadCpuClock(addon) : undefined;
  const scratch = await warmUp(d, rings.layout.inputs, rings.layout.outputs, target, callback, clock.map, hostTime, sinceIdle, threadCpu);
  scratch.pump(WARM_UP_BLOCKS);
  // The live engine, host and loop built after the warm-up's first part, so that they are made with the hidden classes
  // it left (the doubles it stored in fields that began as small integers changed theirs: V8's --trace-generalization;
  // live objects built before it were deoptimised "wrong map" in the stream), and before its second part, which runs
  // the stream's loop with the live loop's hooks: building them deoptimised processPeriod as the first part compiled
  // it ("code dependencies" in V8's log), and it ran unoptimised for the stream's first second.
  const engine = await buildEngine(d);
  const host = new AudioHost({
    engine, sampleRate: d.sampleRate, periodFrames: d.periodFrames, scheduleAheadFrames: d.scheduleAheadFrames, clock: hostTime,
    shared: d.shared, timeOriginMs: d.timeOriginMs, ...audioSideExtras(d, engine.numInputs, d.periodFrames, d.sampleRate),
    ...(sinceIdle ? { sinceIdle } : {}), ...(threadCpu ? { threadCpu } : {}),
  });
  const ahead = new RenderAhead(rings, d.fillPeriods, clock.map);
  const tap = d.tap ? new PeriodTap(d.tap) : undefined;
  const waiter: CycleWaiter = d.waiter.kind === 'native' && addon
    ? nativeWaiter(addon, d.waiter)
    : atomicsCycleWaiter(rings.ctl);
  const sleepCell = new Int32Array(new SharedArrayBuffer(4));
  // Published through shared memory, never posted: a post from this real-time thread would take a
  // mutex the normal-priority control thread also takes (statusSlot.ts).
  const snapshot = statusPublisher(new StatusSlotWriter(d.status), engine, ahead, tap);
  const probe = d.heapProbe ? new HeapProbe(d.heapProbe) : undefined;
  // The builder of structural changes' engines, between cycles.
  const builds = structural && engine instanceof CrossfadeEngine
    ? new WorkerEngineBuilds(new EngineBuildMailbox(structural.mailbox), structural.entry, engine, prepare, hostTime)
    : undefined;
  // The status every SNAPSHOT_MS and the clock map's refresh every CLOCK_REFRESH_MS, on the host clock.
  const periodic = new PeriodicTasks(hostTime, [{ everyMs: SNAPSHOT_MS, run: snapshot }, { everyMs: CLOCK_REFRESH_MS, run: clock.refresh }]);
  /** Between cycles: a test's stall, the periodic tasks, a slice of a structural change's build, the probe. */
  const betweenCycles = (): void => {
    const stallMs = Atomics.exchange(d.control, WorkerControl.stallMs, 0);
    if (stallMs > 0) Atomics.wait(sleepCell, 0, 0, stallMs);
    periodic.run();
    if (builds !== undefined) builds.poll();
    if (probe !== undefined) probe.poll();
  };
  const shouldStop = (): boolean => Atomics.load(d.control, WorkerControl.stop) === 1;
  // Every periodic task's branch given type feedback before the warm-up's loop runs them (a task first due late
  // in the warm-up deoptimised run(), which inlines them, 90 ms before the stream: V8's log); again below.
  periodic.prime();
  scratch.run(LOOP_WARM_UP_BLOCKS, { shouldStop, beforeWait: betweenCycles, waiter });
  target.host = host;
  target.tap = tap;
  // Every page this thread writes while streaming, written once now: after the control side's forks (its jack_lsp
  // checks as the server started) each is copy-on-write, and the tap's and signal rings' pages not yet mapped at all —
  // page faults the audio path would otherwise take, 190 a second and 3000 a second in a scenario's first 1.4 s.
  touchPages(sharedBuffersIn(d.shared, d.rings, d.tap, d.status, d.signals));
  // The first status is published before the stream starts (the first post, when statuses were posted, took
  // 9 ms), by prime(), which gives every branch of the periodic tasks type feedback (periodicTasks.ts).
  periodic.prime();
  ahead.prime();
  // The warm-up's garbage and the live build's collected, swept, and the optimised code V8 compiled meanwhile
  // installed (on a background thread at normal priority, which a loaded machine starves: its jobs took 100–165 ms
  // under load 10 in --trace-opt, while this thread would run the unoptimised code, boxing its doubles): a
  // collection left pending was finished on this thread mid-stream (settleHeap.ts: 7 ms of sweeping, then marking).
  settleHeapForStream();
  const proto = (o: object, name: string) => [`${o.constructor.name}.${name}`, (Object.getPrototypeOf(o) as Record<string, unknown>)[name]] as const;
  // The functions the stream runs code of their own (the render callback, betweenCycles and pump are inlined into
  // run(): pump's own code, used once after the stream, was found unoptimised at the start in one CI run of the suite).
  const tiers = d.tierReport ? watchRenderTiers([
    proto(ahead, 'run'), proto(host, 'processPeriod'), ['shouldStop', shouldStop], ['waiter.wait', waiter.wait],
    ...(tap ? [proto(tap, 'push')] : []),
  ]) : undefined;
  parentPort.postMessage({ type: 'primed', realtime } satisfies HostWorkerMessage);
  ahead.run(callback, waiter, shouldStop, betweenCycles);
  if (tiers !== undefined) parentPort.postMessage({ type: 'tiers', report: tiers.end() } satisfies HostWorkerMessage);
  ahead.pump(callback);
  snapshot();
  if (probe !== undefined) parentPort.postMessage({ type: 'allocationSites', sites: probe.finish() } satisfies HostWorkerMessage);
}

void main();
