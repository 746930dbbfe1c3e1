import { type JackAddon, jackAddonMissing, loadJackAddon } from './jack/jackAddon.ts';

/**
 * The time on this thread's performance.now() clock, read into a typed array: `read()` sets `ms[0]`.
 * A double handed through a typed array is never boxed, where one returned from a call is — in Node 20
 * performance.now(), Date.now() and process.hrtime() each allocate on the JavaScript heap (16, 16 and
 * 32 bytes a call, measured with measureAllocation), which on a real-time render thread is garbage whose
 * scavenge lands in some period (hostClock.test.ts).
 */
export interface HostClock {
  readonly ms: Float64Array;
  read(): void;
  /** 'native': the addon's CLOCK_MONOTONIC, allocation-free; 'performance': performance.now(), which allocates. */
  readonly kind: 'native' | 'performance';
}

/** performance.now() (allocates 16 bytes a read): where the native addon is not built, and off the audio path. */
export function performanceClock(): HostClock {
  const ms = new Float64Array(1);
  return { ms, kind: 'performance', read: () => { ms[0] = performance.now(); } };
}

/** Readings the native clock's offset from performance.now() is the best of (the pair read closest together). */
const CALIBRATION_READS = 9;

/**
 * The addon's CLOCK_MONOTONIC (monotonicNowMs) minus this thread's performance.now(), ms: the reading
 * bracketed most tightly by two performance.now() calls of CALIBRATION_READS (error ≤ half that bracket,
 * a few µs). The two clocks are the same up to this constant (libuv's uv_hrtime is CLOCK_MONOTONIC).
 */
export function monotonicMinusPerformanceMs(addon: Pick<JackAddon, 'monotonicNowMs'>): number {
  const raw = new Float64Array(1);
  let offsetMs = 0;
  let bracketMs = Infinity;
  for (let i = 0; i < CALIBRATION_READS; i++) {
    const t1 = performance.now();
    addon.monotonicNowMs(raw);
    const t2 = performance.now();
    if (t2 - t1 < bracketMs) {
      bracketMs = t2 - t1;
      offsetMs = raw[0] - (t1 + t2) / 2;
    }
  }
  return offsetMs;
}

/**
 * The JACK addon's monotonicNowMs (CLOCK_MONOTONIC, libuv's uv_hrtime: performance.now()'s clock) minus
 * the offset between the two (monotonicMinusPerformanceMs). Falls back to performanceClock() where the addon
 * is not built.
 */
export function hostClock(): HostClock {
  if (jackAddonMissing() !== undefined) return performanceClock();
  const addon = loadJackAddon();
  const raw = new Float64Array(new SharedArrayBuffer(8));
  const offsetMs = monotonicMinusPerformanceMs(addon);
  // The offset lives in a typed array too: a double in a closure's context is re-boxed on every write.
  const state = new Float64Array([offsetMs]);
  const ms = new Float64Array(1);
  return {
    ms, kind: 'native',
    read: () => {
      addon.monotonicNowMs(raw);
      ms[0] = raw[0] - state[0];
    },
  };
}
