import { statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Unit test files that are slow instrumented and kill few mutants a faster file would not: they run after the other
 * unit tests. residualDropoutDetector.test.ts (the chunking and streaming checks: 10 whole detector runs over 6 s of
 * bursts, a minute streamed) took 3.7 s of the detector's 5.3 s instrumented tests, and ran before residualDetector.test.ts
 * (1.5 s, the shift, zeroed and glitch findings) only because it is the smaller file.
 */
const LATE_UNIT_FILES = ['src/analysis/dropouts/residualDropoutDetector.test.ts'];

/**
 * The order of test files under StrykerJS (vitest.mutation.config.ts): cheapest first, so that a mutant is killed by a
 * short unit test before the long suites run. Stryker stops a mutant's run at its first failing test (vitest's
 * bail: 1), so a killed mutant costs the tests up to the one that fails; with vitest's own order (slowest or largest
 * file first) every mutant of the loudness kernels ran the 30 s of EBU conformance cases before the unit test that
 * fails in milliseconds. Order: files under src/ (unit tests) before those under sim/ (suites), LATE_UNIT_FILES last of
 * the unit tests, each group by size, smallest first (no timings are kept between Stryker's runs).
 */
export default class CheapestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const group = (f: TestSpecification) => (f.moduleId.includes('/sim/') ? 2 : LATE_UNIT_FILES.some((late) => f.moduleId.endsWith(`/${late}`)) ? 1 : 0);
    const key = (f: TestSpecification) => [group(f), statSync(f.moduleId).size];
    return files
      .map((file) => ({ file, key: key(file) }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
      .map((x) => x.file);
  }
}
