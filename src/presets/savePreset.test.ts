import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../engine/params.ts';
import { loadPreset } from './presetStore.ts';
import { savePreset } from './savePreset.ts';
import { PRESETS_DIR } from './workspace.ts';

describe('savePreset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'save-preset-'));

  it('writes a preset that loads back with the same parameters, and leaves no temporary file', async () => {
    const params = loadPreset('reverb', 'small-room').params as Record<string, unknown>;
    const file = await savePreset('reverb', 'my-room', { ...params, wetDry: 0.4 }, { presetsDir: dir });
    expect(file).toBe(join(dir, 'reverb', 'my-room.json'));
    expect(loadPreset('reverb', 'my-room', dir).params).toMatchObject({ wetDry: 0.4, rt60Seconds: 0.45 });
    expect(readdirSync(join(dir, 'reverb'))).toEqual(['my-room.json']);
    await savePreset('reverb', 'my-room', { ...params, wetDry: 0.5 }, { presetsDir: dir }); // the user's own: overwritten
    expect(JSON.parse(readFileSync(file, 'utf8')).params.wetDry).toBe(0.5);
  });

  it.each(['../escape', 'a/b', '..', '.hidden', '', 'x'.repeat(101)])('refuses %j as a name before touching a file', async (name) => {
    await expect(savePreset('reverb', name, {}, { presetsDir: dir })).rejects.toThrow(/a name, not a path/);
    expect(existsSync(join(dir, 'escape.json'))).toBe(false);
  });

  it('refuses parameters the engine does not accept, naming the key', async () => {
    await expect(savePreset('reverb', 'bad', { wetDry: 3 }, { presetsDir: dir })).rejects.toThrow('preset "reverb/bad": params.wetDry: got 3, expected a value ≤ 1');
    expect(existsSync(join(dir, 'reverb', 'bad.json'))).toBe(false);
  });

  it('never overwrites a shipped preset without force', async () => {
    const before = readFileSync(join(PRESETS_DIR, 'reverb', 'small-room.json'), 'utf8');
    const err = await savePreset('reverb', 'small-room', { wetDry: 0.9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamError);
    expect((err as Error).message).toMatch(/shipped with Studio Rig; choose another name, or force/);
    expect(readFileSync(join(PRESETS_DIR, 'reverb', 'small-room.json'), 'utf8')).toBe(before);
  });
});
