import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { EngineSpec } from './engineSpec.ts';
import type { AllocationSite } from './heapProbe.ts';
import type { RenderTierReport } from './renderTiers.ts';
import type { HostRunner, HostRunnerOptions } from './hostRunner.ts';
import { HostShared, createHostSharedBuffers } from './hostShared.ts';
import type { HostWorkerData, HostWorkerMessage } from './hostWorker.ts';
import { type HostWorkerStatus, type HostWorkerStatusJson, decodeWorkerStatus } from './workerStatus.ts';
import { StatusSlotReader, createStatusSlot } from './statusSlot.ts';
import type { RenderAheadStats } from './jack/renderAhead.ts';
import { PeriodTap } from './periodTap.ts';
import type { RingRig } from './ringRig.ts';
import { startTsWorker } from './tsWorker.ts';
import { loadJackAddon } from './jack/jackAddon.ts';

/** Control slots (Int32) the runner writes and the worker reads between cycles. */
export const WorkerControl = { stop: 0, stallMs: 1, SLOTS: 2 } as const;
/**
 * The control thread's priority while a native JACK stream runs (SCHED_FIFO, where permitted): below the
 * worker (4) and the JACK client thread (5), above every normal thread. It decodes the input (OSC, MIDI,
 * the socket) and feeds the command ring, so each wake-up waiting for a CFS slice is latency: measured on
 * the jack-native rig at load 9–11 (src/host/bridgeProbe.ts jack-native fdn16, OSC param message → first
 * sample affected at the DAC), p99 18.0 / 8.4 ms at normal priority, 7.5 / 6.4 ms raised (p50 3.8 ms either
 * way: that part is the render-ahead's). Back to normal at stop(), before any analysis runs on this thread.
 */
const CONTROL_RT_PRIORITY = 2;
/** Tap capacity, periods: 2.7 s at 128 frames / 48 kHz for the control thread to drain. */
const TAP_PERIODS = 1024;
const TAP_DRAIN_MS = 5;

/**
 * The worker strategy (see HostRunner): AudioHost and the engine (built from `engineSpec`) run in a
 * worker that renders ahead of a RingRig's never-waiting callback (RenderAhead), sleeping on the rig's
 * cycle semaphore between cycles. This thread keeps the command decoding's side of the seam: the
 * shared command/applied rings, counters, meters, load and clock (HostShared over the worker's
 * SharedArrayBuffers), engine status published every ~250 ms in a status slot (statusSlot.ts: shared
 * memory, so the real-time worker never posts a message), and the tap drained every 5 ms.
 *
 * start(): the rig opens (no callbacks yet) → the worker builds the engine and primes the output ring
 * → the rig's callbacks start. stop(): the rig stops first (so shutting down costs no underrun), which
 * ends the worker's loop; then the last tapped periods are drained.
 */
export class WorkerHostRunner implements HostRunner {
  readonly shared: HostShared;
  private worker: Worker | undefined;
  private exited: Promise<unknown> = Promise.resolve();
  private tap: PeriodTap | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * WorkerControl.SLOTS));
  private readonly statusSlot = createStatusSlot();
  private readonly statusReader = new StatusSlotReader<HostWorkerStatusJson>(this.statusSlot);
  private failure: Error | undefined;
  /** The worker runs at SCHED_FIFO (known once it has primed). */
  realtime = false;
  /** The sampling heap profiler's allocation sites in the render thread from the probe's first mark to the end (after stop(); heapProbe.ts). */
  allocationSites: AllocationSite[] = [];
  /** With HostRunnerOptions.tierReport: the render loop's functions' tiers at the stream's start and end (after stop(); renderTiers.ts). */
  renderTiers: RenderTierReport | undefined;
  /** This (control) thread runs at SCHED_FIFO CONTROL_RT_PRIORITY while the stream runs. */
  controlRealtime = false;

  constructor(private readonly rig: RingRig, private readonly engineSpec: EngineSpec, private readonly o: HostRunnerOptions) {
    this.shared = new HostShared(createHostSharedBuffers(o.engine.numOutputs));
    this.shared.setTiming(rig.sampleRate, rig.periodFrames, o.scheduleAheadFrames ?? 2 * rig.periodFrames);
  }

  get engineName() { return this.o.engine.name; }
  get paramNames() { return this.o.engine.paramNames; }
  engineStatus(): unknown { return this.workerStatus()?.status ?? null; }
  engineStats(): unknown { return this.workerStatus()?.stats ?? null; }
  /** The worker's RenderAhead counters and tap drops (as last published, every ~250 ms and at its end). */
  get renderStats(): RenderAheadStats & { tapDropped: number } {
    return this.workerStatus()?.render ?? { blocks: 0, lateBlocks: 0, inputGaps: 0, unfilledGaps: 0, repeatedFrames: 0, tapDropped: 0 };
  }

  /** The worker's latest status, decoded from its status slot (workerStatus.ts). */
  private workerStatus(): HostWorkerStatus | undefined {
    return decodeWorkerStatus(this.statusReader.read(), this.statusReader.readNumbers());
  }

  async start(): Promise<void> {
    const opened = await this.rig.openRings();
    const r = opened.rings;
    this.tap = this.o.onPeriod ? PeriodTap.create(r.inputs, r.outputs, r.periodFrames, TAP_PERIODS) : undefined;
    const data: HostWorkerData = {
      shared: this.shared.buffers, rings: r, waiter: opened.waiter, clock: opened.clock, engineSpec: this.engineSpec,
      sampleRate: this.rig.sampleRate, periodFrames: r.periodFrames, fillPeriods: this.rig.fillPeriods,
      scheduleAheadFrames: this.o.scheduleAheadFrames, timeOriginMs: performance.timeOrigin, tap: this.tap?.buffers, control: this.control,
      status: this.statusSlot, source: this.o.source, signals: this.o.signals, renderCpu: opened.renderCpu ?? -1, heapProbe: this.o.heapProbe, tierReport: this.o.tierReport,
      structural: this.o.structural,
    };
    const worker = startTsWorker(new URL('./hostWorker.ts', import.meta.url), data);
    this.worker = worker;
    // Listened for now: the worker may end (its rig closed) before stop() gets to wait for it.
    this.exited = once(worker, 'exit').catch(() => {});
    const primed = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: HostWorkerMessage) => {
        if (m.type === 'primed') {
          this.realtime = m.realtime;
          resolve();
        } else if (m.type === 'allocationSites') this.allocationSites = m.sites;
        else if (m.type === 'tiers') this.renderTiers = m.report;
      });
      worker.once('error', (err) => { this.failure = err; reject(err); });
      worker.once('exit', (code) => reject(new Error(`host worker exited (${code}) before it was ready`)));
    });
    try {
      await primed;
      if (opened.waiter.kind === 'native' && opened.realtime) this.controlRealtime = loadJackAddon().setRealtime(CONTROL_RT_PRIORITY) === 0;
      await this.rig.startCallbacks();
    } catch (err) {
      await this.stop();
      throw err;
    }
    const onPeriod = this.o.onPeriod;
    if (this.tap && onPeriod) this.drainTimer = setInterval(() => this.tap!.drain(onPeriod), TAP_DRAIN_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.drainTimer);
    if (this.controlRealtime) loadJackAddon().setRealtime(0);
    this.controlRealtime = false;
    await this.rig.stop();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      Atomics.store(this.control, WorkerControl.stop, 1);
      const timer = setTimeout(() => void worker.terminate(), 3000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.tap && this.o.onPeriod) this.tap.drain(this.o.onPeriod);
    if (this.failure) throw this.failure;
  }

  /** Test hook: the worker stops rendering for `ms` once, at its next wake-up (a GC pause, a slow block). */
  stall(ms: number): void {
    Atomics.store(this.control, WorkerControl.stallMs, ms);
  }
}

