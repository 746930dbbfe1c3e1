import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ParamError, parseParams } from '../engine/params.ts';
import { JsonTextError, parseJsonText } from '../io/jsonText.ts';
import { type EngineEntry, engineNames, engineRegistry } from './engineRegistry.ts';
import type { Performance } from './performance.ts';
import { PRESET_FORMAT_VERSION, type PresetTargets, presetFileSchema } from './presetFile.ts';

import { writeTextAtomic } from '../io/atomicText.ts';
import { PRESETS_DIR, REPO_ROOT, workspace } from './workspace.ts';

export { PRESETS_DIR, REPO_ROOT } from './workspace.ts';

export interface Preset {
  engine: string;
  /** The file name without `.json`: the preset's name everywhere. */
  name: string;
  /** Path of the file, relative to the repository root when inside it. */
  file: string;
  formatVersion: number;
  description: string;
  /** Parameters validated by the engine's schema, defaults filled in. */
  params: unknown;
  targets?: PresetTargets;
  performance?: Performance;
}

export interface PresetRef {
  engine: string;
  name: string;
}

/**
 * A preset name is a name, never a path: letters, digits, '-', '_' and '.', not starting with '.',
 * at most 100 characters. `reverb/../../package` is refused before any file is touched.
 */
export const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function checkName(engine: string, name: string): void {
  if (!PRESET_NAME.test(name)) {
    throw new ParamError(`preset "${engine}/${name.length > 60 ? `${name.slice(0, 60)}…` : name}"`, ['not a preset name: expected letters, digits, "-", "_" or "." (not first), at most 100 characters — a name, not a path']);
  }
}

function entryOf(engine: string, source: string): EngineEntry {
  const entry = engineRegistry[engine];
  if (!entry) throw new ParamError(source, [`unknown engine "${engine}"; known engines: ${engineNames().join(', ')}`]);
  return entry;
}

function displayPath(path: string): string {
  const r = relative(REPO_ROOT, path);
  return r.startsWith('..') ? path : r;
}

/**
 * Reads and validates `presets/<engine>/<name>.json`. Errors are `ParamError`s naming the file, the
 * JSON path, the value and what was expected, e.g.
 * `presets/lossy/phone.json: params.codec.bitrateKbps: got 9999, expected a value ≤ 1536`.
 */
export function loadPreset(engine: string, name: string, presetsDir = workspace.presetsDir): Preset {
  const entry = entryOf(engine, `preset "${engine}/${name}"`);
  checkName(engine, name);
  const path = join(presetsDir, engine, `${name}.json`);
  const file = displayPath(path);
  if (!existsSync(path)) {
    const known = listPresetRefs(engine, presetsDir).map((r) => r.name);
    throw new ParamError(file, [`no such preset; ${engine} presets: ${known.join(', ') || 'none'}`]);
  }
  let json: unknown;
  try {
    json = parseJsonText(readFileSync(path, 'utf8'), file);
  } catch (e) {
    if (e instanceof JsonTextError) throw new ParamError(file, [`not valid JSON at line ${e.line}, column ${e.column}: ${e.reason}`]);
    throw new ParamError(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  const parsed = parseParams(presetFileSchema(entry.paramsSchema), json, file);
  if (parsed.engine !== undefined && parsed.engine !== engine) {
    throw new ParamError(file, [`engine: got ${JSON.stringify(parsed.engine)}, expected "${engine}" (the folder the file is in)`]);
  }
  if (entry.kind === 'instrument' && !parsed.performance) {
    throw new ParamError(file, [`performance: missing, expected { seconds, events } (a ${engine} preset renders a performance)`]);
  }
  return {
    engine, name, file, formatVersion: parsed.formatVersion, description: parsed.description,
    params: parsed.params, targets: parsed.targets, performance: parsed.performance,
  };
}

/** Every preset file (engine, name) under `presetsDir`, for one engine or all registered engines, sorted. */
export function listPresetRefs(engine?: string, presetsDir = workspace.presetsDir): PresetRef[] {
  const engines = engine ? [engine] : engineNames();
  const refs: PresetRef[] = [];
  for (const e of engines) {
    const dir = join(presetsDir, e);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.json')) refs.push({ engine: e, name: f.slice(0, -5) });
  }
  return refs;
}

/** Loads every preset (for one engine or all); the first invalid file throws its ParamError. */
export function listPresets(engine?: string, presetsDir = workspace.presetsDir): Preset[] {
  return listPresetRefs(engine, presetsDir).map((r) => loadPreset(r.engine, r.name, presetsDir));
}

/** Every preset that loads, and the error of every one that does not: one bad file hides no good one. */
export function scanPresets(engine?: string, presetsDir = workspace.presetsDir): { presets: Preset[]; problems: ParamError[] } {
  const presets: Preset[] = [];
  const problems: ParamError[] = [];
  for (const r of listPresetRefs(engine, presetsDir)) {
    try {
      presets.push(loadPreset(r.engine, r.name, presetsDir));
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      problems.push(e);
    }
  }
  return { presets, problems };
}

/**
 * Resolves a command-line preset name: `engine/name`, or a bare `name` that exactly one engine has.
 * Throws a ParamError listing the candidates when the name is ambiguous or unknown.
 */
export function resolvePresetRef(text: string, presetsDir = workspace.presetsDir): PresetRef {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const engine = text.slice(0, slash);
    entryOf(engine, `preset "${text}"`);
    const name = text.slice(slash + 1);
    checkName(engine, name);
    return { engine, name };
  }
  const matches = listPresetRefs(undefined, presetsDir).filter((r) => r.name === text);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new ParamError(`preset "${text}"`, [`ambiguous; say which engine: ${matches.map((m) => `${m.engine}/${m.name}`).join(', ')}`]);
  }
  const all = listPresetRefs(undefined, presetsDir).map((r) => `${r.engine}/${r.name}`);
  throw new ParamError(`preset "${text}"`, [`no such preset; known: ${all.join(', ') || 'none'}`]);
}

export interface SavePresetOptions {
  /** The folder written to (`<dir>/<engine>/<name>.json`). */
  dir: string;
  description?: string;
  /** An instrument preset's performance (required for instruments, as loadPreset requires it). */
  performance?: Performance;
  /** The shipped presets, which are never overwritten: a name taken there is refused. Default: the package's `presets/`. */
  shippedDir?: string;
}

/**
 * Writes `params` as the preset `<dir>/<engine>/<name>.json`, atomically (temporary file + rename), after
 * the same checks loadPreset makes: the name is a name (never a path), the engine is known, the file
 * validates with the engine's schema. A name one of the shipped presets has is refused (they are the
 * goldens' references: change them in the repository, not from a tool). Returns the preset as
 * loadPreset would read it back.
 */
export async function savePreset(engine: string, name: string, params: unknown, options: SavePresetOptions): Promise<Preset> {
  const entry = entryOf(engine, `preset "${engine}/${name}"`);
  checkName(engine, name);
  const shippedDir = options.shippedDir ?? PRESETS_DIR;
  if (existsSync(join(shippedDir, engine, `${name}.json`))) {
    throw new ParamError(`preset "${engine}/${name}"`, ['a shipped preset of that name exists and is never overwritten; choose another name']);
  }
  const file = { formatVersion: PRESET_FORMAT_VERSION, engine, description: options.description ?? '', params, ...(options.performance ? { performance: options.performance } : {}) };
  const path = join(options.dir, engine, `${name}.json`);
  parseParams(presetFileSchema(entry.paramsSchema), file, displayPath(path));
  if (entry.kind === 'instrument' && !options.performance) {
    throw new ParamError(displayPath(path), [`performance: missing, expected { seconds, events } (a ${engine} preset renders a performance)`]);
  }
  await writeTextAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
  return loadPreset(engine, name, options.dir);
}
