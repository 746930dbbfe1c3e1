import { startTsWorker } from '../host/tsWorker.ts';
import { ALLOCATION_TOLERANCE_BYTES, isAllocationFree } from './allocationProbe.ts';
import type { RareEventAllocation, RareEventOptions } from './rareEventAllocation.ts';

/**
 * The rare-event windows the engines' tests measure: one event every 200 blocks of 64 frames from the
 * first block after prepare(); windows of 4000 blocks (20 events): the first, then the smaller of two
 * more. Each window may hold ALLOCATION_TOLERANCE_BYTES (JIT feedback and V8 installing code, never
 * per-event objects), so a path that boxes 52 bytes (four doubles) an event fails.
 */
export const RARE_EVENT_TEST_OPTIONS: RareEventOptions = { everyBlocks: 200, windowBlocks: 4000, laterWindows: 2, settleMs: 50 };

/**
 * Runs `fixture` (a module that calls measureRareEventAllocation with `workerData` and posts the
 * result) in a fresh worker thread: V8 shares compiled code (and its tiering) between every instance
 * in an isolate, so a second engine in the same isolate would start warmer than an engine in the live
 * host's audio worker does. A worker is an isolate of its own, as that worker is.
 */
export function measureInFreshIsolate(fixture: URL, workerData: unknown): Promise<RareEventAllocation> {
  const worker = startTsWorker(fixture, workerData);
  return new Promise<RareEventAllocation>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

export interface RareEventVerdict {
  allocationFree: boolean;
  report: string;
}

/**
 * Measures in a fresh isolate and judges: both windows within the tolerance. The measurement waits for
 * the code the warm-up queued (finishBackgroundCompiles; without that wait a CI run of the whole suite
 * measured 212 and 248 KB in two first windows of preDelayMs), but V8 may still mark a function in the
 * first window (FDN: up to 1.7 KB in 2 of 18 runs at load 10, 96 B otherwise), so a first window over
 * the tolerance is measured once more in another fresh isolate. A path the warm-up leaves unoptimised
 * in some isolates is no such noise: the FDN's rest render did in 8 of 90 (0.05–0.25 MB), twice in a
 * row in a CI run; its warm-up now calls it directly (FdnReverb.warmUpSteps). A path that allocates per event fails
 * both (FDN before its fix: 0.12–7.4 MB in every first window; with the warm-up's event rounds removed,
 * 0.16–6.5 MB in 8 of 9 parameters).
 */
export async function judgeRareEvents(fixture: URL, workerData: unknown): Promise<RareEventVerdict> {
  const attempts = [await measureInFreshIsolate(fixture, workerData)];
  if (!isAllocationFree(attempts[0].first)) attempts.push(await measureInFreshIsolate(fixture, workerData));
  const m = attempts[attempts.length - 1];
  const window = (label: string, w: RareEventAllocation['first']) => `${label} ${w.bytes} B${w.gcDuringMeasurement ? ' (a GC ran)' : ''}`;
  const report = attempts.map((a) => `${window(`first ${a.first.calls} blocks`, a.first)}, ${window('later', a.later)}`).join('; then ');
  return {
    allocationFree: isAllocationFree(m.first) && isAllocationFree(m.later),
    report: `${report} (${m.eventsPerWindow} events a window, tolerance ${ALLOCATION_TOLERANCE_BYTES} B)`,
  };
}
