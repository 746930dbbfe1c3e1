import { describe, expect, it } from 'vitest';
import { EventKind } from '../../engine/events.ts';
import { MidiDecoder, decodeMidi } from './midiDecoder.ts';

const kinds = (bytes: number[]) => decodeMidi(bytes).events.map((e) => [e.kind, e.channel, e.note, e.value]);

describe('MidiDecoder', () => {
  it('applies running status to data bytes that follow a complete message', () => {
    expect(kinds([0x91, 60, 100, 62, 90, 64, 0])).toEqual([
      [EventKind.NoteOn, 1, 60, 100], [EventKind.NoteOn, 1, 62, 90], [EventKind.NoteOff, 1, 64, 0],
    ]);
  });

  it('ignores real-time bytes inside a message and keeps running status across them', () => {
    expect(kinds([0x90, 0xf8, 60, 0xfe, 100, 0xfa, 61, 0xff, 101])).toEqual([[EventKind.NoteOn, 0, 60, 100], [EventKind.NoteOn, 0, 61, 101]]);
  });

  it('skips system exclusive and cancels running status after it', () => {
    const r = decodeMidi([0x90, 60, 100, 0xf0, 0x7e, 1, 2, 0xf7, 61, 0x80, 60, 0]);
    expect(r.events.map((e) => e.kind)).toEqual([EventKind.NoteOn, EventKind.NoteOff]);
    expect(r.errorCount).toBe(1);
    expect(r.errors[0].offset).toBe(8);
  });

  it('maps pitch bend to −1 at 0, 0 at the centre and 8191/8192 at the top', () => {
    const v = decodeMidi([0xe3, 0, 0, 0, 0x40, 0x7f, 0x7f]).events.map((e) => e.value);
    expect(v).toEqual([-1, 0, 8191 / 8192]);
  });

  it('maps channel pressure and CC74 to 0…1, CC120 and CC123 to panic, other CCs through', () => {
    expect(kinds([0xd2, 127, 0xb2, 74, 0, 0xb2, 123, 0, 0xb0, 120, 0, 0xb0, 7, 99])).toEqual([
      [EventKind.Pressure, 2, 0, 1], [EventKind.Timbre, 2, 0, 0], [EventKind.Panic, 2, 0, 0], [EventKind.Panic, 0, 0, 0],
      [EventKind.ControlChange, 0, 7, 99],
    ]);
  });

  it('counts a data byte with no status and names its offset, then decodes what follows', () => {
    const r = decodeMidi([60, 100, 0x90, 60, 100]);
    expect(r.errorCount).toBe(2);
    expect(r.errors.map((e) => e.offset)).toEqual([0, 1]);
    expect(r.errors[0].reason).toContain('byte 0 (0x3C)');
    expect(r.events).toHaveLength(1);
  });

  it('counts a message cut short by a new status at the offset of its status byte', () => {
    const r = decodeMidi([0x90, 60, 0x80, 61, 0]);
    expect(r.errorCount).toBe(1);
    expect(r.errors[0].offset).toBe(0);
    expect(r.events.map((e) => [e.kind, e.note])).toEqual([[EventKind.NoteOff, 61]]);
  });

  it('continues a message split across two pushes, and end() reports one left incomplete', () => {
    const d = new MidiDecoder('test port');
    const out = d.push([0x90, 60], 10);
    d.push([100, 0xe0, 0], 20, out);
    d.end();
    expect(out.map((e) => [e.kind, e.atFrame])).toEqual([[EventKind.NoteOn, 20]]);
    expect(d.errorCount).toBe(1);
    expect(d.errors[0].reason).toContain('test port');
  });

  it('rejects undefined system-common statuses and stray end-of-exclusive bytes', () => {
    expect(decodeMidi([0xf4, 0xf5, 0xf7]).errorCount).toBe(3);
  });
});
