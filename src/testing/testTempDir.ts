import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The run's folder for temporary files: scripts/vitestGlobalSetup.ts makes it under the machine's temporary
 * folder, names it in this variable for every worker, and removes it, whatever is left in it, when the run ends.
 */
export const TEST_TMP_ROOT_VARIABLE = 'STUDIO_RIG_TEST_TMP_ROOT';

/**
 * Caches that belong in the machine's temporary folder and outlive a run: tsx's compiled modules
 * (os.tmpdir()/tsx-<uid>, which the TypeScript processes the tests start read and fill — made anew in each worker's
 * folder, every such start would compile its modules again). Each worker's folder links them to the machine's.
 */
export const SHARED_CACHES = [`tsx-${process.getuid?.() ?? 0}`];

/**
 * Points this worker thread's TMPDIR (os.tmpdir(), and every process the thread starts) at a folder of its own in
 * the run's folder, once per worker: each worker thread has its own copy of the environment, so files that share a
 * worker (one after the other) share the folder and no other worker writes there. Returns the folder, or undefined
 * outside a run that made the root (a test file run by hand with another config).
 */
export function useWorkerTempDir(env: NodeJS.ProcessEnv = process.env, machineTmp = tmpdir()): string | undefined {
  const root = env[TEST_TMP_ROOT_VARIABLE];
  if (!root) return undefined;
  if (env.TMPDIR?.startsWith(`${root}/`)) return env.TMPDIR;
  const dir = mkdtempSync(join(root, 'worker-'));
  for (const cache of SHARED_CACHES) {
    mkdirSync(join(machineTmp, cache), { recursive: true });
    symlinkSync(join(machineTmp, cache), join(dir, cache));
  }
  env.TMPDIR = dir;
  return dir;
}

/**
 * What a test file left in its worker's temporary folder (but the shared caches' links), removed so the next file
 * starts clean: an error naming the entries (sorted, at most 10 named), or undefined when there are none.
 */
export function takeLeftovers(dir: string): Error | undefined {
  const left = readdirSync(dir).filter((name) => !SHARED_CACHES.includes(name)).sort();
  if (left.length === 0) return undefined;
  for (const name of left) rmSync(join(dir, name), { recursive: true, force: true });
  const named = left.slice(0, 10).map((n) => JSON.stringify(n)).join(', ');
  return new Error(`this file left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temporary folder (${named}${left.length > 10 ? ', …' : ''}): remove what a test makes there (afterAll / finally), as every run would otherwise leave them in /tmp`);
}
