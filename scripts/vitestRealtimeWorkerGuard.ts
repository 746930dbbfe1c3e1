import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { threadStat } from '../src/testing/threadStat.ts';

/**
 * Setup file of the realtime project, whose files share one worker thread (isolate: false in vitest.config.ts).
 * A file that leaves that thread at a real-time priority, pinned to a CPU or renamed (the addon's setRealtime does
 * all three; withTestClient and the rigs undo it) would run the next file's tests from a thread that preempts
 * JACK's, or shares one CPU with them: their timings would be wrong, not failed. This fails the file that left
 * it so, naming what changed, as scripts/vitestSharedWorkerGuard.ts does for the other shared projects (without
 * its imports of the engine registry, ~0.5 s for the first file, and without turning the engines' warm-ups off).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function threadState(): Record<string, unknown> {
  const { policy, rtPriority } = threadStat();
  const cpus = /^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync('/proc/thread-self/status', 'utf8'))?.[1];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    policy, rtPriority, cpus, name: readFileSync('/proc/thread-self/comm', 'utf8').trim(),
    env, cwd: process.cwd(), exitCode: process.exitCode,
    signalListeners: Object.fromEntries(SIGNALS.map((s) => [s, process.listenerCount(s)])), exitListeners: process.listenerCount('exit'),
  };
}

let before: Record<string, unknown>;
beforeAll(() => {
  before = threadState();
});
afterAll(() => {
  const after = threadState();
  const changes = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => {
      if (k !== 'env') return `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`;
      const [a, b] = [before.env as Record<string, string>, after.env as Record<string, string>];
      return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((n) => a[n] !== b[n]).map((n) => `env.${n}: ${a[n]} → ${b[n]}`).join('; ');
    });
  if (changes.length > 0) {
    throw new Error(`this file left the realtime project's shared worker thread changed for the files after it (${changes.join('; ')}): restore it, or give the file a worker of its own (REALTIME_OWN_WORKER in vitest.config.ts)`);
  }
});
