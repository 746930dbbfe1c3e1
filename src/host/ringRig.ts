import type { AudioRig } from './audioRig.ts';
import type { PeriodRingsBuffers } from './jack/periodRings.ts';

/** How the rendering thread waits for a cycle: the native addon's semaphore, or Atomics on Ctl.CYCLES (a JavaScript cycle source). */
export type CycleWaiterSpec = { kind: 'native'; handle: number; renderDelayUs?: number } | { kind: 'atomics' };
/** What a period's Meta.ENTRY_US counts: jack_get_time() µs, or already performance.now() µs of the control thread. */
export type CycleClockSpec = 'jack' | 'hostMicroseconds';

export interface OpenedRings {
  rings: PeriodRingsBuffers;
  waiter: CycleWaiterSpec;
  clock: CycleClockSpec;
  /** The rig asks for real-time scheduling (a native JACK rig's `jack.realtime`): the control thread is raised too while the stream runs. */
  realtime?: boolean;
  /** The CPU the rig pins its callback thread to, for the render worker to join (−1 or absent: not pinned). */
  renderCpu?: number;
}

/**
 * A rig whose audio callback never waits (jackClient.c, or a JavaScript cycle source): it exchanges
 * periods with a renderer through PeriodRings. Besides the AudioRig contract (start(callback) renders
 * on this thread), it can be driven from a worker (WorkerHostRunner): `openRings()` opens the device
 * without starting its callbacks, the worker primes the output ring to `fillPeriods`, then
 * `startCallbacks()` starts them. `stop()` stops either way. streamBufferingFrames = fillPeriods · periodFrames.
 */
export interface RingRig extends AudioRig {
  readonly fillPeriods: number;
  openRings(): Promise<OpenedRings>;
  startCallbacks(): Promise<void>;
}

export function isRingRig(rig: AudioRig): rig is RingRig {
  return typeof (rig as Partial<RingRig>).openRings === 'function';
}
