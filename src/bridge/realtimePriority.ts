import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/** The bridge's main thread (the sockets, the watchdog): above its instances, so a hung instance never starves the watchdog. */
export const BRIDGE_MAIN_PRIORITY = 6;
/** Each instance's worker thread, once warmed up: below JACK's own threads (10), at the host worker's level. */
export const BRIDGE_INSTANCE_PRIORITY = 5;

export type RealtimeResult = { realtime: true; priority: number } | { realtime: false; reason: string };

/** The calling thread's id (Linux: /proc/thread-self → "<pid>/task/<tid>"), or undefined elsewhere. */
function threadId(): string | undefined {
  try {
    return readlinkSync('/proc/thread-self').split('/').pop();
  } catch {
    return undefined;
  }
}

function chrt(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('chrt', args, { timeout: 5000 }, (err, _stdout, stderr) => {
      resolve(err ? (stderr.trim().split('\n')[0] || err.message) : undefined);
    });
  });
}

/**
 * SCHED_RR at `priority` for the calling thread, through util-linux's `chrt --rr --reset-on-fork -p
 * <priority> <tid>` (so no native module is needed), or why not: not Linux, no `chrt`, or not permitted
 * (root, CAP_SYS_NICE or an rtprio limit, e.g. the audio group's, is needed). Never throws.
 * Reset on fork: a process this thread starts (a browser a benchmark launches, a tool it runs) begins at
 * normal scheduling. Without it, a Chromium started from the bridge's main thread ran every one of its
 * threads at SCHED_RR 6 — above the JACK client's (5) and the live host's render thread (4) — and the
 * Chromium round trip measured was that of a real-time browser, which no user has.
 *
 * Why the bridge wants it: a chunk's round trip wakes three threads (the client, the bridge's main
 * thread, the instance's worker). On this shared 2-core VM at load 8–14 each wake-up of a normal (CFS)
 * thread waited up to several milliseconds for a time slice, on every hop alike (measured per hop: p99
 * 2–15 ms each), so even one paced instance had replies later than 2 quanta; with the bridge's threads
 * and the client at real-time priority the same run at load 13–14 had p99 0.4–0.9 ms and 0–9 late
 * chunks of 3750. Round-robin rather than FIFO: instances at the same priority that have more work than
 * the cores share them in time slices (sched_rr_timeslice_ms, 100 ms) instead of one starving the
 * others until the watchdog takes them for hung.
 */
export async function requestRealtime(priority: number): Promise<RealtimeResult> {
  const tid = threadId();
  if (tid === undefined) return { realtime: false, reason: 'no /proc/thread-self (not Linux)' };
  const failed = await chrt(['--rr', '--reset-on-fork', '-p', String(priority), tid]);
  return failed === undefined ? { realtime: true, priority } : { realtime: false, reason: failed };
}

/** Back to normal scheduling (SCHED_OTHER) for the calling thread; never throws. */
export async function releaseRealtime(): Promise<void> {
  const tid = threadId();
  if (tid !== undefined) await chrt(['--other', '-p', '0', tid]);
}

/** One line for logs: "SCHED_RR 6" or "normal scheduling (why)". */
export function describeRealtime(r: RealtimeResult): string {
  return r.realtime ? `SCHED_RR ${r.priority}` : `normal scheduling (${r.reason})`;
}
