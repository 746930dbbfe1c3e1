import { randomInt } from 'node:crypto';
import { vi } from 'vitest';

/**
 * Seed sweep (only when FC_SWEEP=<n> is set; see vitest.config.ts): every fc.assert of the files run runs
 * n times, each time with a fresh seed, inside one vitest process (a process per seed would pay the
 * import and the fixed tests n times). Every failing seed is collected and reported together, each
 * replayable with FC_SEED=<seed> on its file. `scripts/property-seed-sweep.sh` runs it over the suites.
 */
const sweeps = Number(process.env.FC_SWEEP);

vi.mock('fast-check', async (importOriginal) => {
  const original = await importOriginal<typeof import('fast-check')>();
  const fc = original.default;
  const assertEachSeed = ((property: Parameters<typeof fc.assert>[0], params: Parameters<typeof fc.assert>[1] = {}) => {
    const failures: string[] = [];
    for (let i = 0; i < sweeps; i++) {
      const seed = randomInt(-0x80000000, 0x7fffffff);
      try {
        fc.assert(property as never, { ...params, seed } as never);
      } catch (e) {
        failures.push(`FC_SEED=${seed}: ${String((e as Error).message).split('\n').slice(0, 4).join(' | ')}`);
      }
    }
    process.stdout.write(`fast-check sweep: ${sweeps} seeds, ${failures.length} failed\n`);
    if (failures.length) throw new Error(`${failures.length} of ${sweeps} seeds failed:\n${failures.join('\n')}`);
  }) as typeof fc.assert;
  return { ...original, assert: assertEachSeed, default: { ...fc, assert: assertEachSeed } };
});
