import type { JackAddon } from './jack/jackAddon.ts';

/**
 * The calling thread's CPU time, read into a typed array: `read()` sets `ms[0]` (a double returned from a call
 * is boxed; hostClock.ts). It counts the time this thread ran, not the time it was ready but off a CPU, so it tells
 * a block that did much work from one the machine held back (lateBlocks.ts). On this VM it can jump forward (see
 * src/host/README.md), which only ever overstates a block's own work. Read on the thread it measures: each thread
 * has its own.
 */
export interface ThreadCpuClock {
  readonly ms: Float64Array;
  read(): void;
}

/** The JACK addon's CLOCK_THREAD_CPUTIME_ID reader (the caller has the addon loaded: loadJackAddon). */
export function threadCpuClock(addon: Pick<JackAddon, 'threadCpuMs'>): ThreadCpuClock {
  const ms = new Float64Array(1);
  return { ms, read: () => addon.threadCpuMs(ms) };
}

/** A clock that knows nothing (ms NaN): the host's reading without a thread CPU clock. */
export function unknownThreadCpu(): ThreadCpuClock {
  return { ms: new Float64Array([Number.NaN]), read: readNothing };
}

/**
 * The one read() of every unknown clock: a closure made per clock was another call target in each host, and the
 * render worker's processPeriod, compiled on its warm-up host's, was deoptimised ("wrong call target") at the
 * live host's first timed block (renderWarmUp.test.ts: the reverb on a JsRingRig, where no addon gives a clock).
 */
function readNothing(): void {}
