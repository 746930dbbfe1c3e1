import { describe, expect, it } from 'vitest';
import { EventKind } from '../../engine/events.ts';
import { decodeMidi } from './midiDecoder.ts';
import { bendSemitones, isMemberChannel, mpeConfigurationBytes, mpeZone } from './mpe.ts';

describe('MPE zones', () => {
  it('puts a lower zone manager on channel 1 with members upwards and an upper zone on 16 downwards', () => {
    expect(mpeZone('lower', 3).memberChannels).toEqual([1, 2, 3]);
    expect(mpeZone('upper', 2).memberChannels).toEqual([14, 13]);
    expect(isMemberChannel(mpeZone('lower', 15), 0)).toBe(false);
  });

  it('bends members ±48 semitones and the manager ±2 by default', () => {
    const z = mpeZone('lower', 15);
    expect(bendSemitones(z, 1, -1)).toBe(-48);
    expect(bendSemitones(z, 0, 0.5)).toBe(1);
  });

  it('rejects a zone of 0 or 16 members', () => {
    expect(() => mpeZone('lower', 0)).toThrow(/1…15/);
    expect(() => mpeZone('upper', 16)).toThrow(/1…15/);
  });

  it('encodes the configuration message as RPN 6 on the manager channel', () => {
    const events = decodeMidi(mpeConfigurationBytes(mpeZone('upper', 7))).events;
    expect(events.map((e) => [e.kind, e.channel, e.note, e.value])).toEqual([
      [EventKind.ControlChange, 15, 101, 0], [EventKind.ControlChange, 15, 100, 6], [EventKind.ControlChange, 15, 6, 7],
    ]);
  });
});
