import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { vi } from 'vitest';
import { CliError } from './cliError.ts';

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
 * Runs one command in this process the way main.ts does (stdout captured, CliError → its message and
 * exit code): the cheap path for the many cases that do not need a real process.
 */
export async function runInProcess(register: (program: Command) => void, args: readonly string[]): Promise<CliRun> {
  const program = new Command('rig').exitOverride();
  register(program);
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'rig', ...args]);
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, stdout, stderr: `rig: ${e.message}\n` };
    throw e;
  } finally {
    spy.mockRestore();
  }
}
