import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../io/wavFile.ts';
import { type CliRun, runInProcess, spawnRig } from '../cliTestRunner.ts';
import * as golden from './golden.ts';
import * as presets from './presets.ts';
import * as render from './render.ts';

type Run = CliRun;
const rig = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => spawnRig(args, { env });

/** `args` run in this process through main.ts's mapping (cliTestRunner.ts), with `env` set for the run only. */
async function inProcess(register: typeof render.register, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runInProcess(register, args);
  } finally {
    process.env = saved;
  }
}

let dir: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-render-'));
  // The render end to end through bin/rig.js as a user runs it; the list and the two refusals in this
  // process (a process each cost ~0.7 s of CPU; exitCodes.test.ts holds the two paths' mappings together).
  const impulse = rig(['render', 'lossy/sampler-8bit', '--impulse', '--seconds', '0.5', '--sample-rate', '44100', '--out', join(dir, 'ir.wav'), '--json']);
  runs.presets = await inProcess(presets.register, ['presets', '--json']);
  runs.unknown = await inProcess(render.register, ['render', 'no-such-preset', '--out', join(dir, 'x.wav')]);
  runs.ci = await inProcess(golden.register, ['golden', 'approve', 'lossy/sampler-8bit'], { CI: 'true' });
  runs.impulse = await impulse;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig render', () => {
  it('writes the impulse response of a preset at the asked rate and length, and prints its figures', () => {
    expect(runs.impulse.code, runs.impulse.stderr).toBe(0);
    const figures = JSON.parse(runs.impulse.stdout) as { frames: number; preset: string };
    expect(figures).toMatchObject({ preset: 'lossy/sampler-8bit', frames: 22050 });
    const audio = readWav(join(dir, 'ir.wav'));
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channels.map((c) => c.length)).toEqual([22050, 22050]);
    expect(audio.channels[0][0]).toBeCloseTo(1, 6);
  });

  it('names the known presets when the preset does not exist, with a non-zero exit', () => {
    expect(runs.unknown.code).not.toBe(0);
    expect(runs.unknown.stderr).toMatch(/preset "no-such-preset": no such preset; known: .*lossy\/phone-narrowband/);
  });
});

describe('rig presets', () => {
  it('lists every preset with its engine, description and targets as JSON', () => {
    const list = JSON.parse(runs.presets.stdout) as Array<{ preset: string; description: string }>;
    expect(list.filter((p) => p.preset.startsWith('lossy/')).length).toBeGreaterThanOrEqual(8);
    expect(list.every((p) => p.description.length > 0)).toBe(true);
  });
});

describe('rig golden approve', () => {
  it('refuses to write anything when CI is set', () => {
    expect(runs.ci.code).not.toBe(0);
    expect(runs.ci.stderr).toMatch(/CI is set: goldens are never written/);
  });
});
