import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MachineStallBuffers, StallSentinelOptions } from './machineStalls.ts';
import type { PeriodRingsBuffers } from './periodRings.ts';

/** The Node-API addon built from jackClient.c (see that file for the contract of each function). */
export interface JackAddon {
  open(clientName: string, serverName: string | null): { handle: number; sampleRate: number; periodFrames: number; clientName: string };
  activate(handle: number, options: PeriodRingsBuffers & { connectInputs: readonly string[]; connectOutputs: readonly string[]; faultWaitUs?: number; cpu?: number }): void;
  /**
   * For each named port, the full names of the ports connected to it ([] when none), or null when the
   * server has no such port: asked through this client (jack_port_get_all_connections), no child process.
   */
  connections(handle: number, portNames: readonly string[]): (string[] | null)[];
  /**
   * Blocks the calling thread until the callback posts a cycle (true) or the timeout passes (false). Worker threads
   * only. With `wakeAfterEntryUs` > 0, a posted cycle returns no earlier than that long after the latest callback's
   * entry (a timed sleep: the render delay, RenderDelay in ringRig.ts).
   */
  waitCycle(handle: number, timeoutMs: number, wakeAfterEntryUs?: number): boolean;
  /**
   * The calling thread's (waitCycle's) chain of work since it last blocked with nothing to do, µs back from now:
   * out[0] since it was done with its work (called the wait: the render delay's sleep is not its work), out[1] since it woke, out[2] its CPU time since the wake,
   * out[3] its run delay since the wake (ready but off a CPU: /proc/thread-self/schedstat), out[4] how late it woke
   * after its cycle was due (the callback held before posting, or the machine waking it late); −1 where unknown.
   */
  sinceIdle(handle: number, out: Int32Array): void;
  close(handle: number): void;
  /** jack_get_time(): the clock of JACK's cycle times, µs. */
  jackTimeUs(): number;
  /** out[0] = jack_get_time() − CLOCK_MONOTONIC (µs), the narrowest of 5 brackets; out[1] = that bracket (µs). Allocates nothing (jackClockMap.ts). */
  jackClockOffsetUs(out: Float64Array): void;
  /** The highest real-time priority the server lets a client use (JACK2: its -P − 1), 0 when it does not run real-time. */
  maxRealtimePriority(handle: number): number;
  /** Starts the machine-stall sentinel of an active client (machineStalls.ts); close() stops it. */
  startSentinel(handle: number, options: MachineStallBuffers & StallSentinelOptions): void;
  /** SCHED_FIFO `priority` for the calling thread (≤ 0: back to normal), and its name (≤ 15 bytes) when given: ps -L, top and perf show it; pinned to `cpu` when ≥ 0. Returns 0, or the errno (EPERM where not permitted). */
  setRealtime(priority: number, threadName?: string, cpu?: number): number;
  /** out[0] = CLOCK_MONOTONIC in ms (performance.now()'s clock up to a constant), without allocating (hostClock.ts). */
  monotonicNowMs(out: Float64Array): void;
  /** out[0] = the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID) in ms, NaN where unknown, without allocating (threadCpuClock.ts). */
  threadCpuMs(out: Float64Array): void;
}

/** Where the project's install (scripts/setup.sh → npm run build:native) puts the addon. */
export const JACK_ADDON_PATH = fileURLToPath(new URL('./build/Release/jackClient.node', import.meta.url));
export const JACK_ADDON_HINT = 'build it with `npm run build:native` (needs libjack-jackd2-dev, g++, make, python3: scripts/install-debian-packages.sh)';

/** Why the addon cannot be loaded here, or undefined when it can. */
export function jackAddonMissing(): string | undefined {
  return existsSync(JACK_ADDON_PATH) ? undefined : `the native JACK addon is not built (${JACK_ADDON_PATH}); ${JACK_ADDON_HINT}`;
}

let addon: JackAddon | undefined;

/** Loads the addon once per thread (it is context-aware: the main thread and workers share its C state). */
export function loadJackAddon(): JackAddon {
  if (addon) return addon;
  const missing = jackAddonMissing();
  if (missing) throw new Error(missing);
  addon = createRequire(import.meta.url)(JACK_ADDON_PATH) as JackAddon;
  return addon;
}
