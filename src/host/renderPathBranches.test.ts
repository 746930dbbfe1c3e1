import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable } from '../engine/allocationProbe.ts';
import type { RenderPathBranchesResult } from './renderPathBranches.workerFixture.ts';
import { startTsWorker } from './tsWorker.ts';

/**
 * A branch of the render path first taken live deoptimises its function on the render thread, which then runs
 * unoptimised — boxing every double, several times slower — until V8 has compiled it again (on a background
 * thread that a loaded machine starves: 100–165 ms). Seen with --trace-deopt-verbose in the render worker on
 * jack-native under load (10–14): the clock map's first measured drift ("wrong map", "lost precision": a field that
 * held 0 became a double) and the first late-block record with a known chain (its reads had no feedback: the
 * warm-up's chains are all unknown). Each is driven here in a fresh isolate after V8 has optimised the common
 * path: no watched function may lose its code.
 */
describe.skipIf(allocationUnmeasurable)('the render path\'s rare branches deoptimise nothing', () => {
  it('the clock map\'s first drift and the first known chain of a late block', async () => {
    const worker = startTsWorker(new URL('./renderPathBranches.workerFixture.ts', import.meta.url), {});
    const result = await new Promise<RenderPathBranchesResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).finally(() => worker.terminate());
    for (const part of result.parts) {
      // The check can fail: the common path runs optimised code before the rare branch.
      expect(part.optimizedBefore.length, `${part.name}: optimised before`).toBeGreaterThan(0);
      expect(part.lost, part.name).toEqual([]);
    }
  }, 30_000);
});
