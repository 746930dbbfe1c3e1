import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * vitest's order of test files (sequence.groupOrder, then project name, then slowest first by the last run's
 * timings, or largest first without them) with one change: within a group, the projects whose files get a
 * worker each run before the projects whose files share one (isolate: false).
 * - A shared worker is kept only while the next file in the queue belongs to its project, so each shared
 *   project's files must stay together (they do: the order only moves whole projects).
 * - The many short shared files then end the group, filling both workers to the end, instead of a long
 *   file of the last project running alone on one core while the other waits (unit-own-worker, last by
 *   name, has 5–9 s files; the realtime group starts only when the whole group is done).
 */
export default class IsolatedProjectsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const key = (f: TestSpecification) => [f.project.config.sequence.groupOrder, f.project.config.isolate === false ? 1 : 0];
    return sorted
      .map((file, index) => ({ file, index, key: key(file) }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.index - b.index)
      .map((x) => x.file);
  }
}
