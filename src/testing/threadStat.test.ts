import { describe, expect, it } from 'vitest';
import { parseThreadStat, threadStat } from './threadStat.ts';

describe('threadStat', () => {
  it('counts fields after the command, whatever it holds: minor faults (10), real-time priority (40), policy (41)', () => {
    // Field n holds the value n (a FIFO thread at priority 40 would show 40 and 1; the numbers here only place them).
    const rest = Array.from({ length: 50 }, (_, i) => String(i + 3));
    const line = `1234 (rig render) (x) ${rest.join(' ')}\n`;

    expect(parseThreadStat(line)).toEqual({ minorFaults: 10, rtPriority: 40, policy: 41 });
  });

  it('reads this thread: a normal one, with the page faults it has taken', () => {
    const stat = threadStat();

    expect(stat).toMatchObject({ policy: 0, rtPriority: 0 });
    expect(stat.minorFaults).toBeGreaterThan(0);
  });
});
