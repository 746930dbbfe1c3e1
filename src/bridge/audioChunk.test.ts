import { describe, expect, it } from 'vitest';
import { CHUNK_HEADER_BYTES, chunkBytes, chunkChannel, decodeChunk, encodeChannels, encodeChunk } from './audioChunk.ts';

describe('audio chunk frames', () => {
  it('round-trips instance, sequence, sizes and every sample bit, planar, from an unaligned offset', () => {
    const left = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i) * 1e-30);
    const right = Float32Array.from({ length: 128 }, (_, i) => (i === 3 ? Number.NaN : -i));
    const bytes = encodeChannels(0xfffffffe, 0x80000001, [left, right], 128);
    expect(bytes.byteLength).toBe(CHUNK_HEADER_BYTES + 2 * 128 * 4);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const c = decodeChunk(shifted.subarray(1));
    if (typeof c === 'string') throw new Error(c);
    expect([c.instance, c.sequence, c.frames, c.channels]).toEqual([0xfffffffe, 0x80000001, 128, 2]);
    expect(new Uint8Array(chunkChannel(c, 0).slice().buffer)).toEqual(new Uint8Array(left.buffer));
    expect(new Uint8Array(chunkChannel(c, 1).slice().buffer)).toEqual(new Uint8Array(right.buffer));
  });

  it.each([
    ['shorter than a header', new Uint8Array(15), /16-byte header/],
    ['0 frames', encodeChunk({ instance: 1, sequence: 0, frames: 0, channels: 1 }, new Float32Array(0)), /frame count 0/],
    ['129 frames', encodeChunk({ instance: 1, sequence: 0, frames: 129, channels: 1 }, new Float32Array(129)), /frame count 129/],
    ['33 channels', encodeChunk({ instance: 1, sequence: 0, frames: 1, channels: 33 }, new Float32Array(33)), /channel count 33/],
    ['a length that disagrees', encodeChannels(1, 0, [new Float32Array(128)], 128).subarray(0, chunkBytes(128, 1) - 4), /is 528 bytes; got 524/],
  ])('refuses a frame %s, saying why', (_what, bytes, why) => {
    expect(decodeChunk(bytes)).toMatch(why);
  });

  it('refuses non-zero reserved bytes', () => {
    const bytes = encodeChannels(1, 0, [new Float32Array(4)], 4);
    bytes[13] = 1;
    expect(decodeChunk(bytes)).toMatch(/reserved/);
  });
});
