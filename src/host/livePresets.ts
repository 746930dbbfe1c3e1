import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ParamError, parseParams } from '../engine/params.ts';
import { writeTextAtomic } from '../io/atomicText.ts';
import { closeMatches } from '../presets/closeMatches.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';
import { PRESET_FORMAT_VERSION, presetFileSchema } from '../presets/presetFile.ts';
import { PRESET_NAME, type Preset, listPresetRefs, loadPreset } from '../presets/presetStore.ts';
import { LiveParams } from './liveParams.ts';

/** The user presets folder by default: $XDG_CONFIG_HOME/studio-rig/presets (~/.config/… without it). */
export function defaultUserPresetsDir(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'studio-rig', 'presets');
}

export interface LivePresetsOptions {
  entry: EngineEntry;
  /** The shipped presets (presets/ of the workspace). */
  shippedDir: string;
  /** Where `preset/save` writes and `preset/load` looks first: `<dir>/<engine>/<name>.json`. */
  userDir: string;
  /** The live engine's parameters (current values, and which keys change only by rebuilding). */
  params: LiveParams;
}

/**
 * Presets of a live engine: `load(name)` reads `<userDir>/<engine>/<name>.json`, else the shipped
 * `<shippedDir>/<engine>/<name>.json` (validated by the engine's schema), and queues a Param event for
 * every parameter that the engine changes live and the preset sets differently, so each change ramps
 * with the engine's smoothing. A preset that differs in a parameter fixed when the engine is built
 * (lines, delays, damping, matrix…) is applied whole by a new engine crossfaded in (structuralChanges.ts:
 * built on the control thread for an in-thread host, by the render thread for a worker host); without a
 * builder it is refused whole, naming those keys: restart with `--preset` (a half-applied preset would be neither). `save(name)` validates the current parameters as a preset
 * file and writes it atomically to the user folder; a name that is a shipped preset is refused without
 * `force` (with it, the user's copy shadows the shipped one). Names are names (PRESET_NAME), never paths.
 */
/** Preset saves being written at once; a further one is refused (answered) until one is done. */
export const MAX_SAVES_IN_FLIGHT = 2;

export class LivePresets {
  private savesInFlight = 0;

  constructor(private readonly o: LivePresetsOptions) {}

  private get engine(): string {
    return this.o.entry.engine;
  }

  /** The preset names known (user and shipped). */
  names(): string[] {
    const all = [...listPresetRefs(this.engine, this.o.userDir), ...listPresetRefs(this.engine, this.o.shippedDir)].map((r) => r.name);
    return [...new Set(all)].sort();
  }

  /**
   * Loads `name`, queueing each changed live parameter through `queue(name, value)` (false = refused;
   * the rest are still queued). A preset that differs in structure goes to `rebuild(params)` whole (a
   * new engine built with the preset's parameters, crossfaded in; an error text when refused); without
   * `rebuild` it is refused. Returns the preset's name and file, or an error text.
   */
  load(name: string, queue: (param: string, value: number) => boolean, rebuild?: (params: unknown) => string | undefined): { name: string; file: string } | string {
    const bad = nameProblem(name);
    if (bad) return `preset/load: ${bad}`;
    const dir = existsSync(join(this.o.userDir, this.engine, `${name}.json`)) ? this.o.userDir : this.o.shippedDir;
    if (!existsSync(join(dir, this.engine, `${name}.json`))) {
      const near = closeMatches(name, this.names());
      return `preset/load: no ${this.engine} preset "${name}"; ${near.length ? `did you mean ${near.join(', ')}?` : `known: ${this.names().join(', ') || 'none'}`}`;
    }
    let preset: Preset;
    try {
      preset = loadPreset(this.engine, name, dir);
    } catch (err) {
      return `preset/load: ${(err as Error).message}`;
    }
    const current = this.o.params.snapshot();
    const fixed = fixedKeysDiffering(this.o.params, preset.params);
    if (fixed.length && rebuild) {
      const refused = rebuild(preset.params);
      if (refused) return `preset/load: ${name}: ${refused}`;
      this.o.params.replace(preset.params);
      return { name, file: preset.file };
    }
    if (fixed.length) {
      return `preset/load: ${name} differs in parameters fixed when the engine is built (${fixed.slice(0, 8).join(', ')}${fixed.length > 8 ? ', …' : ''}); restart with --preset ${name}`;
    }
    for (const p of this.o.params.params) {
      const value = liveValue(preset.params, p.name);
      if (value !== undefined && value !== LiveParams.numberAt(current, p.name)) queue(p.name, value);
    }
    this.o.params.replace(preset.params);
    return { name, file: preset.file };
  }

  /** Saves `params` as preset `name` in the user folder; resolves to its file or an error text. */
  async save(name: string, params: Record<string, unknown>, force: boolean): Promise<{ file: string } | string> {
    const bad = nameProblem(name);
    if (bad) return `preset/save: ${bad}`;
    if (!force && existsSync(join(this.o.shippedDir, this.engine, `${name}.json`)) && this.o.shippedDir !== this.o.userDir) {
      return `preset/save: "${name}" is a shipped ${this.engine} preset; send force (1) to save your own copy over it, or choose another name`;
    }
    if (!force && this.o.shippedDir === this.o.userDir && existsSync(join(this.o.shippedDir, this.engine, `${name}.json`))) {
      return `preset/save: "${name}" exists in the presets folder; send force (1) to overwrite it`;
    }
    if (this.savesInFlight >= MAX_SAVES_IN_FLIGHT) return `preset/save: ${this.savesInFlight} saves are being written; try again when one is done`;
    const file = join(this.o.userDir, this.engine, `${name}.json`);
    const doc = {
      formatVersion: PRESET_FORMAT_VERSION, engine: this.engine,
      description: `Saved live from rig serve at ${new Date().toISOString()}.`,
      params: withoutNulls(params),
    };
    try {
      parseParams(presetFileSchema(this.o.entry.paramsSchema), doc, `preset ${this.engine}/${name}`);
    } catch (err) {
      return `preset/save: the current parameters do not make a valid preset: ${err instanceof ParamError ? err.message : String(err)}`;
    }
    this.savesInFlight++;
    try {
      await writeTextAtomic(file, `${JSON.stringify(doc, null, 2)}\n`);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return `preset/save: cannot write ${file}: ${e.code ?? e.message}`;
    } finally {
      this.savesInFlight--;
    }
    return { file };
  }
}

/** Why `name` is not a preset name, or undefined. */
function nameProblem(name: string): string | undefined {
  if (PRESET_NAME.test(name) && !name.includes('..')) return undefined;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  return `"${shown}" is not a preset name: letters, digits, "-", "_" or "." (not first, no ".."), at most 100 characters — a name, not a path`;
}

/** A live parameter's value in a parsed parameter set; null anchors that mean "the main one" resolved (reverb's rt60HighSeconds). */
function liveValue(params: unknown, name: string): number | undefined {
  const v = LiveParams.numberAt(params, name);
  if (v !== undefined) return v;
  if (name === 'rt60HighSeconds') return LiveParams.numberAt(params, 'rt60Seconds');
  return undefined;
}

/** Dotted keys whose values differ between two parameter sets (arrays compared whole). */
/**
 * The parameters fixed when the engine is built (not live ones) whose value in `preset` differs from the running
 * set's: a preset load with any is a structural change (a new engine), one without only queues Param events.
 */
export function fixedKeysDiffering(params: LiveParams, preset: unknown): string[] {
  const live = new Set(params.params.map((p) => p.name));
  return differingKeys(params.snapshot(), preset).filter((k) => !live.has(k));
}

function differingKeys(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differingKeys(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [prefix];
}

/** A parameter set without null values (the schemas read an absent key as its default: the same thing). */
function withoutNulls(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, x !== null && typeof x === 'object' && !Array.isArray(x) ? withoutNulls(x as Record<string, unknown>) : x]));
}
