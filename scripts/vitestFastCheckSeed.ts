import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Seeded property tests (every project's setup file). fast-check prints the seed and path of every failure;
 * set FC_SEED (and FC_PATH) to replay it, FC_NUM_RUNS to run more cases. Without FC_SEED the run's global
 * setup (vitestGlobalSetup.ts) draws one seed for the whole run and prints it once, so any run can be
 * replayed; a config without that global setup (vitest.mutation.config.ts) draws one here per file.
 * fast-check is imported only for a test file that imports it (only test files do): ~70 ms a fresh worker.
 */
const testPath = expect.getState().testPath;
if (testPath === undefined || readFileSync(testPath, 'utf8').includes("from 'fast-check'")) {
  const { default: fc } = await import('fast-check');
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (Math.random() * 0x100000000);
  const numRuns = process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : undefined;
  fc.configureGlobal({ seed, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}), ...(numRuns ? { numRuns } : {}) });
  if (!process.env.FC_SEED) process.stdout.write(`fast-check seed ${seed} (replay with FC_SEED=${seed})\n`);
}
