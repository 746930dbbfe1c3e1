import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { pcmToFloatScale } from './pcmToFloat.ts';

export interface Audio {
  sampleRate: number;
  /** One Float32Array per channel, full scale ±1 (readWav's on SharedArrayBuffers). */
  channels: Float32Array[];
  /**
   * The speaker positions a WAVE_FORMAT_EXTENSIBLE file declares (dwChannelMask: bit 0 front left, 1 front
   * right, 2 centre, 3 LFE, 4 back left, 5 back right, 9 side left, 10 side right, …; the channels in bit
   * order). readWav sets it only when the file declares a position; loudness weights its channels by it.
   */
  channelMask?: number;
}

export class WavError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'WavError';
  }
}

interface Format {
  /** 1 = integer PCM, 3 = IEEE float (EXTENSIBLE resolved to its sub-format's first word). */
  format: number;
  channels: number;
  sampleRate: number;
  bits: number;
  /** dwChannelMask of an EXTENSIBLE format (0: none declared, or not EXTENSIBLE). */
  channelMask: number;
}

/** Bytes read per block (default): the data are streamed through one buffer of this size into the channels. */
const BLOCK_BYTES = 1 << 20;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * Reads a WAV file into float channels (±1 full scale), streaming the data chunk in 1 MiB blocks straight
 * into one Float32Array per channel: the only whole-file allocation is the channels themselves (the
 * file's size for float32 data), so a 10-minute stereo or a 32-channel capture never sits in memory twice.
 *
 * Decoded here: 32-bit float (format 3, or EXTENSIBLE with the float sub-format) bit-exactly, and integer
 * PCM of 8, 16, 24 and 32 bits by `pcmToFloatScale` — exactly what wavefile's toBitDepth('32f') gives,
 * which readWav.test.ts checks sample for sample. Anything else (64-bit float, other bit depths,
 * compressed formats) goes through wavefile, reading the whole file.
 */
export interface ReadWavOptions {
  blockBytes?: number;
  /**
   * Called once the channels are allocated, before their data are read: `framesRead[0]` (on a
   * SharedArrayBuffer; Atomics.store and Atomics.notify after every block) says how many frames hold
   * data so far, so another thread can work on the channels while this one reads on.
   */
  onStart?: (audio: Audio, framesRead: Int32Array) => void;
}

export function readWav(path: string, options: ReadWavOptions = {}): Audio {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new WavError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return readOpenWav(path, fd, options.blockBytes ?? BLOCK_BYTES, options.onStart);
  } finally {
    closeSync(fd);
  }
}

function readOpenWav(path: string, fd: number, blockBytes: number, onStart: ReadWavOptions['onStart']): Audio {
  const size = fstatSync(fd).size;
  if (size === 0) throw new WavError(path, 'is empty');
  const head = readAt(fd, 0, 12);
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavError(path, 'is not a readable WAV file (no RIFF/WAVE header)');
  }
  const { fmt, data } = scanChunks(fd, size);
  if (!fmt || !data) throw new WavError(path, `is not a readable WAV file (missing ${fmt ? 'data' : 'fmt '} chunk)`);
  if (fmt.channels < 1 || fmt.sampleRate < 1) throw new WavError(path, `has an invalid format (${fmt.channels} channels at ${fmt.sampleRate} Hz)`);
  const decode = sampleDecoder(fmt);
  const framesRead = new Int32Array(new SharedArrayBuffer(4));
  const started = (channels: Float32Array[]): void => {
    if (channels[0].length > 0) onStart?.({ sampleRate: fmt.sampleRate, channels }, framesRead);
  };
  const channels = decode ? streamData(fd, fmt, data, decode, blockBytes, started, framesRead) : readWithWavefile(path, fd, size, fmt.channels);
  if (channels[0].length === 0) throw new WavError(path, 'holds no audio frames');
  if (!decode) {
    started(channels);
    publishFramesRead(framesRead, channels[0].length);
  }
  return { sampleRate: fmt.sampleRate, channels, ...(fmt.channelMask ? { channelMask: fmt.channelMask } : {}) };
}

/** One Float32Array per channel on a SharedArrayBuffer: a worker thread can analyse it in place, without a copy. */
function sharedChannels(count: number, frames: number): Float32Array[] {
  return Array.from({ length: count }, () => new Float32Array(new SharedArrayBuffer(4 * frames)));
}

function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const got = readSync(fd, b, 0, length, position);
  return b.subarray(0, got);
}

/** Walks the RIFF chunks by their headers (the data are skipped, not read); the last fmt and data chunks win. */
function scanChunks(fd: number, size: number): { fmt?: Format; data?: { offset: number; bytes: number } } {
  let fmt: Format | undefined;
  let data: { offset: number; bytes: number } | undefined;
  for (let o = 12; o + 8 <= size; ) {
    const header = readAt(fd, o, 8);
    const id = header.toString('ascii', 0, 4);
    const chunkBytes = header.readUInt32LE(4);
    if (id === 'fmt ' && o + 24 <= size) {
      const body = readAt(fd, o + 8, 26);
      let format = body.readUInt16LE(0);
      const extensible = format === 0xfffe && chunkBytes >= 40 && body.length >= 26;
      if (extensible) format = body.readUInt16LE(24); // sub-format GUID's first word
      fmt = { format, channels: body.readUInt16LE(2), sampleRate: body.readUInt32LE(4), bits: body.readUInt16LE(14), channelMask: extensible ? body.readUInt32LE(20) : 0 };
    } else if (id === 'data') {
      data = { offset: o + 8, bytes: Math.min(chunkBytes, size - o - 8) };
    }
    o += 8 + chunkBytes + (chunkBytes & 1);
  }
  return { fmt, data };
}

/**
 * Deinterleaves `count` samples of `block` (interleaved, starting at sample 0) into the channels at
 * `frame`. One decoder per sample encoding; each reads its samples through a typed view or bytes.
 */
type Decoder = (block: Buffer, count: number, channels: Float32Array[], frame: number) => void;

function sampleDecoder(fmt: Format): Decoder | null {
  if (fmt.format === 3 && fmt.bits === 32) return LITTLE_ENDIAN_HOST ? deinterleaveFloat32 : (b, n, ch, f) => deinterleave(n, ch, f, (i) => b.readFloatLE(4 * i));
  if (fmt.format !== 1) return null;
  const toFloat = pcmToFloatScale(fmt.bits);
  if (fmt.bits === 8) return (b, n, ch, f) => deinterleave(n, ch, f, (i) => toFloat(b[i] - 128));
  if (fmt.bits === 16) return (b, n, ch, f) => deinterleave(n, ch, f, (i) => toFloat(b.readInt16LE(2 * i)));
  if (fmt.bits === 24) return (b, n, ch, f) => deinterleave(n, ch, f, (i) => toFloat(b.readIntLE(3 * i, 3)));
  if (fmt.bits === 32) return (b, n, ch, f) => deinterleave(n, ch, f, (i) => toFloat(b.readInt32LE(4 * i)));
  return null;
}

function deinterleave(count: number, channels: Float32Array[], frame: number, sample: (i: number) => number): void {
  const n = channels.length;
  for (let c = 0; c < n; c++) {
    const out = channels[c];
    for (let i = c, f = frame; i < count; i += n, f++) out[f] = sample(i);
  }
}

/** Float32 data on a little-endian host: a Float32Array view of the block, copied channel by channel. */
function deinterleaveFloat32(block: Buffer, count: number, channels: Float32Array[], frame: number): void {
  const samples = new Float32Array(block.buffer, block.byteOffset, count);
  const n = channels.length;
  if (n === 1) {
    channels[0].set(samples, frame);
    return;
  }
  if (n === 2) {
    const left = channels[0], right = channels[1];
    for (let i = 0, f = frame; i < count; i += 2, f++) {
      left[f] = samples[i];
      right[f] = samples[i + 1];
    }
    return;
  }
  for (let c = 0; c < n; c++) {
    const out = channels[c];
    for (let i = c, f = frame; i < count; i += n, f++) out[f] = samples[i];
  }
}

/** framesRead[0] ← frames (saturating at the largest Int32), and wakes any thread waiting on it. */
function publishFramesRead(framesRead: Int32Array, frames: number): void {
  Atomics.store(framesRead, 0, Math.min(frames, 2 ** 31 - 1));
  Atomics.notify(framesRead, 0);
}

function streamData(
  fd: number,
  fmt: Format,
  data: { offset: number; bytes: number },
  decode: Decoder,
  blockBytes: number,
  started: (channels: Float32Array[]) => void,
  framesRead: Int32Array,
): Float32Array[] {
  const frameBytes = fmt.channels * (fmt.bits / 8);
  const frames = Math.floor(data.bytes / frameBytes);
  const channels = sharedChannels(fmt.channels, frames);
  if (frames > 0) started(channels);
  const blockFrames = Math.max(1, Math.floor(blockBytes / frameBytes));
  // An ArrayBuffer of its own: byteOffset 0, so float32 and int16 views of the block are aligned.
  const block = Buffer.from(new ArrayBuffer(Math.min(frames, blockFrames) * frameBytes));
  for (let frame = 0; frame < frames; ) {
    const want = Math.min(blockFrames, frames - frame) * frameBytes;
    let got = 0;
    while (got < want) {
      const n = readSync(fd, block, got, want - got, data.offset + frame * frameBytes + got);
      if (n === 0) throw new Error(`file shrank while being read (at byte ${data.offset + frame * frameBytes + got})`);
      got += n;
    }
    decode(block, want / (fmt.bits / 8), channels, frame);
    frame += want / frameBytes;
    publishFramesRead(framesRead, frame);
  }
  return channels;
}

/** Formats this reader does not decode itself: the whole file through wavefile, loaded only when needed. */
function readWithWavefile(path: string, fd: number, size: number, channelCount: number): Float32Array[] {
  const wavefile = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');
  const bytes = Buffer.alloc(size);
  for (let got = 0; got < size; ) got += readSync(fd, bytes, got, size - got, got);
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
    wav.toBitDepth('32f');
  } catch (e) {
    throw new WavError(path, `is not a readable WAV file (${(e as Error).message})`);
  }
  const raw = wav.getSamples(true, Float32Array) as unknown as Float32Array;
  const frames = Math.floor(raw.length / channelCount);
  const channels = sharedChannels(channelCount, frames);
  deinterleave(frames * channelCount, channels, 0, (i) => raw[i]);
  return channels;
}
