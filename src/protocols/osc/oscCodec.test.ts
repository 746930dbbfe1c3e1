import { describe, expect, it } from 'vitest';
import { type OscMessage, readOscPacket, writeOscPacket } from './oscCodec.ts';

/** `bytes` copied into the middle of a larger buffer, as Node's pooled Buffers and dgram reads are. */
function pooled(bytes: Uint8Array, offset: number): Buffer {
  const pool = Buffer.alloc(offset + bytes.length + 100, 0x22);
  pool.set(bytes, offset);
  return pool.subarray(offset, offset + bytes.length);
}

describe('readOscPacket', () => {
  const midi = Uint8Array.of(0x90, 60, 100);
  const packet = writeOscPacket({ address: '/haptic/midi', args: [{ type: 'b', value: midi }, { type: 'm', value: Uint8Array.of(0, 0x90, 64, 1) }, { type: 'i', value: 7 }] });

  it.each([0, 1, 13, 4096])('reads blob and MIDI arguments from a Buffer that starts %i bytes into its pool', (offset) => {
    const view = pooled(packet, offset);
    if (offset > 0) expect(view.byteOffset).toBe(offset);
    const m = readOscPacket(view) as OscMessage;
    expect(Array.from(m.args[0].value as Uint8Array)).toEqual([0x90, 60, 100]);
    expect(Array.from(m.args[1].value as Uint8Array)).toEqual([0, 0x90, 64, 1]);
    expect(m.args[2].value).toBe(7);
  });

  it('reads a Buffer.from() copy, which Node takes from its shared pool', () => {
    const small = Buffer.from(packet);
    const m = readOscPacket(small) as OscMessage;
    expect(Array.from(m.args[0].value as Uint8Array)).toEqual([0x90, 60, 100]);
  });

  it('returns a blob that does not change when the caller reuses its buffer', () => {
    const view = pooled(packet, 32);
    const m = readOscPacket(view) as OscMessage;
    view.fill(0);
    expect(Array.from(m.args[0].value as Uint8Array)).toEqual([0x90, 60, 100]);
  });
});
