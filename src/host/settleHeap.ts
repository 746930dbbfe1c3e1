import v8 from 'node:v8';
import { finishBackgroundCompiles, fullGc } from '../engine/allocationProbe.ts';

/** Whether this process was started without concurrent sweeping (then it stays so). */
const sweepingOffAtStart = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--no-concurrent-sweeping');

/**
 * The rendering thread's heap left with no collection work pending, last thing before its stream starts (after
 * the live engine, host and rings are built): two full collections with V8's sweeping done inside them, then the
 * optimised code queued so far installed (finishBackgroundCompiles).
 *
 * Why: the render worker's collections used to end with the warm-up, before the live engine was built (~6 MB
 * more), and with the heap's sweeping left to V8's background threads. Mid-stream, when V8 installed a function
 * it had optimised meanwhile, the code's allocation found the old generation at its limit and started
 * incremental marking, which first finishes any sweeping left — on the render thread: perf's samples of that
 * thread (lossy-packet-loss on jack-native, the smoke scenario CI failed most often) show 7.4 ms in
 * Sweeper::EnsureCompleted ← Heap::StartIncrementalMarking ← AllocateRaw ← FinalizeTurbofanCompilationJob ←
 * StackGuard in the render loop, then ~10 ms of marking steps over the rest of the stream (--trace-gc: "+10.4 ms
 * in 39 steps"). The blocks waiting behind it missed their cycles: one server's event of 4–8 underruns, reported
 * as 5–7 ms of the thread's own work. On this VM, lossy-packet-loss alone: 10 of 21 runs failed before, 0 of 22
 * after (both with a timing instrument in the worker that added page faults of its own, so high for both); the
 * smoke set without it: 1 of 8 runs failed before, 16 of 16 passed after (README, dropout attribution).
 *
 * Sweeping is made synchronous only for these two collections (a process-wide V8 flag, set back at once unless
 * the process was started with it off): a collection started while it is off elsewhere in the process (the
 * control thread's) also sweeps in its pause, which is the control thread's time, not audio.
 */
export function settleHeapForStream(): void {
  v8.setFlagsFromString('--no-concurrent-sweeping');
  try {
    fullGc();
    fullGc();
  } finally {
    if (!sweepingOffAtStart) v8.setFlagsFromString('--concurrent-sweeping');
  }
  finishBackgroundCompiles();
}
