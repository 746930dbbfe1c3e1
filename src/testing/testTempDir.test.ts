import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_CACHES, TEST_TMP_ROOT_VARIABLE, takeLeftovers, useWorkerTempDir } from './testTempDir.ts';

const scratch = mkdtempSync(join(tmpdir(), 'temp-guard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('each test worker\'s temporary folder (scripts/vitestTempDirGuard.ts)', () => {
  it('is made once per worker inside the run\'s folder, linking the shared caches to the machine\'s', () => {
    const root = join(scratch, 'run');
    const machine = join(scratch, 'machine');
    mkdirSync(root);
    mkdirSync(machine);
    const env: NodeJS.ProcessEnv = { [TEST_TMP_ROOT_VARIABLE]: root, TMPDIR: machine };

    const dir = useWorkerTempDir(env, machine)!;

    expect(dir.startsWith(`${root}/worker-`)).toBe(true);
    expect(env.TMPDIR).toBe(dir);
    expect(useWorkerTempDir(env, machine)).toBe(dir); // the next file in the same worker: the same folder
    expect(readdirSync(root)).toHaveLength(1);
    for (const cache of SHARED_CACHES) {
      expect(lstatSync(join(dir, cache)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, cache))).toBe(join(machine, cache));
      expect(existsSync(join(machine, cache))).toBe(true);
    }
    expect(takeLeftovers(dir)).toBeUndefined(); // the caches' links are not a file's leftovers
  });

  it('is not made outside a run that made the root (a file run by hand with another config)', () => {
    const env: NodeJS.ProcessEnv = { TMPDIR: '/tmp' };
    expect(useWorkerTempDir(env, scratch)).toBeUndefined();
    expect(env.TMPDIR).toBe('/tmp');
  });

  it('names what a file left, removes it, and is quiet on an empty folder', () => {
    const dir = mkdtempSync(join(scratch, 'left-'));
    expect(takeLeftovers(dir)).toBeUndefined();
    mkdirSync(join(dir, 'presets-abc'));
    writeFileSync(join(dir, 'presets-abc', 'x.json'), '{}');
    writeFileSync(join(dir, 'capture.wav'), '');

    const error = takeLeftovers(dir);

    expect(error?.message).toMatch(/^this file left 2 entries in the temporary folder \("capture\.wav", "presets-abc"\)/);
    expect(readdirSync(dir)).toEqual([]);
    expect(takeLeftovers(dir)).toBeUndefined();
  });

  it('runs this worker\'s files in its folder: os.tmpdir() is inside the run\'s folder', () => {
    const root = process.env[TEST_TMP_ROOT_VARIABLE];
    expect(root, 'the global setup names the run\'s folder').toBeTruthy();
    expect(tmpdir().startsWith(`${root}/worker-`)).toBe(true);
  });
});
