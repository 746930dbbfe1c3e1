import { join } from 'node:path';
import { writeTextAtomic } from '../io/atomicText.ts';
import { checkResourceFolder } from './protocolFiles.ts';
import { CommandError } from './reaperCommand.ts';
import { generateReaScript, SCRIPT_FILE, WATCH_SCRIPT_FILE } from './reaScript.ts';

export interface InstalledScripts {
  /** Answers the pending command once per run of its action. */
  oneShot: string;
  /** Keeps running (RPR_defer) and answers every command that appears. */
  watch: string;
}

/** Writes both generated scripts atomically to `<resource>/Scripts/`; returns their paths. */
export async function installReaScript(resourceDir: string): Promise<InstalledScripts> {
  checkResourceFolder(resourceDir);
  const installed = { oneShot: join(resourceDir, 'Scripts', SCRIPT_FILE), watch: join(resourceDir, 'Scripts', WATCH_SCRIPT_FILE) };
  for (const [file, watch] of [[installed.oneShot, false], [installed.watch, true]] as const) {
    try {
      await writeTextAtomic(file, generateReaScript({ watch }));
    } catch (e) {
      throw new CommandError(resourceDir, [`--resource-path: Scripts/${watch ? WATCH_SCRIPT_FILE : SCRIPT_FILE} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
  }
  return installed;
}

/** How to make an installed script an action, for the person at REAPER. */
export function registrationSteps(installed: InstalledScripts): string[] {
  return [
    'In REAPER (Python enabled: Preferences → Plug-ins → ReaScript): Actions → Show action list… → New action… → Load ReaScript…',
    `  ${installed.watch}`,
    '    keeps running and answers every `rig reaper run` (run the action once per session; again to stop), or',
    `  ${installed.oneShot}`,
    '    answers the pending command once: run it each time `rig reaper run` waits (action list, shortcut or toolbar).',
  ];
}
