import { rmSync } from 'node:fs';
import { pollResult } from './pollResult.ts';
import { checkResourceFolder, commandPath, removeStaleFiles, writeCommand } from './protocolFiles.ts';
import { type CommandFile, type ReaperCommand, toWireCommand } from './reaperCommand.ts';
import type { ReaperResult } from './reaperResult.ts';

export interface RunOptions {
  /** REAPER's resource folder (where the script looks for the command). */
  resourceDir: string;
  /** Seconds to wait for the answer; default the command's `timeout`. */
  timeoutSeconds?: number;
  /** Time between reads of the result file, ms (default 50). */
  pollIntervalMs?: number;
  /** A fixed request id (tests); default a fresh UUID. */
  requestId?: string;
  /** Told once per distinct reason a read of the result file was not the answer. */
  onSkip?: (reason: string) => void;
}

export interface RunOutcome {
  /** The command as written, with its version and request id. */
  command: ReaperCommand;
  /** REAPER's answer, or the harness's own result of status "timeout". */
  result: ReaperResult;
}

/**
 * One round trip: check the resource folder, remove an earlier run's files, write the command
 * atomically, wait for the answer that echoes its request id. On timeout the command is removed too, so
 * a REAPER that runs the script later does not act on a command nobody waits for.
 */
export async function runReaperCommand(command: CommandFile, options: RunOptions): Promise<RunOutcome> {
  const { resourceDir } = options;
  checkResourceFolder(resourceDir);
  removeStaleFiles(resourceDir);
  const wire = toWireCommand(command, options.requestId);
  await writeCommand(resourceDir, wire);
  const result = await pollResult(resourceDir, wire.request_id, {
    timeoutSeconds: options.timeoutSeconds ?? wire.timeout,
    intervalMs: options.pollIntervalMs,
    onSkip: options.onSkip,
  });
  if (result.status === 'timeout') rmSync(commandPath(resourceDir), { force: true });
  return { command: wire, result };
}
