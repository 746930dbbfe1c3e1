import { describe, expect, it } from 'vitest';
import { EventKind } from '../engine/events.ts';
import { performanceEvents, performanceSchema } from './performance.ts';

describe('performanceEvents', () => {
  it('places each event at round(atMs·fs/1000) with its kind, channel and normalised value', () => {
    const perf = performanceSchema.parse({
      seconds: 1,
      events: [
        { kind: 'noteOn', atMs: 10.01, channel: 2, note: 40 },
        { kind: 'pitchBend', atMs: 20, channel: 2, value: -0.5 },
        { kind: 'noteOff', atMs: 500, channel: 2, note: 40 },
        { kind: 'panic', atMs: 900 },
      ],
    });
    const events = performanceEvents(perf, 48000);
    expect(events.map((e) => [e.kind, e.atFrame, e.channel, e.note, e.value])).toEqual([
      [EventKind.NoteOn, 480, 2, 40, 100],
      [EventKind.PitchBend, 960, 2, 0, -0.5],
      [EventKind.NoteOff, 24000, 2, 40, 0],
      [EventKind.Panic, 43200, 0, 0, 0],
    ]);
  });

  it('rejects an out-of-range MPE value naming the event', () => {
    const r = performanceSchema.safeParse({ seconds: 1, events: [{ kind: 'pressure', atMs: 0, value: 1.5 }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['events', 0, 'value']);
  });
});
