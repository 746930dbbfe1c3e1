import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { parseParams } from '../engine/params.ts';
import { type EngineEntry, loadEngineModule } from './engineRegistry.ts';
import { type Workspace, setWorkspace, workspace } from './workspace.ts';

/** Looked for in the working folder by every command that reads presets, goldens or engines. */
export const CONFIG_FILE_NAME = 'studio-rig.config.json';
export const CONFIG_FORMAT_VERSION = 1;

/**
 * `studio-rig.config.json`: the user's engines and folders, so the commands need no flags. Paths are
 * relative to the file. Flags given on the command line win over the file.
 * `{ "formatVersion": 1, "engines": ["./my-engine.ts"], "presetsDir": "presets", "goldenDir": "golden", "scenariosDir": "scenarios" }`
 */
export const studioRigConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(CONFIG_FORMAT_VERSION),
  /** Engine modules to register (see loadEngineModule). */
  engines: z.array(z.string().min(1).max(1000)).max(100).default([]),
  presetsDir: z.string().min(1).max(1000).optional(),
  goldenDir: z.string().min(1).max(1000).optional(),
  scenariosDir: z.string().min(1).max(1000).optional(),
  /** Golden review pages go to <reportsDir>/golden (default: "reports" beside this file). */
  reportsDir: z.string().min(1).max(1000).default('reports'),
});
export type StudioRigConfig = z.output<typeof studioRigConfigSchema>;

/** Reads and validates a config file; errors name the file and the key (`engines[0]: got 3, expected string`). */
export function readStudioRigConfig(path: string): StudioRigConfig {
  const errors: ParseError[] = [];
  const text = readFileSync(path, 'utf8');
  const json: unknown = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length) {
    const e = errors[0];
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - before.lastIndexOf('\n');
    throw new Error(`${path}:${line}:${column}: not valid JSON (${printParseErrorCode(e.error)})`);
  }
  return parseParams(studioRigConfigSchema, json, path);
}

/** The options the engine-aware commands share (see addWorkspaceOptions in src/cli/workspaceOptions.ts). */
export interface WorkspaceOptions {
  /** Engine modules, relative to the working folder. */
  engine?: readonly string[];
  presetsDir?: string;
  goldenDir?: string;
  scenariosDir?: string;
}

/** The folders given (relative to `base`) as absolute paths; those not given are left out. */
function foldersFrom(given: Partial<Record<keyof Workspace, string>>, base: string): Partial<Workspace> {
  const keys: (keyof Workspace)[] = ['presetsDir', 'goldenDir', 'scenariosDir', 'reportsDir'];
  return Object.fromEntries(keys.filter((k) => given[k] !== undefined).map((k) => [k, resolve(base, given[k] as string)]));
}

/**
 * Applies the config file (CONFIG_FILE_NAME in `cwd`, when present) and then the flags: registers the
 * engine modules and points the workspace at the folders. Returns the engines registered and the
 * config file read (or null). Reports go to `<cwd>/reports` unless the file says otherwise.
 */
export async function applyWorkspaceOptions(options: WorkspaceOptions, cwd = process.cwd()): Promise<{ engines: EngineEntry[]; configFile: string | null; workspace: Workspace }> {
  const configPath = join(cwd, CONFIG_FILE_NAME);
  const engines: EngineEntry[] = [];
  let configFile: string | null = null;
  // Golden review pages go to ./reports/golden of the working folder (as `rig hil --reports reports`),
  // never into the package's own folder, which may be inside node_modules.
  setWorkspace({ reportsDir: resolve(cwd, 'reports') });
  if (existsSync(configPath)) {
    configFile = configPath;
    const config = readStudioRigConfig(configPath);
    const base = dirname(configPath);
    for (const m of config.engines) engines.push(...(await loadEngineModule(m, base)));
    setWorkspace(foldersFrom(config, base));
  }
  for (const m of options.engine ?? []) engines.push(...(await loadEngineModule(m, cwd)));
  setWorkspace(foldersFrom(options, cwd));
  return { engines, configFile, workspace: { ...workspace } };
}
