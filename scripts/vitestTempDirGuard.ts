import { afterAll } from 'vitest';
import { takeLeftovers, useWorkerTempDir } from '../src/testing/testTempDir.ts';

/**
 * Setup file of every test project: each worker thread's temporary files (os.tmpdir(), and those of the processes
 * it starts) go to a folder of its own inside the run's folder, which the global setup removes when the run ends —
 * so no run leaves anything in /tmp — and a test file that leaves anything there fails, naming it (the files run
 * one after another in their worker, so the entries are that file's). Before this guard a run left ~50 folders in
 * /tmp (presets, dev servers' static and preset folders, tuner stand-ins, WAVs).
 * It runs after the file's own afterAll hooks (vitest runs a file's afterAll hooks last registered first).
 */
const dir = useWorkerTempDir();
if (dir) {
  afterAll(() => {
    const leftovers = takeLeftovers(dir);
    if (leftovers) throw leftovers;
  });
}
