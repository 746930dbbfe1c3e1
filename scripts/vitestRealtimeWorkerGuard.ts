import { readFileSync } from 'node:fs';
import { threadStat } from '../src/testing/threadStat.ts';
import { failFileThatChanges, processWideState } from './workerStateGuard.ts';

/**
 * Setup file of the realtime project, whose files share one worker thread (isolate: false in vitest.config.ts).
 * A file that leaves that thread at a real-time priority, pinned to a CPU or renamed (the addon's setRealtime does
 * all three; withTestClient and the rigs undo it) would run the next file's tests from a thread that preempts
 * JACK's, or shares one CPU with them: their timings would be wrong, not failed. This fails the file that left
 * it so, naming what changed, as scripts/vitestSharedWorkerGuard.ts does for the other shared projects (without
 * its imports of the engine registry, ~0.5 s for the first file, and without turning the engines' warm-ups off).
 */
function threadState(): Record<string, unknown> {
  const { policy, rtPriority } = threadStat();
  const cpus = /^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync('/proc/thread-self/status', 'utf8'))?.[1];
  return { policy, rtPriority, cpus, name: readFileSync('/proc/thread-self/comm', 'utf8').trim(), ...processWideState() };
}

failFileThatChanges(threadState, "the realtime project's shared worker thread", 'restore it, or give the file a worker of its own (REALTIME_OWN_WORKER in vitest.config.ts)');
