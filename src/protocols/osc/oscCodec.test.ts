import { describe, expect, it } from 'vitest';
import { MAX_OSC_STRING_BYTES, type OscBundle, type OscMessage, readOscPacket, writeOscPacket } from './oscCodec.ts';

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

/**
 * The framing is checked in bounded time before osc.js reads a packet (osc.js builds each string a character
 * at a time until its NUL: 7.8 ms to refuse 64 KiB of garbage). Each refusal names what was wrong; packets
 * this project and liblo send pass as before.
 */
describe('readOscPacket: framing checked first, in bounded time', () => {
  const garbage = (first: number) => {
    const d = new Uint8Array(65_000);
    let x = 12345;
    for (let i = 0; i < d.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      d[i] = 1 + ((x >>> 16) % 255); // never 0: no string ends
    }
    d[0] = first;
    return d;
  };

  it.each([
    ['64 KiB with no NUL after "/"', garbage(0x2f), /^OSC address not terminated within 512 bytes/],
    ['64 KiB starting with neither "/" nor "#"', garbage(0x41), /^not an OSC packet: a message starts with "\/"/],
    ['"#" but not "#bundle"', garbage(0x23), /^not an OSC packet: it starts with "#" but not "#bundle"/],
    ['an empty datagram', new Uint8Array(0), /^empty OSC packet$/],
  ])('refuses %s, saying why', (_name, data, why) => {
    expect(() => readOscPacket(data)).toThrow(why);
  });

  it('refuses a type-tag string that does not start with "," or does not end, and a bundle element larger than what is left', () => {
    const m = writeOscPacket({ address: '/haptic/panic', args: [{ type: 'i', value: 1 }] });
    const noComma = m.slice();
    noComma[16] = 0x41; // "/haptic/panic\0\0\0" is 16 bytes; the tags follow
    expect(() => readOscPacket(noComma)).toThrow(/^OSC type tags must start with ","$/);
    const longTags = new Uint8Array(16 + 2000);
    longTags.set(m.subarray(0, 16));
    longTags.fill(0x69, 16); // ",iiii…" with no NUL
    longTags[16] = 0x2c;
    expect(() => readOscPacket(longTags)).toThrow(/^OSC type-tag string not terminated within 512 bytes/);
    const b = writeOscPacket({ timeTag: { raw: [0, 1] }, packets: [{ address: '/a', args: [] }] });
    const lying = b.slice();
    lying[19] = 200; // the element's size, far beyond the datagram
    expect(() => readOscPacket(lying)).toThrow(/^OSC bundle element of 200 bytes where \d+ are left$/);
  });

  it('reads what it should: an address of the longest length, nested bundles', () => {
    const address = `/${'a'.repeat(MAX_OSC_STRING_BYTES - 2)}`; // with its NUL: exactly the limit
    expect((readOscPacket(writeOscPacket({ address, args: [{ type: 'f', value: 0.5 }] })) as OscMessage).address).toBe(address);
    expect(() => readOscPacket(writeOscPacket({ address: `${address}b`, args: [] }))).toThrow(/not terminated within 512 bytes/);
    const nested = writeOscPacket({ timeTag: { raw: [0, 1] }, packets: [{ timeTag: { raw: [0, 1] }, packets: [{ address: '/x', args: [{ type: 'i', value: 3 }] }] } as never, { address: '/y', args: [] }] });
    const read = readOscPacket(nested) as OscBundle;
    expect(read.packets).toHaveLength(2);
    expect(((read.packets[0] as OscBundle).packets[0] as OscMessage).args[0].value).toBe(3);
  });
});
