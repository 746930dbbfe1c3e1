import { readFileSync } from 'node:fs';

/** A thread's figures from its /proc stat file (proc(5)), as the tests read them. */
export interface ThreadStat {
  /** Minor page faults so far (field 10). */
  minorFaults: number;
  /** Real-time priority (field 40; 0 for a normal thread). */
  rtPriority: number;
  /** Scheduling policy (field 41: 0 normal, 1 FIFO, 2 RR). */
  policy: number;
}

/**
 * A stat line's figures. Fields are counted after the command's last ') ' (the command, field 2, may hold spaces and
 * parentheses), which ends field 2: field n is at index n − 3 of the rest.
 */
export function parseThreadStat(line: string): ThreadStat {
  const fields = line.slice(line.lastIndexOf(') ') + 2).split(' ');
  return { minorFaults: Number(fields[7]), rtPriority: Number(fields[37]), policy: Number(fields[38]) };
}

/** The stat of the calling thread (`/proc/thread-self/stat`) or of another (`/proc/self/task/<tid>/stat`). */
export function threadStat(path = '/proc/thread-self/stat'): ThreadStat {
  return parseThreadStat(readFileSync(path, 'utf8'));
}
