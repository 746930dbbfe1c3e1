import { defineConfig } from 'vitest/config';
import CheapestFirst from './scripts/vitestMutationSequencer.ts';

/**
 * The tests StrykerJS runs against mutants of src/analysis and src/dsp (`npm run mutation`,
 * stryker.config.mjs): their unit tests and the light sim suites on them, with a fixed fast-check seed so
 * a mutant is judged the same way on every run. The 10-minute dropout suites and the HIL are left out:
 * each mutant they covered would cost minutes. RIG_MUTATION_RUN=1 makes the allocation tests skip themselves
 * (allocationUnmeasurable in src/engine/allocationProbe.ts): the instrumented code allocates.
 */
export default defineConfig({
  test: {
    include: [
      'src/analysis/**/*.test.ts',
      'src/dsp/**/*.test.ts',
      'sim/dsp/**/*.test.ts',
      'sim/analysis/acoustics.test.ts',
      'sim/analysis/acousticsProperties.test.ts',
      'sim/analysis/loudnessConformance.test.ts',
      'sim/analysis/latency.test.ts',
      'sim/analysis/onset.test.ts',
    ],
    // Their worker thread loads the sources by itself and runs them unmutated (Stryker's active mutant is a global of
    // the test's thread), so they cannot judge a mutant of the code they share with this thread: a mutant of
    // powerSpectrum or truePeak changes the test's reference but not the worker's answer, a false kill. They judge
    // only the batches of programmeOffThread.ts and analyzeProgramme.ts (RIG_MUTATION_WORKER_TESTS=1, set by
    // scripts/mutation-batches.sh), whose mutants run in this thread or not at all (the worker's own code: no coverage).
    exclude: process.env.RIG_MUTATION_WORKER_TESTS === '1' ? [] : ['src/analysis/signal/programmeOffThread.test.ts', 'src/analysis/signal/analyzeProgramme.test.ts'],
    setupFiles: ['scripts/vitestFastCheckSeed.ts'],
    env: { FC_SEED: '20261204', RIG_MUTATION_RUN: '1' },
    pool: 'threads',
    maxWorkers: 1,
    sequence: { sequencer: CheapestFirst },
    // Instrumented, a per-sample loop runs ~30x slower (a coverage count or a mutant switch per statement and sample):
    // the 100 s Tech 3341 case at 96 kHz takes ~0.7 s plain, 20–60 s instrumented under load. Stryker times a mutant
    // out by its own rule (the dry run's time × 1.5 + timeoutMS), so this only keeps the dry run from failing.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
