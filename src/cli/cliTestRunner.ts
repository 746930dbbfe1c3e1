import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { commanderExitCode, configurationFailure } from './exitCodes.ts';

/** What a CLI run gave: exit code and both streams. For the CLI's own tests. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const RIG = join(import.meta.dirname, '../../bin/rig.js');

/** Runs `node bin/rig.js …args` as a user would, end to end (start-up, exit code, stderr). */
export function spawnRig(args: readonly string[], { env = {}, timeoutMs = 60_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RIG, ...args], { timeout: timeoutMs, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs one command in this process the way main.ts does (stdout captured, a configuration error → its
 * one-line message and exit code): the cheap path for the many cases that do not need a real process.
 */
export async function runInProcess(register: (program: Command) => void, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const program = new Command('rig').exitOverride().configureOutput({ writeErr: (s) => void (stderr += s) });
  register(program);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'rig', ...args]);
    // A command that ran to the end sets process.exitCode for a failed budget; the test worker must not keep it.
    const code = Number(process.exitCode ?? 0);
    return { code, stdout, stderr };
  } catch (e) {
    if (e instanceof CommanderError) return { code: commanderExitCode(e.exitCode), stdout, stderr };
    const failure = configurationFailure(e);
    if (failure) return { code: failure.code, stdout, stderr: `${stderr}rig: ${failure.message}\n` };
    throw e;
  } finally {
    process.exitCode = undefined;
    spy.mockRestore();
    errSpy.mockRestore();
  }
}
