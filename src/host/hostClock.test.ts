import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { hostClock, performanceClock } from './hostClock.ts';
import { jackAddonMissing } from './jack/jackAddon.ts';

/**
 * Limits: the native clock against performance.now(); what a read may allocate; and what a
 * performance.now() read is seen to allocate at least (a 16-byte heap number; the probe subtracts a
 * no-op's growth, measured at 15.9–16.0 B a read).
 */
const LIMITS = { agreementMs: 0.05, nativeBytesPerRead: 0, performanceBytesPerRead: 12 };
const READS = 10_000;

describe.skipIf(jackAddonMissing() !== undefined)('hostClock (the native JACK addon built)', () => {
  it('reads the performance.now() clock to within 50 µs', () => {
    const clock = hostClock();
    expect(clock.kind).toBe('native');
    let worstMs = 0;
    for (let i = 0; i < 200; i++) {
      const t1 = performance.now();
      clock.read();
      const t2 = performance.now();
      // Inside the bracket [t1, t2], give or take the calibration error.
      worstMs = Math.max(worstMs, t1 - clock.ms[0], clock.ms[0] - t2);
    }
    expect(worstMs).toBeLessThan(LIMITS.agreementMs);
  });

  it.skipIf(allocationUnmeasurable)('reads without allocating, where performance.now() allocates a heap number a call', async () => {
    const native = hostClock();
    const perf = performanceClock();
    // A typed array, not a `let`: a double written to a closure's variable is boxed on every write.
    const sink = new Float64Array(1);
    const m = await measureAllocation(() => { native.read(); sink[0] += native.ms[0]; }, { calls: READS, spaces: 'young' });
    const p = await measureAllocation(() => { perf.read(); sink[0] += perf.ms[0]; }, { calls: READS, spaces: 'young' });
    expect(sink[0]).toBeGreaterThan(0);
    expect(m.bytes / READS).toBeLessThanOrEqual(LIMITS.nativeBytesPerRead + 0.1);
    expect(m.gcDuringMeasurement).toBe(false);
    // The fault this clock exists for, seen by the same probe (so the probe can see it).
    expect(p.bytes / READS).toBeGreaterThanOrEqual(LIMITS.performanceBytesPerRead);
  });
});
