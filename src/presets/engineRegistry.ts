import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { type EngineEntry, checkEngineEntry } from '../engine/engineDefinition.ts';
import { HAPTIC_ENGINE_VERSION, HapticEngine } from '../haptic/hapticEngine.ts';
import { hapticConfigSchema } from '../haptic/hapticConfig.ts';
import { LOSSY_ENGINE_VERSION, LossyEngine } from '../lossy/lossyEngine.ts';
import { lossyParamsSchema } from '../lossy/lossyParams.ts';
import { FDN_REVERB_VERSION, FdnReverb } from '../reverb/fdnReverb.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';

export type { EngineEntry } from '../engine/engineDefinition.ts';

// No prototype: a name such as "constructor" from the command line finds nothing, not Object's.
const entries: Record<string, EngineEntry> = Object.assign(Object.create(null) as Record<string, EngineEntry>, {
  lossy: {
    engine: 'lossy',
    kind: 'effect',
    version: LOSSY_ENGINE_VERSION,
    paramsSchema: lossyParamsSchema,
    create: (params) => new LossyEngine(params as z.output<typeof lossyParamsSchema>),
    prepareThread: (_params, options) => LossyEngine.prepareThread(options),
  },
  reverb: {
    engine: 'reverb',
    kind: 'effect',
    version: FDN_REVERB_VERSION,
    paramsSchema: reverbParamsSchema,
    create: (params) => new FdnReverb(params as z.output<typeof reverbParamsSchema>),
    prepareThread: (params, options) => FdnReverb.prepareThread(params as z.output<typeof reverbParamsSchema>, options),
  },
  haptic: {
    engine: 'haptic',
    kind: 'instrument',
    version: HAPTIC_ENGINE_VERSION,
    paramsSchema: hapticConfigSchema,
    create: (params) => new HapticEngine(params as z.output<typeof hapticConfigSchema>),
  },
} satisfies Record<string, EngineEntry>);

/**
 * Every engine the presets, goldens, conformance suite, `rig render`/`serve` and the HIL know: the three
 * bundled ones, and any the user registers (registerEngine, `--engine <module>`, the config file's
 * `engines`). Read it by name; it only grows.
 */
export const engineRegistry: Readonly<Record<string, EngineEntry>> = entries;

export function engineNames(): string[] {
  return Object.keys(entries).sort();
}

/**
 * Adds an engine (validated: see engineEntrySchema). Registering the same entry again is a no-op;
 * another entry under a taken name is an error, so a user engine never silently replaces a bundled one.
 */
export function registerEngine(entry: EngineEntry, source = `engine "${String((entry as { engine?: unknown }).engine)}"`): EngineEntry {
  const checked = checkEngineEntry(entry, source);
  const existing = entries[checked.engine];
  if (existing && existing !== entry) {
    throw new Error(`${source}: an engine named "${checked.engine}" is already registered; known engines: ${engineNames().join(', ')}`);
  }
  entries[checked.engine] = entry;
  return entry;
}

/**
 * Imports a user's engine module (a path, relative to `baseDir`; .js/.mjs, or .ts under tsx) and
 * registers what it exports: `default` (an entry or an array of entries) or named `engine`/`engines`.
 * Returns the entries registered.
 */
export async function loadEngineModule(specifier: string, baseDir = process.cwd()): Promise<EngineEntry[]> {
  const path = isAbsolute(specifier) ? specifier : resolve(baseDir, specifier);
  if (!existsSync(path)) throw new Error(`engine module ${specifier}: no such file (${path})`);
  let mod: Record<string, unknown>;
  try {
    // A TypeScript module from the built CLI (plain Node): tsx's loader is registered first.
    if (/\.[cm]?tsx?$/.test(path) && !process.execArgv.join(' ').includes('tsx')) await registerTypeScriptLoader();
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`engine module ${specifier} could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
  const exported = mod.default ?? mod.engines ?? mod.engine;
  if (exported === undefined) {
    throw new Error(`engine module ${specifier}: exports no engine; expected \`export default defineEngine({ engine, kind, version, paramsSchema, create })\``);
  }
  const list = Array.isArray(exported) ? exported : [exported];
  return list.map((e, i) => registerEngine(e as EngineEntry, `engine module ${specifier}${list.length > 1 ? ` [${i}]` : ''}`));
}

let typeScriptLoader: Promise<void> | undefined;
/** Registers tsx's ESM loader once (idempotent; harmless where tsx already runs the program). */
function registerTypeScriptLoader(): Promise<void> {
  typeScriptLoader ??= import('tsx/esm/api').then((tsx) => { tsx.register(); });
  return typeScriptLoader;
}

/** The entry of a registered engine, or an error listing the known ones. */
export function engineEntry(name: string, source = `engine "${name}"`): EngineEntry {
  const entry = entries[name];
  if (!entry) throw new Error(`${source}: unknown engine "${name}"; known engines: ${engineNames().join(', ')}`);
  return entry;
}
