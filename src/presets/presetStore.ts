import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ParamError, parseParams } from '../engine/params.ts';
import { type EngineEntry, engineNames, engineRegistry } from './engineRegistry.ts';
import type { Performance } from './performance.ts';
import { type PresetTargets, presetFileSchema } from './presetFile.ts';

import { REPO_ROOT, workspace } from './workspace.ts';

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
  const path = join(presetsDir, engine, `${name}.json`);
  const file = displayPath(path);
  const entry = entryOf(engine, file);
  if (!existsSync(path)) {
    const known = listPresetRefs(engine, presetsDir).map((r) => r.name);
    throw new ParamError(file, [`no such preset; ${engine} presets: ${known.join(', ') || 'none'}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParamError(file, [`not valid JSON (${(e as Error).message})`]);
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

/**
 * Resolves a command-line preset name: `engine/name`, or a bare `name` that exactly one engine has.
 * Throws a ParamError listing the candidates when the name is ambiguous or unknown.
 */
export function resolvePresetRef(text: string, presetsDir = workspace.presetsDir): PresetRef {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const engine = text.slice(0, slash);
    entryOf(engine, `preset "${text}"`);
    return { engine, name: text.slice(slash + 1) };
  }
  const matches = listPresetRefs(undefined, presetsDir).filter((r) => r.name === text);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new ParamError(`preset "${text}"`, [`ambiguous; say which engine: ${matches.map((m) => `${m.engine}/${m.name}`).join(', ')}`]);
  }
  const all = listPresetRefs(undefined, presetsDir).map((r) => `${r.engine}/${r.name}`);
  throw new ParamError(`preset "${text}"`, [`no such preset; known: ${all.join(', ') || 'none'}`]);
}
