import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ParamError } from '../engine/params.ts';
import { defaultUserPresetsDir, LivePresets } from '../host/livePresets.ts';
import { LiveParams } from '../host/liveParams.ts';
import { closeMatches } from '../presets/closeMatches.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { listPresetRefs, loadPreset, PRESET_NAME, type Preset } from '../presets/presetStore.ts';
import { workspace } from '../presets/workspace.ts';

export interface TunerPresetFolders {
  /** The shipped presets (default: the workspace's presets folder). */
  shippedDir?: string;
  /** Where presets are saved and looked for first (default: rig serve's, $XDG_CONFIG_HOME/studio-rig/presets). */
  userDir?: string;
}

/**
 * The presets an offline tuner reads and writes, with the rules `rig serve` keeps for a live one
 * (src/host/livePresets.ts, whose save it uses): a name is looked for in the user folder first, then
 * in the shipped one; saving writes the user folder, validated and atomically, and a shipped name
 * only with `force` (the user's copy then shadows it). So a preset saved offline is one the server
 * loads, and the other way round.
 */
export class TunerPresets {
  readonly shippedDir: string;
  readonly userDir: string;

  constructor(readonly engine: string, folders: TunerPresetFolders = {}) {
    this.shippedDir = folders.shippedDir ?? workspace.presetsDir;
    this.userDir = folders.userDir ?? defaultUserPresetsDir();
  }

  /** Every preset name of the engine, user and shipped, sorted. */
  names(): string[] {
    return [...new Set([...listPresetRefs(this.engine, this.userDir), ...listPresetRefs(this.engine, this.shippedDir)].map((r) => r.name))].sort();
  }

  /** Loads `name` (user folder first); an unknown name is a ParamError with the close matches. */
  load(name: string): Preset {
    const dir = existsSync(join(this.userDir, this.engine, `${name}.json`)) ? this.userDir : this.shippedDir;
    if (existsSync(join(dir, this.engine, `${name}.json`)) || !PRESET_NAME.test(name)) return loadPreset(this.engine, name, dir);
    const near = closeMatches(name, this.names());
    throw new ParamError(`preset "${this.engine}/${name}"`, [`no such preset; ${near.length ? `did you mean ${near.join(', ')}?` : `${this.engine} presets: ${this.names().join(', ') || 'none'}`}`]);
  }

  /** Saves `params` as `name` in the user folder; returns the file, or throws a ParamError saying what is wrong. */
  async save(name: string, params: unknown, force: boolean): Promise<string> {
    const entry = engineEntry(this.engine);
    const store = new LivePresets({ entry, shippedDir: this.shippedDir, userDir: this.userDir, params: new LiveParams(this.engine, [], undefined, {}) });
    const r = await store.save(name, params as Record<string, unknown>, force);
    if (typeof r === 'string') throw new ParamError(`preset "${this.engine}/${name.length > 60 ? `${name.slice(0, 60)}…` : name}"`, [r.replace(/^preset\/save: /, '')]);
    return r.file;
  }
}
