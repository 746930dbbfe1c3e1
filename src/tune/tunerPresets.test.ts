import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS_DIR } from '../presets/workspace.ts';
import { TunerPresets } from './tunerPresets.ts';

describe('the presets a tuner reads and writes (rig serve\'s rules)', () => {
  const shippedDir = mkdtempSync(join(tmpdir(), 'tuner-shipped-'));
  const userDir = mkdtempSync(join(tmpdir(), 'tuner-user-'));
  afterAll(() => { for (const d of [shippedDir, userDir]) rmSync(d, { recursive: true, force: true }); });
  mkdirSync(join(shippedDir, 'reverb'));
  copyFileSync(join(PRESETS_DIR, 'reverb', 'small-room.json'), join(shippedDir, 'reverb', 'small-room.json'));
  const presets = new TunerPresets('reverb', { shippedDir, userDir });

  it('saves to the user folder, atomically and validated, and loads it back first', async () => {
    const params = presets.load('small-room').params as Record<string, unknown>;
    const file = await presets.save('my-room', { ...params, wetDry: 0.4 }, false);
    expect(file).toBe(join(userDir, 'reverb', 'my-room.json'));
    expect(readdirSync(join(userDir, 'reverb'))).toEqual(['my-room.json']);
    expect(presets.load('my-room').params).toMatchObject({ wetDry: 0.4, rt60Seconds: 0.45 });
    expect(presets.names()).toEqual(['my-room', 'small-room']);
  });

  it('saves over a shipped name only with force, and then the user copy shadows it', async () => {
    const shipped = readFileSync(join(shippedDir, 'reverb', 'small-room.json'), 'utf8');
    const params = presets.load('small-room').params as Record<string, unknown>;
    await expect(presets.save('small-room', { ...params, wetDry: 0.9 }, false)).rejects.toThrow(/"small-room" is a shipped reverb preset; send force/);
    await presets.save('small-room', { ...params, wetDry: 0.9 }, true);
    expect(readFileSync(join(shippedDir, 'reverb', 'small-room.json'), 'utf8')).toBe(shipped);
    expect(presets.load('small-room').params).toMatchObject({ wetDry: 0.9 });
  });

  it.each(['../escape', 'a/b', '..', '.hidden', 'x'.repeat(101)])('refuses %j as a name before touching a file', async (name) => {
    await expect(presets.save(name, {}, false)).rejects.toThrow(/a name, not a path/);
    expect(() => presets.load(name)).toThrow(/a name, not a path/);
    expect(existsSync(join(userDir, 'escape.json'))).toBe(false);
  });

  it('refuses parameters the engine does not accept, naming the key', async () => {
    await expect(presets.save('bad', { wetDry: 3 }, false)).rejects.toThrow(/params\.wetDry: got 3, expected a value ≤ 1/);
    expect(existsSync(join(userDir, 'reverb', 'bad.json'))).toBe(false);
  });

  it('answers an unknown name with the close matches', () => {
    expect(() => presets.load('smal-room')).toThrow('preset "reverb/smal-room": no such preset; did you mean small-room, my-room?');
  });
});
