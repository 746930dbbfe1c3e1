import { isOptimized } from '../engine/v8Natives.ts';

/**
 * Which of the render loop's functions ran optimised code when the stream started, and which of those had lost
 * it when the stream ended (deoptimised live, and not yet compiled again): the render worker's warm-up, seen from
 * inside (hostWorker.ts, with HostWorkerData.tierReport; tests and diagnostics). A function V8 has to compile or
 * deoptimise during the stream does that work on the render thread, between blocks: V8's per-isolate logs of the
 * jack-native smoke set counted 48 TurboFan compilations and 15 deoptimisations there before the warm-up ran the
 * live loop itself (README, dropout attribution).
 */
export interface RenderTierReport {
  optimizedAtStart: string[];
  notOptimizedAtStart: string[];
  lostDuringStream: string[];
}

/**
 * Takes the start reading now; `end()` takes the end one and returns the report. (renderPathBranches' fixture reads
 * a rare branch of the render path the same way: its start before the branch, its end after.)
 */
export function watchRenderTiers(watched: readonly (readonly [string, unknown])[]): { end: () => RenderTierReport } {
  const optimized = () => watched.filter(([, f]) => isOptimized(f)).map(([name]) => name);
  const atStart = optimized();
  const notOptimizedAtStart = watched.map(([name]) => name).filter((n) => !atStart.includes(n));
  return {
    end: () => {
      const atEnd = optimized();
      return { optimizedAtStart: atStart, notOptimizedAtStart, lostDuringStream: atStart.filter((n) => !atEnd.includes(n)) };
    },
  };
}
