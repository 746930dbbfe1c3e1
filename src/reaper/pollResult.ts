import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { resultPath } from './protocolFiles.ts';
import { parseResult, type ReaperResult, timeoutResult } from './reaperResult.ts';

export interface PollOptions {
  /** Time between reads of the result file, ms (default 50). */
  intervalMs?: number;
  /** How long to wait for the answer, seconds (the command's `timeout`). */
  timeoutSeconds: number;
  /** Called once per distinct reason a read was not the answer (half-written, another request's result). */
  onSkip?: (reason: string) => void;
}

/**
 * Waits for REAPER's answer to request `requestId`: reads the result file every `intervalMs` until it
 * holds a complete, valid result that echoes the request id, or `timeoutSeconds` pass — then returns a
 * result of status "timeout" naming the file waited for. REAPER owns the timing; this only waits.
 *
 * A missing or half-written file (not yet complete JSON) is read again; a complete result of another
 * request (a stale answer) is ignored; another protocol version throws ProtocolVersionError and an
 * invalid document ResultFormatError, at once (waiting longer would not mend either).
 */
export async function pollResult(resourceDir: string, requestId: string, options: PollOptions): Promise<ReaperResult> {
  const file = resultPath(resourceDir);
  const intervalMs = options.intervalMs ?? 50;
  const deadline = performance.now() + options.timeoutSeconds * 1000;
  const seen = new Set<string>();
  let lastSkip = 'the file never appeared';
  const skip = (reason: string) => {
    lastSkip = reason;
    if (!seen.has(reason)) options.onSkip?.(reason);
    seen.add(reason);
  };
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') skip(`cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    if (text !== undefined) {
      const read = parseResult(text, file);
      if (read.kind === 'result' && read.result.request_id === requestId) return read.result;
      if (read.kind === 'partial') skip(`half-written (${read.reason})`);
      else skip(`answers another request (${read.result.request_id})`);
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      return timeoutResult(requestId, `no answer in ${file} after ${options.timeoutSeconds} s (last read: ${lastSkip}); is the Studio Rig script running in REAPER?`);
    }
    await sleep(Math.min(intervalMs, left));
  }
}
