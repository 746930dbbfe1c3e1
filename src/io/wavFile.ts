import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Audio } from './readWav.ts';
import { type WavCue, wavCueChunks } from './wavCues.ts';
import { wavFloatHeader } from './wavHeader.ts';

export { type Audio, readWav, WavError } from './readWav.ts';

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
