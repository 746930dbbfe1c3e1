import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Audio } from './readWav.ts';
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
 * so an interrupted write never leaves a half-written file under the final name.
 */
export function writeWavAtomic(path: string, audio: Audio): void {
  const frames = audio.channels[0]?.length ?? 0;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, wavFloatHeader(audio.channels.length, audio.sampleRate, frames));
    const chunk = 65536;
    for (let i = 0; i < frames; i += chunk) writeSync(fd, interleaveFloat32(audio.channels, i, Math.min(chunk, frames - i)));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}
