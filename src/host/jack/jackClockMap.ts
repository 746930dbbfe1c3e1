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
  // mapped ms = CLOCK_MONOTONIC ms − fixedMs; offset = jack ms − mapped ms = (jack − monotonic) ms + fixedMs.
  const fixedMs = monotonicMinusPerformanceMs(addon) - (performance.timeOrigin - timeOriginMs);
  const offsetMs = new Float64Array(1);
  const reading = new Float64Array(2);
  const refresh = (): void => {
    addon.jackClockOffsetUs(reading);
    offsetMs[0] = reading[0] / 1000 + fixedMs;
  };
  refresh();
  return { map: (us) => us / 1000 - offsetMs[0], refresh };
}
