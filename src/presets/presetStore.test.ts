import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listPresetRefs, listPresets, loadPreset, resolvePresetRef, savePreset, scanPresets } from './presetStore.ts';

/** The temporary folders this file made, removed after its tests. */
const made: string[] = [];
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A presets folder in a temporary directory holding the given files (engine/name → content). */
function presetsDir(files: Record<string, unknown>): string {
  const dir = tempDir('presets-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path.split('/')[0]), { recursive: true });
    writeFileSync(join(dir, `${path}.json`), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const lossy = (params: unknown) => ({ formatVersion: 1, engine: 'lossy', params });

describe('loadPreset', () => {
  it('fills every missing parameter with its default', () => {
    const dir = presetsDir({ 'lossy/old': lossy({ bitcrush: { enabled: true } }) });
    const p = loadPreset('lossy', 'old', dir);
    expect(p.params).toMatchObject({ seed: 1, bitcrush: { enabled: true, bitDepth: 16, holdRateHz: null }, codec: { bitrateKbps: 64 } });
  });

  it('names the file, the JSON path, the value and the allowed range of an out-of-range value', () => {
    const dir = presetsDir({ 'lossy/loud': lossy({ codec: { bitrateKbps: 9999 } }) });
    expect(() => loadPreset('lossy', 'loud', dir)).toThrow(/lossy\/loud\.json: params\.codec\.bitrateKbps: got 9999, expected a value ≤ 1536/);
  });

  it('names an unknown key and where it is', () => {
    const dir = presetsDir({ 'lossy/typo': lossy({ packetLoss: { lossPercnt: 5 } }) });
    expect(() => loadPreset('lossy', 'typo', dir)).toThrow(/typo\.json: params\.packetLoss: unknown key "lossPercnt"/);
  });

  it('names a wrong type', () => {
    const dir = presetsDir({ 'lossy/words': lossy({ seed: 'seven' }) });
    expect(() => loadPreset('lossy', 'words', dir)).toThrow(/words\.json: params\.seed: got "seven", expected number/);
  });

  it('rejects an unsupported format version and a file in the wrong engine folder', () => {
    const dir = presetsDir({ 'lossy/future': { formatVersion: 2, params: {} }, 'lossy/moved': { formatVersion: 1, engine: 'reverb', params: {} } });
    expect(() => loadPreset('lossy', 'future', dir)).toThrow(/future\.json: formatVersion: got 2/);
    expect(() => loadPreset('lossy', 'moved', dir)).toThrow(/moved\.json: engine: got "reverb", expected "lossy"/);
  });

  it('reports broken JSON with the file name, line and column', () => {
    const dir = presetsDir({ 'lossy/broken': '{\n  "formatVersion": 1,\n  "params": {,\n}' });
    expect(() => loadPreset('lossy', 'broken', dir)).toThrow(/broken\.json: not valid JSON at line 3, column 14: ValueExpected/);
  });

  it('refuses nesting too deep to read with a message naming the file, not a stack overflow', () => {
    const dir = presetsDir({ 'lossy/deep': `{"formatVersion": 1, "description": ${'['.repeat(20_000)}${']'.repeat(20_000)}}` });
    expect(() => loadPreset('lossy', 'deep', dir)).toThrow(/deep\.json: not valid JSON at line 1, column \d+: nested deeper than 64 levels/);
  });

  it('requires a performance for an instrument preset', () => {
    const dir = presetsDir({ 'haptic/mute': { formatVersion: 1, params: {} } });
    expect(() => loadPreset('haptic', 'mute', dir)).toThrow(/mute\.json: performance: missing/);
  });

  it('lists the presets that exist when asked for one that does not', () => {
    const dir = presetsDir({ 'lossy/a': lossy({}), 'lossy/b': lossy({}) });
    expect(() => loadPreset('lossy', 'c', dir)).toThrow(/no such preset; lossy presets: a, b/);
  });
});

describe('preset names', () => {
  const dir = presetsDir({ 'lossy/hall': lossy({}), 'reverb/hall': { formatVersion: 1, params: {} }, 'lossy/phone': lossy({}) });

  it('lists presets by engine and name, sorted', () => {
    expect(listPresetRefs(undefined, dir).map((r) => `${r.engine}/${r.name}`)).toEqual(['lossy/hall', 'lossy/phone', 'reverb/hall']);
    expect(listPresets('lossy', dir).map((p) => p.name)).toEqual(['hall', 'phone']);
  });

  it('resolves a unique bare name and an engine/name pair', () => {
    expect(resolvePresetRef('phone', dir)).toEqual({ engine: 'lossy', name: 'phone' });
    expect(resolvePresetRef('reverb/hall', dir)).toEqual({ engine: 'reverb', name: 'hall' });
  });

  it('treats names as names, never paths: nothing outside the presets folder is read', () => {
    for (const name of ['reverb/../../package', 'lossy/../reverb/hall', 'lossy/.hidden', 'lossy/a/b']) {
      expect(() => resolvePresetRef(name, dir), name).toThrow(/not a preset name: .*a name, not a path/);
    }
    expect(() => loadPreset('lossy', '../../package', dir)).toThrow(/not a preset name/);
    expect(() => resolvePresetRef('../../package', dir)).toThrow(/unknown engine ".."/);
  });

  it('asks for the engine when a bare name is ambiguous', () => {
    expect(() => resolvePresetRef('hall', dir)).toThrow(/ambiguous; say which engine: lossy\/hall, reverb\/hall/);
  });
});

describe('scanPresets', () => {
  it('lists the good presets and reports the bad one, instead of failing on the first', () => {
    const dir = presetsDir({ 'lossy/a': lossy({}), 'lossy/b': '{ nope', 'lossy/c': lossy({}) });
    const { presets, problems } = scanPresets('lossy', dir);
    expect(presets.map((p) => p.name)).toEqual(['a', 'c']);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/lossy\/b\.json: not valid JSON at line 1, column 3/)]);
  });
});

describe('the shipped presets', () => {
  it('all load, and there are at least 8 lossy and 4 haptic presets', () => {
    const presets = listPresets();
    expect(presets.filter((p) => p.engine === 'lossy').length).toBeGreaterThanOrEqual(8);
    expect(presets.filter((p) => p.engine === 'haptic').length).toBeGreaterThanOrEqual(4);
  });
});

describe('savePreset', () => {
  const shipped = () => presetsDir({ 'lossy/phone': lossy({}) });

  it('writes a preset that loads back with the same parameters, leaving no temporary file', async () => {
    const dir = tempDir('saved-');
    const saved = await savePreset('lossy', 'my-phone', { outputGainDb: -6 }, { dir, shippedDir: shipped(), description: 'quieter' });
    expect(saved.params).toEqual(loadPreset('lossy', 'my-phone', dir).params);
    expect((saved.params as { outputGainDb: number }).outputGainDb).toBe(-6);
    expect(readdirSync(join(dir, 'lossy'))).toEqual(['my-phone.json']);
  });

  it('never overwrites a shipped preset, and refuses a path as a name before writing anything', async () => {
    const dir = tempDir('saved-');
    await expect(savePreset('lossy', 'phone', {}, { dir, shippedDir: shipped() })).rejects.toThrow(/shipped preset/);
    await expect(savePreset('lossy', '../../escape', {}, { dir, shippedDir: shipped() })).rejects.toThrow(/not a preset name/);
    expect(existsSync(join(dir, 'lossy'))).toBe(false);
  });

  it('refuses parameters the schema refuses, naming the key and the range', async () => {
    const dir = tempDir('saved-');
    await expect(savePreset('lossy', 'loud', { outputGainDb: 99 }, { dir, shippedDir: shipped() })).rejects.toThrow(/params\.outputGainDb: got 99, expected a value ≤ 24/);
  });
});
