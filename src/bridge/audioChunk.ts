import { CHUNK_FRAMES, MAX_CHANNELS } from './protocol.ts';

/**
 * One audio chunk as a binary WebSocket frame (protocol v1), little-endian:
 *
 * | offset | type | field |
 * | --- | --- | --- |
 * | 0 | u32 | instance id |
 * | 4 | u32 | sequence number (per instance, from the client; the reply carries the same) |
 * | 8 | u16 | frame count, 1…128 |
 * | 10 | u16 | channel count, 0…32 |
 * | 12 | u32 | reserved, 0 |
 * | 16 | f32 × channels × frames | planar samples: channel 0's frames, then channel 1's, … |
 *
 * 16 bytes keep the samples 4-byte aligned. A frame whose length is not exactly header + samples is
 * malformed.
 */
export const CHUNK_HEADER_BYTES = 16;

export interface ChunkHeader {
  instance: number;
  sequence: number;
  frames: number;
  channels: number;
}

export interface AudioChunk extends ChunkHeader {
  /** channels × frames float32, planar, in a buffer of its own (transferable to a worker). */
  samples: Float32Array;
}

/** The encoded size of a chunk, bytes. */
export function chunkBytes(frames: number, channels: number): number {
  return CHUNK_HEADER_BYTES + 4 * frames * channels;
}

/** Encodes a chunk; `planar` holds channels × frames samples (channel-major). */
export function encodeChunk(header: ChunkHeader, planar: Float32Array): Uint8Array {
  const { instance, sequence, frames, channels } = header;
  if (planar.length < frames * channels) throw new RangeError(`encodeChunk: ${planar.length} samples, expected ${frames * channels}`);
  const bytes = new Uint8Array(chunkBytes(frames, channels));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, instance >>> 0, true);
  view.setUint32(4, sequence >>> 0, true);
  view.setUint16(8, frames, true);
  view.setUint16(10, channels, true);
  view.setUint32(12, 0, true);
  new Float32Array(bytes.buffer, CHUNK_HEADER_BYTES, frames * channels).set(planar.subarray(0, frames * channels));
  return bytes;
}

/** Encodes a chunk from one array per channel (each at least `frames` long). */
export function encodeChannels(instance: number, sequence: number, channels: readonly Float32Array[], frames: number): Uint8Array {
  const planar = new Float32Array(frames * channels.length);
  channels.forEach((c, i) => planar.set(c.subarray(0, frames), i * frames));
  return encodeChunk({ instance, sequence, frames, channels: channels.length }, planar);
}

/**
 * Decodes a binary frame, or says in words why it is not a chunk (never throws). The samples are
 * copied into a buffer of their own: the frame's bytes may sit unaligned inside a pooled buffer.
 */
export function decodeChunk(data: Uint8Array): AudioChunk | string {
  if (data.byteLength < CHUNK_HEADER_BYTES) return `a chunk has a ${CHUNK_HEADER_BYTES}-byte header; got ${data.byteLength} bytes`;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const instance = view.getUint32(0, true);
  const sequence = view.getUint32(4, true);
  const frames = view.getUint16(8, true);
  const channels = view.getUint16(10, true);
  const reserved = view.getUint32(12, true);
  if (reserved !== 0) return `reserved header bytes 12…15 must be 0 in protocol v1; got ${reserved}`;
  if (frames < 1 || frames > CHUNK_FRAMES) return `frame count ${frames}, expected 1…${CHUNK_FRAMES}`;
  if (channels > MAX_CHANNELS) return `channel count ${channels}, expected 0…${MAX_CHANNELS}`;
  const expected = chunkBytes(frames, channels);
  if (data.byteLength !== expected) return `${frames} frames × ${channels} channels is ${expected} bytes; got ${data.byteLength}`;
  const samples = new Float32Array(frames * channels);
  new Uint8Array(samples.buffer).set(data.subarray(CHUNK_HEADER_BYTES));
  return { instance, sequence, frames, channels, samples };
}

/** Channel `c` of a decoded chunk's planar samples (a view, no copy). */
export function chunkChannel(chunk: { samples: Float32Array; frames: number }, c: number): Float32Array {
  return chunk.samples.subarray(c * chunk.frames, (c + 1) * chunk.frames);
}
