import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMsToTimeTag, timeTagToEpochMs, writeOscPacket } from './oscCodec.ts';
import { decodeOscDatagram } from './oscCommands.ts';

const SEED = 20261121;
const msg = (address: string, ...args: [string, unknown][]) =>
  writeOscPacket({ address, args: args.map(([type, value]) => ({ type, value })) });

describe('OSC commands', () => {
  it('decodes note_on with and without a frame timestamp', () => {
    expect(decodeOscDatagram(msg('/haptic/note_on', ['i', 2], ['i', 60], ['f', 100])).commands)
      .toEqual([{ type: 'noteOn', channel: 2, note: 60, velocity: 100 }]);
    expect(decodeOscDatagram(msg('/haptic/note_on', ['i', 2], ['i', 60], ['i', 100], ['d', 48000])).commands[0].timestamp)
      .toEqual({ kind: 'frame', frame: 48000 });
  });

  it('reads a bundle time tag as wall-clock time to 1 µs', () => {
    const epochMs = 1_795_000_000_123.456;
    const bundle = writeOscPacket({ timeTag: { raw: epochMsToTimeTag(epochMs) }, packets: [{ address: '/haptic/panic', args: [] }] });
    const [cmd] = decodeOscDatagram(bundle).commands;
    expect(cmd.timestamp?.kind).toBe('epochMs');
    expect(Math.abs((cmd.timestamp as { epochMs: number }).epochMs - epochMs)).toBeLessThan(1e-3);
    expect(timeTagToEpochMs(epochMsToTimeTag(0))).toBe(0);
  });

  it('decodes mpe, param by name, midi blobs and status', () => {
    const r = decodeOscDatagram(writeOscPacket({ timeTag: { raw: [0, 1] }, packets: [
      { address: '/haptic/mpe', args: [{ type: 'i', value: 1 }, { type: 'f', value: 0.5 }, { type: 'f', value: -0.25 }, { type: 'f', value: 0.75 }] },
      { address: '/haptic/param/waveSpeed', args: [{ type: 'f', value: 120 }] },
      { address: '/haptic/midi', args: [{ type: 'b', value: Uint8Array.of(0x90, 60, 100) }] },
      { address: '/haptic/status', args: [] },
    ] }));
    expect(r.errors).toEqual([]);
    expect(r.commands.map((c) => c.type)).toEqual(['mpe', 'param', 'midi', 'status']);
    expect(r.commands[1]).toEqual({ type: 'param', name: 'waveSpeed', value: 120 });
    expect(r.commands[0].timestamp).toBeUndefined();
  });

  it('reports unknown addresses, wrong argument counts, types and ranges with the address', () => {
    const cases: [Uint8Array, string, RegExp][] = [
      [msg('/haptic/explode'), 'unknownAddress', /unknown OSC address "\/haptic\/explode"/],
      [msg('/synth/note_on', ['i', 1]), 'unknownAddress', /expected \/haptic/],
      [msg('/haptic/note_on', ['i', 1], ['i', 60]), 'badArguments', /expects \(channel, note, velocity, \[frame\]\), got 2/],
      [msg('/haptic/note_on', ['i', 1], ['s', 'C4'], ['i', 100]), 'badArguments', /argument 2 \(note\) must be a number, got type 's'/],
      [msg('/haptic/note_on', ['i', 16], ['i', 60], ['i', 100]), 'badArguments', /channel must be an integer 0…15, got 16/],
      [msg('/haptic/mpe', ['i', 0], ['f', 2], ['f', 0], ['f', 0]), 'badArguments', /pressure must be a number 0…1, got 2/],
    ];
    for (const [bytes, kind, text] of cases) {
      const r = decodeOscDatagram(bytes);
      expect(r.commands).toEqual([]);
      expect(r.errors[0].kind).toBe(kind);
      expect(r.errors[0].message).toMatch(text);
    }
  });

  it('never throws on random or truncated datagrams: every datagram yields commands or errors', () => {
    const good = msg('/haptic/note_on', ['i', 1], ['i', 60], ['i', 100]);
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: good.length - 1 }).map((n) => good.slice(0, n))), (bytes) => {
      const r = decodeOscDatagram(bytes);
      expect(r.commands.length + r.errors.length).toBeGreaterThan(0);
    }), { seed: SEED, numRuns: 1000 });
  });
});
