import { join } from 'node:path';
import { writeTextAtomic } from '../io/atomicText.ts';
import { checkResourceFolder } from './protocolFiles.ts';
import { CommandError } from './reaperCommand.ts';
import { generateReaScript, SCRIPT_FILE } from './reaScript.ts';

/** Writes the generated script atomically to `<resource>/Scripts/studio_rig_reaper.py`; returns its path. */
export async function installReaScript(resourceDir: string): Promise<string> {
  checkResourceFolder(resourceDir);
  const file = join(resourceDir, 'Scripts', SCRIPT_FILE);
  try {
    await writeTextAtomic(file, generateReaScript());
  } catch (e) {
    throw new CommandError(resourceDir, [`--resource-path: Scripts/${SCRIPT_FILE} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return file;
}

/** How to make the installed script an action, for the person at REAPER. */
export function registrationSteps(scriptPath: string): string[] {
  return [
    'In REAPER: Actions → Show action list… → New action… → Load ReaScript…',
    `  choose ${scriptPath}`,
    'Then, each time `rig reaper run` waits for an answer, run the action "Script: studio_rig_reaper.py"',
    '  (from the action list, a shortcut or a toolbar button): it answers the pending command once.',
  ];
}
