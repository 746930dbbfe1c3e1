import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventKind } from '../engine/events.ts';
import { type MidiEngineEvent, MidiStream } from './midiStream.ts';

function decode(bytes: number[], stream = new MidiStream()): { events: MidiEngineEvent[]; stream: MidiStream } {
  const events: MidiEngineEvent[] = [];
  stream.decode(Uint8Array.from(bytes), (e) => events.push(e));
  return { events, stream };
}

describe('MIDI byte stream', () => {
  it('decodes running status across calls, and note on with velocity 0 as note off', () => {
    const s = new MidiStream();
    const a = decode([0x92, 60, 100, 62], s).events;
    const b = decode([0, 0xf8, 64, 90], s).events;
    expect([...a, ...b].map((e) => [e.kind, e.channel, e.note, e.value])).toEqual([
      [EventKind.NoteOn, 2, 60, 100], [EventKind.NoteOff, 2, 62, 0], [EventKind.NoteOn, 2, 64, 90],
    ]);
  });

  it('normalises pressure, 14-bit bend and CC74 timbre as events.ts states', () => {
    const { events } = decode([0xd1, 127, 0xe1, 0x00, 0x40, 0xe1, 0x7f, 0x7f, 0xb1, 74, 127, 0xb1, 7, 100]);
    expect(events.map((e) => [e.kind, e.value])).toEqual([
      [EventKind.Pressure, 1], [EventKind.PitchBend, 0], [EventKind.PitchBend, 8191 / 8192], [EventKind.Timbre, 1], [EventKind.ControlChange, 100],
    ]);
  });

  it('skips SysEx and counts data without status, a status cut short and a stray EOX', () => {
    const { events, stream } = decode([0x40, 0xf0, 1, 2, 3, 0xf7, 0x90, 60, 0x80, 60, 0, 0xf7]);
    expect(events.map((e) => e.kind)).toEqual([EventKind.NoteOff]);
    expect(stream.errors).toBe(3);
  });

  it('never throws and emits only valid events for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const { events } = decode([...bytes]);
      for (const e of events) {
        expect(e.channel).toBeGreaterThanOrEqual(0);
        expect(e.channel).toBeLessThan(16);
        expect(Number.isFinite(e.value)).toBe(true);
      }
    }), { seed: 20261121, numRuns: 300 });
  });
});
