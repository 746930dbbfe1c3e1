import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { isOptimized } from '../engine/v8Natives.ts';
import type { HostClock } from './hostClock.ts';
import { PeriodicTasks } from './periodicTasks.ts';

/** A host clock the test moves: each read() advances it by `stepMs[0]`. */
function steppedClock(stepMs: number): HostClock & { step: Float64Array } {
  const ms = new Float64Array(1);
  const step = Float64Array.of(stepMs);
  return { ms, step, kind: 'performance', read: () => { ms[0] += step[0]; } };
}

/**
 * Limits: bytes per wake-up over CALLS of them (measureAllocation, young generation: a constant 144 B of the
 * measurement whatever CALLS, measured; one boxed double a wake-up would be 16 B).
 */
const LIMITS = { bytesPerCall: 0.01 };
const CALLS = 20_000;
const HOT_CALLS = 200_000;

describe('PeriodicTasks', () => {
  // First in the file: type feedback belongs to the function, shared by every instance, so a prime() of any
  // earlier test here would give run() the feedback. Measured without prime(): the first due task
  // deoptimised run() ("insufficient type feedback for generic keyed access").
  it.skipIf(allocationUnmeasurable)('stays optimised when a task first falls due after prime(): the branch has type feedback', async () => {
    const clock = steppedClock(0.001);
    let runs = 0;
    const tasks = new PeriodicTasks(clock, [{ everyMs: 1000, run: () => { runs++; } }]);
    tasks.prime();
    const before = runs;
    // Optimised by V8 on a background thread: called until it is (bounded), the task not yet due.
    for (let attempt = 0; attempt < 50 && !isOptimized(PeriodicTasks.prototype.run); attempt++) {
      for (let i = 0; i < HOT_CALLS / 50; i++) tasks.run();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(isOptimized(PeriodicTasks.prototype.run)).toBe(true);
    expect(runs).toBe(before);
    clock.step[0] = 1000;
    tasks.run();
    expect(runs).toBe(before + 1);
    expect(isOptimized(PeriodicTasks.prototype.run)).toBe(true);
  });

  it('runs each task once its period has passed since it last ran, in order, and every task at prime()', () => {
    const clock = steppedClock(10);
    const ran: string[] = [];
    const tasks = new PeriodicTasks(clock, [{ everyMs: 25, run: () => ran.push('a') }, { everyMs: 100, run: () => ran.push('b') }]);
    tasks.prime();
    expect(ran.filter((t) => t === 'a').length).toBe(ran.filter((t) => t === 'b').length);
    expect(ran.length).toBeGreaterThan(0);
    ran.length = 0;
    for (let i = 0; i < 10; i++) tasks.run();
    // 100 ms in reads of 10 ms: 'a' at 30, 60, 90 ms after prime, 'b' at 100.
    expect(ran).toEqual(['a', 'a', 'a', 'b']);
  });

  describe.skipIf(allocationUnmeasurable)('on a real-time thread', () => {
    it(`allocates nothing over ${CALLS} wake-ups with fractional times and both tasks falling due`, async () => {
      const clock = steppedClock(1.337);
      let runs = 0;
      const tasks = new PeriodicTasks(clock, [{ everyMs: 250, run: () => { runs++; } }, { everyMs: 1000, run: () => { runs++; } }]);
      tasks.prime();
      const m = await measureAllocation(() => tasks.run(), { calls: CALLS, spaces: 'young' });
      expect(runs).toBeGreaterThan(100);
      expect(m.bytes / CALLS, `${m.bytes} B`).toBeLessThanOrEqual(LIMITS.bytesPerCall);
    });

  });
});
