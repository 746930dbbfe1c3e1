import type { HostClock } from './hostClock.ts';

/** A task of a real-time loop and how often it runs, in ms of the host clock. */
export interface PeriodicTask {
  everyMs: number;
  run: () => void;
}

/**
 * Calls `prime()` makes, each with every task due. V8 allocates a function's type feedback only after its
 * first few calls (lazy feedback allocation), so one call leaves the branches without it.
 */
const PRIME_CALLS = 32;

/**
 * Tasks a real-time loop runs every so many ms of the host clock, checked once per wake-up (the render
 * worker: its status every 250 ms, the clock map's refresh every second). Allocation-free: the clock is
 * read into a typed array (hostClock.ts) and the times a task last ran live in one (a double in a closure's
 * variable is boxed at every write).
 *
 * `prime()` before the loop starts, which runs every task PRIME_CALLS times, each due: a branch first taken
 * in optimised code without type feedback deoptimises the function it is compiled into. In the render
 * worker that was the optimised render loop run() is inlined into, at the first clock refresh a second in:
 * the loop then ran unoptimised, boxing every double, for thousands of periods (44–46 KB in a window of 2000
 * periods, in half the runs of workerAllocation.ts).
 */
export class PeriodicTasks {
  private readonly lastMs: Float64Array;
  private readonly everyMs: Float64Array;

  constructor(private readonly clock: HostClock, private readonly tasks: readonly PeriodicTask[]) {
    this.lastMs = new Float64Array(tasks.length);
    this.everyMs = Float64Array.from(tasks, (t) => t.everyMs);
  }

  /** Reads the clock and runs, in order, every task whose period has passed since it last ran. */
  run(): void {
    this.clock.read();
    const now = this.clock.ms[0];
    const last = this.lastMs;
    for (let i = 0; i < last.length; i++) {
      if (now - last[i] >= this.everyMs[i]) {
        last[i] = now;
        this.tasks[i].run();
      }
    }
  }

  /** Runs every task now (PRIME_CALLS times, each due): the first period of each counts from here. */
  prime(): void {
    for (let c = 0; c < PRIME_CALLS; c++) {
      this.lastMs.fill(Number.NEGATIVE_INFINITY);
      this.run();
    }
  }
}
