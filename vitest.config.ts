import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Test files that start jackd and time real-time threads (the 'realtime' project). */
const REALTIME = ['src/host/jack/**/*.test.ts', 'hil/jack/**/*.test.ts'];

export default defineConfig({
  // `studio-rig/*` (package.json "exports") resolves to the TypeScript sources in tests, as in tsconfig's
  // customConditions: the examples import the package by its name without a build.
  resolve: { conditions: ['studio-rig-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['studio-rig-source', ...defaultServerConditions], externalConditions: ['studio-rig-source'] } },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.pack.test.ts', ...REALTIME] } },
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
