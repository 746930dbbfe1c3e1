import { execFileSync, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { releaseRealtime, requestRealtime } from './realtimePriority.ts';

/**
 * What a process started from a raised thread gets: normal scheduling. `chrt -p <pid>` of a child
 * started while this thread runs at SCHED_RR says "SCHED_OTHER" (it said "SCHED_RR" before the thread
 * was raised with --reset-on-fork: every thread of a Chromium started by the Chromium round-trip
 * benchmark ran at SCHED_RR 6).
 */
describe.skipIf(process.platform !== 'linux')('requestRealtime', () => {
  it('raises the calling thread, and what it starts begins at normal scheduling', async () => {
    // This thread's id (a test may run in a worker thread: not process.pid).
    const tid = readlinkSync('/proc/thread-self').split('/').pop() as string;
    const r = await requestRealtime(1);
    if (!r.realtime) {
      expect(r.reason).not.toBe('');
      return;
    }
    try {
      const self = execFileSync('chrt', ['-p', tid], { encoding: 'utf8' });
      expect(self).toMatch(/SCHED_RR\|SCHED_RESET_ON_FORK/);
      // A child started from this thread: its own policy, as chrt reads it.
      const child = spawnSync('sh', ['-c', 'chrt -p $$'], { encoding: 'utf8' });
      expect(child.stdout).toMatch(/policy: SCHED_OTHER/);
    } finally {
      await releaseRealtime();
    }
    expect(execFileSync('chrt', ['-p', tid], { encoding: 'utf8' })).toMatch(/policy: SCHED_OTHER/);
  });
});
