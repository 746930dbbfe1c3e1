import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CONFIG_FILE_NAME, type WorkspaceOptions, applyWorkspaceOptions } from '../presets/studioRigConfig.ts';
import { CliError } from './cliError.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The options every engine-aware command shares: the user's engine modules and the folders of their
 * presets and goldens (`--scenarios` too with `scenarios`). The config file in the working folder
 * (studio-rig.config.json) says the same; flags win.
 */
export function addWorkspaceOptions(command: Command, { engines = true, scenarios = false } = {}): Command {
  if (engines) command.option('--engine <module>', `register the engine a module exports (repeatable; also "engines" in ${CONFIG_FILE_NAME})`, collect);
  command
    .option('--presets-dir <dir>', 'presets folder, <dir>/<engine>/<name>.json (default: the bundled presets/)')
    .option('--golden-dir <dir>', 'goldens folder, <dir>/<engine>/<name>.wav + .json (default: the bundled golden/)');
  if (scenarios) command.option('--scenarios-dir <dir>', 'scenarios folder (default: the bundled scenarios/)');
  return command;
}

/** An engine's parameters from the JSON file a flag names (`{}`, its defaults, when none); a bad file is a usage error. */
export function readParamsFile(flag: string, file: string | undefined): unknown {
  if (file === undefined) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

/** Applies the config file and the workspace flags before a command runs; a bad one is a usage error. */
export async function useWorkspace(options: WorkspaceOptions): Promise<void> {
  try {
    await applyWorkspaceOptions(options);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
