import { accessSync, constants, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomic } from '../io/atomicText.ts';
import { CommandError, type ReaperCommand } from './reaperCommand.ts';

/** The command file REAPER's script reads, in REAPER's resource folder. */
export const COMMAND_FILE = 'fl_control_command.json';
/** The result file the script writes (via `fl_control_result.json.tmp` and a rename). */
export const RESULT_FILE = 'fl_control_result.json';

/** Our files and their temporaries: the two protocol files plus anything `<file>.<suffix>` a writer left. */
const OWN_FILE = /^fl_control_(command|result)\.json(\..+)?$/;

export const commandPath = (resourceDir: string): string => join(resourceDir, COMMAND_FILE);
export const resultPath = (resourceDir: string): string => join(resourceDir, RESULT_FILE);

/**
 * Checks that the resource folder exists, is a folder and can be written; a CommandError naming the
 * folder (the `--resource-path` option) otherwise. Nothing is written.
 */
export function checkResourceFolder(resourceDir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(resourceDir).isDirectory();
  } catch (e) {
    throw new CommandError(resourceDir, [`--resource-path: cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  if (!isDir) throw new CommandError(resourceDir, ['--resource-path: is not a folder']);
  try {
    accessSync(resourceDir, constants.W_OK);
  } catch (e) {
    throw new CommandError(resourceDir, [`--resource-path: is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
}

/**
 * Removes the command and result of an earlier run and any temporaries a writer left, so that a result
 * found later can only answer the command written next. Returns the names removed.
 */
export function removeStaleFiles(resourceDir: string): string[] {
  const stale = readdirSync(resourceDir).filter((f) => OWN_FILE.test(f));
  for (const f of stale) {
    try {
      rmSync(join(resourceDir, f), { force: true });
    } catch (e) {
      throw new CommandError(resourceDir, [`--resource-path: the earlier run's ${f} cannot be removed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
  }
  return stale;
}

/** Writes the command atomically (temporary file beside it, fsync, rename): REAPER never reads half of one. */
export async function writeCommand(resourceDir: string, command: ReaperCommand): Promise<string> {
  const file = commandPath(resourceDir);
  try {
    await writeTextAtomic(file, `${JSON.stringify(command, null, 2)}\n`);
  } catch (e) {
    try {
      removeStaleFiles(resourceDir); // a temporary the failed write may have left
    } catch {
      // the folder cannot even be listed: the error below says why
    }
    throw new CommandError(resourceDir, [`--resource-path: ${COMMAND_FILE} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return file;
}
