// @ts-check
/**
 * Mutation testing of the measurement library and the DSP primitives (StrykerJS): `npm run mutation`,
 * HTML report in reports/mutation/index.html. Not part of `npm test` (a full run takes tens of minutes).
 * One folder or a few files while working: `npm run mutation -- --mutate 'src/analysis/loudness/**\/*.ts'`.
 * Surviving mutants judged equivalent are listed with their reasons in docs/mutation-equivalents.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/analysis/**/*.ts',
    'src/dsp/**/*.ts',
    '!**/*.test.ts',
    '!**/*.bench.ts',
    '!**/*.producerFixture.ts',
  ],
  ignorePatterns: ['reports', 'dist', 'golden', 'e2e', 'test-results', 'playwright-report', '.vitest-cache', '.stryker-tmp*'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The machine is shared (2 cores): two test processes at most.
  concurrency: 2,
  timeoutMS: 10000,
  // The initial test run counts per-test coverage in every instrumented statement: the tests of src/analysis/loudness
  // (9 s uninstrumented) ran over 8 minutes so on 5 Dec (load ~8), past the 5-minute default.
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
