import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Test files that start jackd and time real-time threads (the 'realtime' project). */
const REALTIME = ['src/host/jack/**/*.test.ts', 'hil/jack/**/*.test.ts'];

/**
 * Unit test files that get a fresh worker each (the 'unit-own-worker' project); the rest of src/ share their
 * worker and its module instances, file after file (isolate: false). Sharing takes the unit files' CPU time
 * about in half: a fresh worker costs each file ~0.2 s of CPU to start and to evaluate its imports again
 * (src/dsp, src/haptic and src/reverb: 19.0 s of CPU isolated, 9.4 s shared, at load 9). Kept apart:
 * - files that measure the heap (allocation tests, memory bounds): a full GC on a heap shared with every
 *   earlier file costs 10–20× more (biquad's allocation test: 0.22 s alone, 4.0 s shared) and the
 *   measurement would include the other files' garbage;
 * - OWN_WORKER: files that change process-wide state on purpose (the engine registry, which only grows).
 * scripts/vitestSharedWorkerGuard.ts fails a shared file that leaves such state changed.
 */
const HEAP_MEASURING = /\b(measureAllocation|checkNoAllocation|runConformance|fullGc|getHeapStatistics|memoryUsage|heapUsed)\b/;
const OWN_WORKER = [
  // Register the bridge's faulty test engine ('bridge-faulty') in the engine registry.
  'src/bridge/bridgeIsolation.test.ts',
  'src/bridge/bridgeProtocol.test.ts',
];
const unitOwnWorker = [
  ...OWN_WORKER,
  ...readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && HEAP_MEASURING.test(readFileSync(join('src', f), 'utf8')))
    .map((f) => join('src', f)),
];

export default defineConfig({
  // `studio-rig/*` (package.json "exports") resolves to the TypeScript sources in tests, as in tsconfig's
  // customConditions: the examples import the package by its name without a build.
  resolve: { conditions: ['studio-rig-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['studio-rig-source', ...defaultServerConditions], externalConditions: ['studio-rig-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.pack.test.ts', ...REALTIME, ...unitOwnWorker],
          isolate: false, setupFiles: ['scripts/vitestSharedWorkerGuard.ts'],
        },
      },
      { extends: true, test: { name: 'unit-own-worker', include: unitOwnWorker, exclude: ['src/**/*.pack.test.ts', ...REALTIME] } },
      { extends: true, test: { name: 'sim', include: ['sim/**/*.test.ts'], setupFiles: ['sim/fastCheckSeed.ts', ...(process.env.FC_SWEEP ? ['sim/fastCheckSweep.ts'] : [])] } },
      { extends: true, test: { name: 'hil', include: ['hil/**/*.test.ts'], exclude: REALTIME } },
      // Tests that measure a real-time thread on a real JACK server (a callback's duration, lost cycles)
      // run after every other project, so no other test file competes with them for the 2 cores (one ran
      // a 21 ms callback beside the rest of the suite; ≤ 0.05 ms alone). Within the group, one at a time.
      { extends: true, test: { name: 'realtime', include: REALTIME, sequence: { groupOrder: 1 }, fileParallelism: false } },
      { extends: true, test: { name: 'examples', include: ['examples/**/*.test.ts'] } },
      // `npm run test:package` (CI, after npm test): packs and builds the package (~15 s CPU), so it is
      // kept out of the everyday run.
      ...(process.env.RIG_TEST_PACKAGE ? [{ extends: true as const, test: { name: 'package', include: ['src/**/*.pack.test.ts'] } }] : []),
    ],
    // Threads start faster than forks, and vitest's default (cores − 1) runs one file at a time on this
    // 2-core machine: two workers take the suite from ~100 s to ~60 s, inside the 90 s budget.
    pool: 'threads',
    globalSetup: ['scripts/vitestGlobalSetup.ts'],
    // With CI set, JUnit XML as well (reports/junit/vitest.xml) for CI viewers; the console output is the same.
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'reports/junit/vitest.xml' }]] : ['default'],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
