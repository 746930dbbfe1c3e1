import type { JackAddon } from './jackAddon.ts';

/**
 * jack_get_time() µs (the clock of JACK's cycle times) → performance.now() ms of the thread whose
 * performance.timeOrigin is `timeOriginMs`. The two are different monotonic clocks (measured here:
 * 264 ms apart), so the offset is read — with the narrowest of 5 brackets, a few µs — and `refresh()`
 * re-reads it (call it about once a second: the clocks may drift apart by some ppm).
 */
export function jackClockMap(addon: JackAddon, timeOriginMs: number = performance.timeOrigin): { map: (us: number) => number; refresh: () => void } {
  let offsetMs = 0;
  const refresh = () => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const jack = addon.jackTimeUs() / 1000;
      const t2 = performance.now();
      if (t2 - t1 < best) {
        best = t2 - t1;
        offsetMs = jack - ((t1 + t2) / 2 + performance.timeOrigin - timeOriginMs);
      }
    }
  };
  refresh();
  return { map: (us) => us / 1000 - offsetMs, refresh };
}
