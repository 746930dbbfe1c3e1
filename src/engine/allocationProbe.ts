import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver, performance } from 'node:perf_hooks';

let gcFn: (() => void) | undefined;
/** A full garbage collection (V8's gc exposed at run time): what is measured after it is what is retained. */
export function fullGc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
}

/**
 * The bytes of ArrayBuffer and Buffer backing stores this isolate retains (V8's external memory): two full
 * collections, because V8 frees the backing stores of dead buffers on a background sweeper that the next
 * collection finishes — one gc() alone still counted 2.3 or 7.0 MB of dead reply buffers on top of the
 * 1.6 MB retained (inputFlood.test.ts, alternately run after run).
 */
export function retainedExternalBytes(): number {
  fullGc();
  fullGc();
  return v8.getHeapStatistics().external_memory;
}

let finishCompilesFn: (() => void) | undefined;
/**
 * Waits for V8's background (concurrent) compiler to finish every optimisation job queued so far and
 * installs the code (V8's test natives, enabled at run time like gc above). An engine's warm-up has V8
 * queue the optimisation of each path it runs; at idle the jobs land within ~50 ms, on a loaded machine
 * (a CI run of the whole suite on two cores) later — meanwhile the paths run in V8's unoptimised tiers,
 * which box every double (that CI run: 212 and 248 KB in the first 4000 blocks of a reverb's rare events,
 * 0 B after). What a warm-up never ran is not queued, so this hides no missing warm-up.
 */
export function finishBackgroundCompiles(): void {
  if (!finishCompilesFn) {
    v8.setFlagsFromString('--allow-natives-syntax');
    finishCompilesFn = vm.runInThisContext('(function () { %WaitForBackgroundOptimization(); %FinalizeOptimization(); })') as () => void;
  }
  finishCompilesFn();
}

/**
 * True in a mutation-testing run (`npm run mutation`: vitest.mutation.config.ts sets RIG_MUTATION_RUN=1).
 * StrykerJS instruments the mutated files with a coverage/mutant-switch call per statement, and those calls
 * allocate, so a heap measurement there measures the instrument, not the code (DelayLine read 6.7 MB per
 * 1000 calls instead of 0). Allocation tests skip themselves in such a run; `npm test` still runs them.
 */
export const allocationUnmeasurable = process.env.RIG_MUTATION_RUN === '1';

/**
 * What a measurement counts: 'heap' = V8's whole used heap; 'young' = the young generation only (new
 * space and new large objects), where everything the code allocates lands unless V8 pretenures it —
 * the space whose filling triggers a scavenge. 'young' leaves out old and code space, which also grow
 * when V8 installs freshly optimised code (its Code objects and metadata, on the compiler's schedule):
 * a probe of code that is still being optimised sees those as hundreds of KB in one window.
 */
export type AllocationSpaces = 'heap' | 'young';

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

function usedBytes(spaces: AllocationSpaces): number {
  if (spaces === 'heap') return v8.getHeapStatistics().used_heap_size;
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (YOUNG_SPACES.has(space.space_name)) used += space.space_used_size;
  return used;
}

export interface AllocationMeasurement {
  /** Smallest growth of V8's used heap (or its young generation, see AllocationSpaces) over `calls` invocations, across the repeats. */
  bytes: number;
  /** A garbage collection ran inside a measured loop: only allocation makes that happen. */
  gcDuringMeasurement: boolean;
  calls: number;
}

/**
 * Measures what `calls` invocations of `fn` allocate on the JS heap, after a warm-up that lets the JIT
 * settle. Method (a no-op is measured the same way and subtracted, to remove the probe's own cost): full GC, read V8's used heap size, run, read again; new-space allocation raises the
 * used size byte for byte until a scavenge runs. A GC observed inside a measured window (which empties
 * the heap we were counting) is reported as `gcDuringMeasurement`: after a full GC only allocation
 * can fill new space. The smallest of `repeats` windows is kept, so one JIT event is not counted.
 */
export async function measureAllocation(
  fn: () => void,
  { calls = 1000, repeats = 5, warmupCalls = 5000, settleMs = 20, spaces = 'heap' as AllocationSpaces } = {},
): Promise<AllocationMeasurement> {
  for (let i = 0; i < warmupCalls; i++) fn();
  // V8 optimises on a background thread: on a busy machine the optimised code can arrive after the
  // warm-up, and the measured window then runs code that boxes doubles (seen in CI: 18 bytes a period
  // from AudioHost.processPeriod, 0 after a pause). A pause, by default, lets it land.
  if (settleMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    for (let i = 0; i < warmupCalls; i++) fn();
  }
  const windows: Array<[number, number]> = [];
  const gcTimes: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcTimes.push(entry.startTime, entry.startTime + entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const noop = (): void => {};
  let bytes = Number.POSITIVE_INFINITY;
  let baseline = Number.POSITIVE_INFINITY;
  try {
    for (let r = 0; r < repeats; r++) {
      for (const probe of [noop, fn]) {
        fullGc();
        await new Promise((resolve) => setImmediate(resolve));
        const t0 = performance.now();
        const before = usedBytes(spaces);
        for (let i = 0; i < calls; i++) probe();
        const after = usedBytes(spaces);
        const t1 = performance.now();
        if (probe === noop) baseline = Math.min(baseline, after - before);
        else {
          windows.push([t0, t1]);
          bytes = Math.min(bytes, after - before);
        }
      }
    }
    bytes = Math.max(0, bytes - baseline);
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    observer.disconnect();
  }
  let gcDuringMeasurement = false;
  for (let i = 0; i < gcTimes.length; i += 2) {
    for (const [a, b] of windows) if (gcTimes[i] < b && gcTimes[i + 1] > a) gcDuringMeasurement = true;
  }
  return { bytes, gcDuringMeasurement, calls };
}

/** Heap growth tolerated over a measurement: JIT feedback and inline caches, never per-call buffers. */
export const ALLOCATION_TOLERANCE_BYTES = 1024;

export function isAllocationFree(m: AllocationMeasurement): boolean {
  return !m.gcDuringMeasurement && m.bytes <= ALLOCATION_TOLERANCE_BYTES;
}
