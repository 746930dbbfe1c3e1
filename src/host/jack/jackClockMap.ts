import { monotonicMinusPerformanceMs } from '../hostClock.ts';
import type { JackAddon } from './jackAddon.ts';

/**
 * jack_get_time() µs (the clock of JACK's cycle times) → performance.now() ms of the thread whose
 * performance.timeOrigin is `timeOriginMs`. The two are different monotonic clocks (measured here: 264 ms
 * apart), so their offset is read, and `refresh()` re-reads it (call it about once a second: they may drift
 * apart by some ppm). The offset is taken in two parts: JACK's clock against CLOCK_MONOTONIC, inside the
 * addon (the narrowest of 5 brackets, a µs or less: jackClockOffsetUs), and CLOCK_MONOTONIC against this
 * thread's performance.now(), once (hostClock.ts's monotonicMinusPerformanceMs). `refresh()` then
 * allocates nothing — the render worker calls it between cycles — where reading performance.now() and
 * jackTimeUs() five times a refresh put 258 B on its heap each second (jackClockMap.test.ts); the offset
 * lives in a typed array, as a double written to a closure's variable is boxed at each write.
 */
export function jackClockMap(addon: JackAddon, timeOriginMs: number = performance.timeOrigin): { map: (us: number) => number; refresh: () => void } {
  const monoMinusPerfMs = monotonicMinusPerformanceMs(addon);
  // [offset ms: jack ms − mapped ms, the constant part of it], and the addon's reading (µs).
  const state = new Float64Array([0, monoMinusPerfMs - (performance.timeOrigin - timeOriginMs)]);
  const reading = new Float64Array(2);
  const refresh = (): void => {
    addon.jackClockOffsetUs(reading);
    state[0] = reading[0] / 1000 + state[1];
  };
  refresh();
  return { map: (us) => us / 1000 - state[0], refresh };
}
