import { statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order of test files under StrykerJS (vitest.mutation.config.ts): cheapest first, so that a mutant is killed by a
 * short unit test before the long suites run. Stryker stops a mutant's run at its first failing test (vitest's
 * bail: 1), so a killed mutant costs the tests up to the one that fails; with vitest's own order (slowest or largest
 * file first) every mutant of the loudness kernels ran the 30 s of EBU conformance cases before the unit test that
 * fails in milliseconds. Order: files under src/ (unit tests) before those under sim/ (suites), each by size,
 * smallest first (no timings are kept between Stryker's runs).
 */
export default class CheapestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => [f.moduleId.includes('/sim/') ? 1 : 0, statSync(f.moduleId).size];
    return files
      .map((file) => ({ file, key: key(file) }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
      .map((x) => x.file);
  }
}
