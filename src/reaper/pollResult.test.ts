import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollResult } from './pollResult.ts';
import { resultPath } from './protocolFiles.ts';
import { ProtocolVersionError } from './protocolVersionError.ts';
import { timeoutResult } from './reaperResult.ts';

/** Limits of the poller's timing (the machine is shared: generous upper bounds, exact lower ones). */
const LATE_WRITE_MS = 120;
const TIMEOUT_SECONDS = 0.25;
const SLACK_MS = 1500;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-reaper-poll-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (name: string): string => {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
};
const answer = (requestId: string) => JSON.stringify({ ...timeoutResult(requestId, 'done'), status: 'ok' });

describe('polling the result file', () => {
  it('reads a half-written result again until it is complete, then returns it', async () => {
    const d = fresh('partial');
    const text = answer('req-1');
    writeFileSync(resultPath(d), text.slice(0, text.length / 2)); // a writer that is not atomic, caught mid-write
    const skips: string[] = [];
    const t0 = performance.now();
    const later = sleep(LATE_WRITE_MS).then(() => writeFileSync(resultPath(d), text));
    const result = await pollResult(d, 'req-1', { timeoutSeconds: 10, intervalMs: 10, onSkip: (r) => skips.push(r) });
    await later;
    expect(result).toMatchObject({ request_id: 'req-1', status: 'ok', message: 'done' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LATE_WRITE_MS - 1);
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatch(/^half-written/);
  });

  it('ignores a stale result that answers another request, and returns the answer to its own', async () => {
    const d = fresh('stale');
    writeFileSync(resultPath(d), answer('req-old'));
    const skips: string[] = [];
    const later = sleep(LATE_WRITE_MS).then(() => writeFileSync(resultPath(d), answer('req-new')));
    const result = await pollResult(d, 'req-new', { timeoutSeconds: 10, intervalMs: 10, onSkip: (r) => skips.push(r) });
    await later;
    expect(result.request_id).toBe('req-new');
    expect(skips).toEqual(['answers another request (req-old)']);
  });

  it('returns a timeout result naming the file and the last thing it read when no answer comes', async () => {
    const d = fresh('silent');
    writeFileSync(resultPath(d), answer('req-old'));
    const t0 = performance.now();
    const result = await pollResult(d, 'req-2', { timeoutSeconds: TIMEOUT_SECONDS, intervalMs: 20 });
    const elapsedMs = performance.now() - t0;
    expect(result).toMatchObject({ status: 'timeout', request_id: 'req-2', integrated_lufs: null, fx_errors: [] });
    expect(result.message).toBe(`no answer in ${resultPath(d)} after ${TIMEOUT_SECONDS} s (last read: answers another request (req-old)); is the Studio Rig script running in REAPER?`);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 1);
    expect(elapsedMs).toBeLessThan(TIMEOUT_SECONDS * 1000 + SLACK_MS);
  });

  it('raises ProtocolVersionError at once for a result of another version, without waiting for the timeout', async () => {
    const d = fresh('version');
    writeFileSync(resultPath(d), JSON.stringify({ ...JSON.parse(answer('req-3')), version: 0 }));
    const t0 = performance.now();
    await expect(pollResult(d, 'req-3', { timeoutSeconds: 30 })).rejects.toThrow(ProtocolVersionError);
    expect(performance.now() - t0).toBeLessThan(SLACK_MS);
  });
});
