import type { Engine } from '../engine/engine.ts';
import type { AudioRig, RigPeriod } from './audioRig.ts';
import { AudioHost } from './audioHost.ts';
import { audioSideExtras } from './audioSideExtras.ts';
import type { SourceSpec } from './effectSource.ts';
import type { EngineBuildMailboxBuffers } from './engineBuildMailbox.ts';
import type { EngineSpec } from './engineSpec.ts';
import type { HeapProbeBuffers } from './heapProbe.ts';
import type { HostShared } from './hostShared.ts';
import { isRingRig } from './ringRig.ts';
import type { SignalRingBuffers } from './signalRing.ts';
import { WorkerHostRunner } from './workerHostRunner.ts';

export interface HostRunnerOptions {
  rig: AudioRig;
  /** The engine (in-thread) — its name and parameter names serve both strategies. */
  engine: Engine;
  /** The same engine as data, for a worker to build its own (required for a RingRig). */
  engineSpec?: EngineSpec;
  scheduleAheadFrames?: number;
  /** The measurement's tap: each period's inputs and outputs after the engine filled them. */
  onPeriod?: (p: RigPeriod) => void;
  /** An effect's input, as data (each strategy builds its EffectSource on the audio side). */
  source?: SourceSpec;
  /** Rings the audio side copies the engine's inputs and outputs into (snapshots, metrics). */
  signals?: { input: SignalRingBuffers; output: SignalRingBuffers };
  /** A worker host counts what its render thread allocates between the probe's marks (heapProbe.ts; tests and diagnostics). */
  heapProbe?: HeapProbeBuffers;
  /** A worker host reports which of its render loop's functions ran optimised code at the stream's start and lost it by its end (renderTiers.ts; tests and diagnostics). */
  tierReport?: boolean;
  /**
   * A worker host's engine in a CrossfadeEngine (crossfade `fadeMs`, default CROSSFADE_MS) whose next engine the
   * render thread builds when asked through `mailbox` (structural changes: workerEngineBuilds.ts). An in-thread
   * host is handed its slot as `engine` instead.
   */
  structural?: { mailbox: EngineBuildMailboxBuffers; fadeMs?: number };
}


/**
 * Where the audio side of a RigServer runs — a strategy, so the server itself never asks.
 * - InThreadHostRunner: AudioHost in the rig's callback on this thread (the virtual rig with its
 *   simulated clock, naudiodon rigs). onPeriod runs inside the callback.
 * - WorkerHostRunner: AudioHost in a worker thread that renders ahead of a RingRig's callback (the
 *   native JACK client). onPeriod runs on this thread, drained from a tap ring after the fact.
 * Either way the server reads `shared` (rings, counters, meters, clock) and nothing else.
 */
export interface HostRunner {
  readonly shared: HostShared;
  readonly engineName: string;
  readonly paramNames: readonly string[];
  /** The engine's latest getStatus()/getStats() (a worker's are at most ~250 ms old); null when it has none. */
  engineStatus(): unknown;
  engineStats(): unknown;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class InThreadHostRunner implements HostRunner {
  readonly shared: AudioHost;

  constructor(private readonly o: HostRunnerOptions) {
    this.shared = new AudioHost({
      engine: o.engine, sampleRate: o.rig.sampleRate, periodFrames: o.rig.periodFrames, scheduleAheadFrames: o.scheduleAheadFrames,
      ...audioSideExtras(o, o.engine.numInputs, o.rig.periodFrames, o.rig.sampleRate),
    });
  }

  get engineName() { return this.o.engine.name; }
  get paramNames() { return this.o.engine.paramNames; }
  engineStatus(): unknown {
    const e = this.o.engine as Engine & { getStatus?: () => unknown };
    return typeof e.getStatus === 'function' ? e.getStatus() : null;
  }
  engineStats(): unknown {
    const e = this.o.engine as Engine & { getStats?: () => unknown };
    return typeof e.getStats === 'function' ? e.getStats() : null;
  }

  async start(): Promise<void> {
    const host = this.shared;
    const tap = this.o.onPeriod;
    await this.o.rig.start(tap ? (p) => { host.processPeriod(p); tap(p); } : (p) => host.processPeriod(p));
  }

  async stop(): Promise<void> {
    await this.o.rig.stop();
  }
}

/** The worker strategy for a RingRig given an engine spec, else the in-thread one. */
export function hostRunnerFor(o: HostRunnerOptions): HostRunner {
  return isRingRig(o.rig) && o.engineSpec ? new WorkerHostRunner(o.rig, o.engineSpec, o) : new InThreadHostRunner(o);
}
