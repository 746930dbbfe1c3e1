import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParamError, parseParams } from '../engine/params.ts';
import { writeTextAtomic } from '../io/atomicText.ts';
import { engineEntry } from './engineRegistry.ts';
import { PRESET_FORMAT_VERSION, presetFileSchema } from './presetFile.ts';
import { PRESET_NAME } from './presetStore.ts';
import { PRESETS_DIR, workspace } from './workspace.ts';

export interface SavePresetOptions {
  /** Folder of `<engine>/<name>.json` (default: the workspace's presets folder). */
  presetsDir?: string;
  /** Overwrite a preset shipped with Studio Rig (one in the bundled presets/ folder). */
  force?: boolean;
  description?: string;
}

/**
 * Saves parameters as `presets/<engine>/<name>.json`: the name checked as a name (PRESET_NAME: no
 * separators, no leading '.', so never `..`), the file validated by the same schema loadPreset reads
 * it with, written atomically (temporary file + rename). A preset shipped with Studio Rig (a file in
 * the bundled presets/ folder) is never overwritten without `force`; one the user saved before is.
 * Errors are ParamErrors naming the preset and what is allowed. Returns the file written.
 */
export async function savePreset(engine: string, name: string, params: unknown, options: SavePresetOptions = {}): Promise<string> {
  const source = `preset "${engine}/${name.length > 60 ? `${name.slice(0, 60)}…` : name}"`;
  const entry = engineEntry(engine, source);
  if (!PRESET_NAME.test(name)) {
    throw new ParamError(source, ['not a preset name: expected letters, digits, "-", "_" or "." (not first), at most 100 characters — a name, not a path']);
  }
  const dir = resolve(options.presetsDir ?? workspace.presetsDir);
  const file = join(dir, engine, `${name}.json`);
  const shipped = join(resolve(PRESETS_DIR), engine, `${name}.json`);
  if (file === shipped && existsSync(file) && !options.force) {
    throw new ParamError(source, ['is a preset shipped with Studio Rig; choose another name, or force to overwrite it']);
  }
  const document = { formatVersion: PRESET_FORMAT_VERSION, engine, description: options.description ?? '', params };
  parseParams(presetFileSchema(entry.paramsSchema), document, source);
  await writeTextAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
