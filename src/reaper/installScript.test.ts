import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installReaScript, registrationSteps } from './installScript.ts';
import { generateReaScript, SCRIPT_FILE, WATCH_SCRIPT_FILE } from './reaScript.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-reaper-install-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('installing the ReaScript', () => {
  it('writes the generated script to Scripts/ (created if needed), replacing an older copy, with no temporary left', async () => {
    const resource = join(dir, 'fresh');
    mkdirSync(resource);
    const installed = await installReaScript(resource);
    expect(installed).toEqual({ oneShot: join(resource, 'Scripts', SCRIPT_FILE), watch: join(resource, 'Scripts', WATCH_SCRIPT_FILE) });
    writeFileSync(installed.oneShot, '# an older script');
    await installReaScript(resource);
    expect(readFileSync(installed.oneShot, 'utf8')).toBe(generateReaScript());
    expect(readFileSync(installed.watch, 'utf8')).toBe(generateReaScript({ watch: true }));
    expect(readdirSync(join(resource, 'Scripts')).sort()).toEqual([SCRIPT_FILE, WATCH_SCRIPT_FILE]);
  });

  it('names the resource folder when Scripts/ cannot be written', async () => {
    const resource = join(dir, 'blocked');
    mkdirSync(resource);
    writeFileSync(join(resource, 'Scripts'), 'a file where the folder should be');
    await expect(installReaScript(resource)).rejects.toThrow(/blocked: --resource-path: Scripts\/studio_rig_reaper\.py cannot be written \((ENOTDIR|EEXIST)\)$/);
  });

  it('tells how to register the scripts as actions, naming their paths', () => {
    const steps = registrationSteps({ oneShot: '/r/Scripts/a.py', watch: '/r/Scripts/b.py' }).join('\n');
    expect(steps).toContain('Load ReaScript');
    expect(steps).toContain('/r/Scripts/a.py');
    expect(steps).toContain('/r/Scripts/b.py');
  });
});
