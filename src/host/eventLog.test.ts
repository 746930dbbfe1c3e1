import { describe, expect, it } from 'vitest';
import { EventLog, type EventLogEntry } from './eventLog.ts';

const entry = (type: string): Omit<EventLogEntry, 'id'> => ({
  source: 'api', peer: 'api', seq: 0, type, channel: 0, note: 0, value: 0, arrivalEpochMs: 0, arrivalFrame: 0,
  requestedFrame: null, appliedFrame: null, late: false, appliedHostTimeMs: null, clockOffsetMs: null, dropped: null,
});

describe('EventLog.onAdded (what runScenario waits on after each send)', () => {
  it('calls its listener once per entry as it is added, with the entry, until unsubscribed', () => {
    const log = new EventLog(2);
    const seen: [number, string][] = [];
    const off = log.onAdded((e) => seen.push([e.id, e.type]));
    log.add(entry('noteOn'));
    log.add(entry('noteOff'));
    log.add(entry('panic')); // past the ring's capacity: still told
    off();
    log.add(entry('param'));
    expect(seen).toEqual([[0, 'noteOn'], [1, 'noteOff'], [2, 'panic']]);
    expect(log.size).toBe(4);
  });
});
