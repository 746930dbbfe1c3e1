import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineEntry, engineRegistry, loadEngineModule, registerEngine } from './engineRegistry.ts';
import { CONFIG_FILE_NAME, applyWorkspaceOptions, readStudioRigConfig } from './studioRigConfig.ts';
import { PRESETS_DIR, type Workspace, setWorkspace, workspace } from './workspace.ts';

let dir: string;
let saved: Workspace;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-config-'));
  saved = { ...workspace };
});
afterEach(() => {
  setWorkspace(saved);
  rmSync(dir, { recursive: true, force: true });
});
const config = (text: string) => {
  const path = join(dir, CONFIG_FILE_NAME);
  writeFileSync(path, text);
  return path;
};

describe('studio-rig.config.json', () => {
  it('names the file and the key of every error', () => {
    const unknown = config('{ "formatVersion": 1, "presetDir": "p" }');
    expect(() => readStudioRigConfig(unknown)).toThrow(`${unknown}: (root): unknown key "presetDir"`);
    const wrongType = config('{ "formatVersion": 1, "engines": ["./a.ts", 3] }');
    expect(() => readStudioRigConfig(wrongType)).toThrow(/engines\[1\]: got 3, expected string/);
    const noVersion = config('{ "engines": [] }');
    expect(() => readStudioRigConfig(noVersion)).toThrow(/formatVersion: got nothing, expected 1/);
  });
  it('places a JSON syntax error at its line and column', () => {
    const path = config('{\n  "formatVersion": 1,\n  "goldenDir": "g",\n}');
    expect(() => readStudioRigConfig(path)).toThrow(`${path}:4:1: not valid JSON (PropertyNameExpected)`);
  });
  it('resolves folders against the file, and flags win over it', async () => {
    config('{ "formatVersion": 1, "presetsDir": "my-presets", "goldenDir": "my-golden" }');
    const r = await applyWorkspaceOptions({ goldenDir: 'elsewhere' }, dir);
    expect(r.configFile).toBe(join(dir, CONFIG_FILE_NAME));
    expect(r.workspace).toMatchObject({ presetsDir: join(dir, 'my-presets'), goldenDir: join(dir, 'elsewhere'), reportsDir: join(dir, 'reports') });
  });
  it('leaves the bundled folders when there is no file and no flag', async () => {
    const r = await applyWorkspaceOptions({}, dir);
    expect(r.configFile).toBeNull();
    expect(r.workspace.presetsDir).toBe(PRESETS_DIR);
    // Review pages go to the working folder, never into the package (which may sit in node_modules).
    expect(r.workspace.reportsDir).toBe(join(dir, 'reports'));
  });
});

describe('the engine registry', () => {
  it('rejects a module whose export is not an engine, naming each key', async () => {
    writeFileSync(join(dir, 'bad.mjs'), 'export default { engine: "../evil", kind: "effect", version: "1", paramsSchema: {}, create: 3 };\n');
    const err = await loadEngineModule('bad.mjs', dir).catch((e: Error) => e);
    expect(String(err)).toMatch(/engine module bad\.mjs: engine: got "\.\.\/evil", expected an engine name/);
    expect(String(err)).toMatch(/paramsSchema: .*expected a zod \(v4\) schema/);
    expect(String(err)).toMatch(/create: got 3, expected a function/);
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;\n');
    await expect(loadEngineModule('empty.mjs', dir)).rejects.toThrow(/exports no engine; expected `export default defineEngine/);
    await expect(loadEngineModule('missing.mjs', dir)).rejects.toThrow(/no such file/);
  });
  it('never lets a user engine replace a registered one', () => {
    expect(() => registerEngine({ ...engineRegistry.reverb })).toThrow(/an engine named "reverb" is already registered/);
    expect(registerEngine(engineRegistry.reverb)).toBe(engineRegistry.reverb);
  });
  it('finds names only, never Object.prototype members', () => {
    expect(() => engineEntry('constructor')).toThrow(/unknown engine "constructor"; known engines: haptic, lossy, reverb/);
    expect(() => engineEntry('__proto__')).toThrow(/unknown engine/);
  });
});
