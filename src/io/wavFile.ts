import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import wavefile from 'wavefile';
import { type WavCue, wavCueChunks } from './wavCues.ts';
import { wavFloatHeader } from './wavHeader.ts';

export interface Audio {
  sampleRate: number;
  /** One Float32Array per channel, full scale ±1. */
  channels: Float32Array[];
}

export class WavError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'WavError';
  }
}

/**
 * Reads a WAV file into float channels (±1 full scale). 32-bit float data (format 3, or EXTENSIBLE
 * with the float sub-format, which wavefile mistakes for 32-bit integers) is decoded here directly;
 * integer PCM goes through wavefile.
 */
export function readWav(path: string): Audio {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new WavError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.length === 0) throw new WavError(path, 'is empty');
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavError(path, 'is not a readable WAV file (no RIFF/WAVE header)');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let data: { offset: number; bytes: number } | undefined;
  for (let o = 12; o + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', o, o + 4);
    const size = bytes.readUInt32LE(o + 4);
    if (id === 'fmt ' && o + 24 <= bytes.length) {
      let format = bytes.readUInt16LE(o + 8);
      if (format === 0xfffe && size >= 40) format = bytes.readUInt16LE(o + 8 + 24); // sub-format GUID's first word
      fmt = { format, channels: bytes.readUInt16LE(o + 10), sampleRate: bytes.readUInt32LE(o + 12), bits: bytes.readUInt16LE(o + 22) };
    } else if (id === 'data') {
      data = { offset: o + 8, bytes: Math.min(size, bytes.length - o - 8) };
    }
    o += 8 + size + (size & 1);
  }
  if (!fmt || !data) throw new WavError(path, `is not a readable WAV file (missing ${fmt ? 'data' : 'fmt '} chunk)`);
  if (fmt.channels < 1 || fmt.sampleRate < 1) throw new WavError(path, `has an invalid format (${fmt.channels} channels at ${fmt.sampleRate} Hz)`);
  let channels: Float32Array[];
  if (fmt.format === 3 && fmt.bits === 32) {
    const frames = Math.floor(data.bytes / (4 * fmt.channels));
    channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
    const aligned = new Float32Array(bytes.buffer.slice(bytes.byteOffset + data.offset, bytes.byteOffset + data.offset + frames * fmt.channels * 4));
    for (let i = 0, k = 0; i < frames; i++) for (let c = 0; c < fmt.channels; c++) channels[c][i] = aligned[k++];
  } else {
    const wav = new wavefile.WaveFile();
    try {
      wav.fromBuffer(bytes);
      wav.toBitDepth('32f');
    } catch (e) {
      throw new WavError(path, `is not a readable WAV file (${(e as Error).message})`);
    }
    const raw = wav.getSamples(true, Float32Array) as unknown as Float32Array;
    const frames = Math.floor(raw.length / fmt.channels);
    channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
    for (let i = 0, k = 0; i < frames; i++) for (let c = 0; c < fmt.channels; c++) channels[c][i] = raw[k++];
  }
  if (channels[0].length === 0) throw new WavError(path, 'holds no audio frames');
  return { sampleRate: fmt.sampleRate, channels };
}

/** Interleaves channels into little-endian float32 bytes. */
export function interleaveFloat32(channels: readonly Float32Array[], start = 0, frames = channels[0]?.length ?? 0): Buffer {
  const n = channels.length;
  const out = Buffer.alloc(frames * n * 4);
  const view = new Float32Array(out.buffer, out.byteOffset, frames * n);
  for (let c = 0; c < n; c++) {
    const ch = channels[c];
    for (let i = 0; i < frames; i++) view[i * n + c] = ch[start + i];
  }
  return out;
}

/**
 * Writes a 32-bit float WAV atomically: to a temporary file beside the target, fsynced, then renamed,
 * so an interrupted write never leaves a half-written file under the final name. `cues` become markers
 * a DAW shows (src/io/wavCues.ts).
 */
export function writeWavAtomic(path: string, audio: Audio, { cues = [] }: { cues?: readonly WavCue[] } = {}): void {
  writeWavStreamAtomic(path, {
    sampleRate: audio.sampleRate, channelCount: audio.channels.length, frames: audio.channels[0]?.length ?? 0,
    interleaved: (start, frames) => interleaveFloat32(audio.channels, start, frames),
  }, { cues });
}

/** Audio produced a chunk at a time: `interleaved(start, frames)` returns those frames as float32 LE bytes. */
export interface WavStream {
  sampleRate: number;
  channelCount: number;
  frames: number;
  interleaved: (start: number, frames: number) => Buffer;
}

/** writeWavAtomic for audio computed chunk by chunk (never all in memory at once: a 10-minute, 32-channel aligned render). */
export function writeWavStreamAtomic(path: string, audio: WavStream, { cues = [] }: { cues?: readonly WavCue[] } = {}): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const trailer = wavCueChunks(cues);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, wavFloatHeader(audio.channelCount, audio.sampleRate, audio.frames, trailer.length));
    const chunk = 65536;
    for (let i = 0; i < audio.frames; i += chunk) writeSync(fd, audio.interleaved(i, Math.min(chunk, audio.frames - i)));
    if (trailer.length) writeSync(fd, trailer);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}
