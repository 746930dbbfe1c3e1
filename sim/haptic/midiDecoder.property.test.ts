import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventKind } from '../../src/engine/events.ts';
import { MidiDecoder, decodeMidi } from '../../src/protocols/midi/midiDecoder.ts';

const channelMessage = fc.tuple(
  fc.constantFrom(0x80, 0x90, 0xb0, 0xd0, 0xe0),
  fc.integer({ min: 0, max: 15 }),
  fc.integer({ min: 0, max: 127 }),
  fc.integer({ min: 0, max: 127 }),
).map(([s, ch, a, b]) => (s === 0xd0 ? [s | ch, a] : [s | ch, a, b]));

describe('MIDI decoder properties', () => {
  it('never throws on arbitrary bytes, and every byte it rejects is reported with an offset inside the input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 7 }), (bytes, chunks) => {
      const d = new MidiDecoder('fuzz');
      const size = Math.ceil(bytes.length / chunks) || 1;
      for (let i = 0; i < bytes.length; i += size) d.push(bytes.subarray(i, i + size));
      d.end();
      expect(d.errorCount).toBeGreaterThanOrEqual(d.errors.length);
      for (const e of d.errors) expect(e.offset).toBeLessThan(bytes.length);
    }), { numRuns: 300 });
  });

  it('decodes the same events with running status as with every status byte written out, real-time bytes anywhere', () => {
    fc.assert(fc.property(fc.array(channelMessage, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (messages, seed) => {
      const full = messages.flat();
      const running: number[] = [];
      let last = -1;
      for (const m of messages) {
        running.push(...(m[0] === last ? m.slice(1) : m));
        last = m[0];
      }
      let x = seed;
      const withClock = running.flatMap((b) => ((x = (x * 1103515245 + 12345) & 0x7fffffff) % 5 === 0 ? [0xf8, b] : [b]));
      const a = decodeMidi(full);
      const b = decodeMidi(withClock);
      expect(b.errorCount).toBe(0);
      expect(b.events).toEqual(a.events);
      expect(a.events).toHaveLength(messages.length);
      for (const e of a.events) if (e.kind === EventKind.PitchBend) expect(Math.abs(e.value)).toBeLessThanOrEqual(1);
    }), { numRuns: 200 });
  });
});
