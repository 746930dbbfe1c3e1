import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'sim', include: ['sim/**/*.test.ts'], setupFiles: ['sim/fastCheckSeed.ts', ...(process.env.FC_SWEEP ? ['sim/fastCheckSweep.ts'] : [])] } },
      { extends: true, test: { name: 'hil', include: ['hil/**/*.test.ts'] } },
    ],
    // Threads start faster than forks, and vitest's default (cores − 1) runs one file at a time on this
    // 2-core machine: two workers take the suite from ~100 s to ~60 s, inside the 90 s budget.
    pool: 'threads',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
