import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { WavError } from './wavFile.ts';
import { wavFloatHeader } from './wavHeader.ts';

/**
 * A 32-bit float WAV written frame range by frame range (positional writes: a range may be written in
 * any order, a gap reads as silence) and read back the same way, for multichannel captures too long to
 * hold in memory (a 60-minute, 32-channel capture is 22 GB). The header is rewritten with the final
 * frame count on `close()`, so an interrupted writer leaves a file whose header says 0 frames.
 */
export class FloatWavWriter {
  private fd: number;
  private readonly headerBytes: number;
  private framesWritten = 0;
  private staging = Buffer.alloc(0);

  constructor(readonly path: string, readonly channels: number, readonly sampleRate: number) {
    this.fd = openSync(path, 'w');
    const header = wavFloatHeader(channels, sampleRate, 0);
    this.headerBytes = header.length;
    writeSync(this.fd, header, 0, header.length, 0);
  }

  /** Writes frames [atFrame, atFrame + frames) from one array per channel (read from `start`). */
  write(channels: readonly Float32Array[], atFrame: number, frames: number, start = 0): void {
    const n = this.channels;
    const bytes = frames * n * 4;
    if (this.staging.length < bytes) this.staging = Buffer.alloc(bytes);
    const view = new Float32Array(this.staging.buffer, this.staging.byteOffset, frames * n);
    for (let c = 0; c < n; c++) {
      const ch = channels[c];
      for (let i = 0; i < frames; i++) view[i * n + c] = ch[start + i];
    }
    writeSync(this.fd, this.staging, 0, bytes, this.headerBytes + atFrame * n * 4);
    this.framesWritten = Math.max(this.framesWritten, atFrame + frames);
  }

  /** Rewrites the header for the frames written (the furthest frame) and closes the file. */
  close(): void {
    if (this.fd < 0) return;
    const header = wavFloatHeader(this.channels, this.sampleRate, this.framesWritten);
    writeSync(this.fd, header, 0, header.length, 0);
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Frames per tile when a read is split into channels (64 frames of 32 channels: 8 KiB). */
const DEINTERLEAVE_TILE = 64;

/** Reads frame ranges of a 32-bit float WAV (as written by FloatWavWriter or writeWavAtomic) without loading it. */
export class FloatWavReader {
  readonly channels: number;
  readonly sampleRate: number;
  readonly frames: number;
  private fd: number;
  private readonly dataOffset: number;
  private staging = Buffer.alloc(0);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    const head = Buffer.alloc(4096);
    const got = readSync(this.fd, head, 0, head.length, 0);
    if (got < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
      this.close();
      throw new WavError(path, 'is not a readable WAV file (no RIFF/WAVE header)');
    }
    let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
    let data: { offset: number; bytes: number } | undefined;
    for (let o = 12; o + 8 <= got && !data; ) {
      const id = head.toString('ascii', o, o + 4);
      const size = head.readUInt32LE(o + 4);
      if (id === 'fmt ') {
        let format = head.readUInt16LE(o + 8);
        if (format === 0xfffe && size >= 40) format = head.readUInt16LE(o + 8 + 24);
        fmt = { format, channels: head.readUInt16LE(o + 10), sampleRate: head.readUInt32LE(o + 12), bits: head.readUInt16LE(o + 22) };
      } else if (id === 'data') {
        data = { offset: o + 8, bytes: size };
      }
      o += 8 + size + (size & 1);
    }
    if (!fmt || !data || fmt.format !== 3 || fmt.bits !== 32 || fmt.channels < 1) {
      this.close();
      throw new WavError(path, 'is not a 32-bit float WAV with a data chunk in its first 4 KiB');
    }
    this.channels = fmt.channels;
    this.sampleRate = fmt.sampleRate;
    this.dataOffset = data.offset;
    // A data chunk past 4 GiB has its size saturated (wavHeader.ts): it runs to the end of the file.
    const bytes = data.bytes === 0xffffffff ? fstatSync(this.fd).size - data.offset : data.bytes;
    this.frames = Math.floor(bytes / (4 * fmt.channels));
  }

  /** out[c][i] = frame (from + i) of channel c for i < frames; frames past the end read as 0. */
  read(from: number, frames: number, out: readonly Float32Array[]): void {
    const n = this.channels;
    const view = this.readInterleaved(from, frames);
    const valid = view.length / n;
    // In tiles of DEINTERLEAVE_TILE frames, channel by channel: each tile of the staging buffer stays in the
    // cache while it is read 32 times, and each channel's array is written in order (frame-major, the
    // whole buffer at once: 1.8× slower; channel-major over the whole buffer: 1.1× slower).
    const m = Math.min(n, out.length);
    for (let i0 = 0; i0 < valid; i0 += DEINTERLEAVE_TILE) {
      const i1 = Math.min(valid, i0 + DEINTERLEAVE_TILE);
      for (let c = 0; c < m; c++) {
        const o = out[c];
        for (let i = i0, k = i0 * n + c; i < i1; i++, k += n) o[i] = view[k];
      }
    }
    for (let c = 0; c < out.length; c++) out[c].fill(0, c < n ? valid : 0, frames);
  }

  /**
   * Frames [from, from + frames) as they lie in the file, interleaved: frame i of channel c at [i·channels + c],
   * cut at the end of the data (shorter when the range runs past it). The view is reused: valid until the next read.
   */
  readInterleaved(from: number, frames: number): Float32Array {
    const n = this.channels;
    const valid = Math.max(0, Math.min(frames, this.frames - from));
    const bytes = valid * n * 4;
    if (this.staging.length < bytes) this.staging = Buffer.alloc(bytes);
    for (let done = 0; done < bytes; ) {
      const got = readSync(this.fd, this.staging, done, bytes - done, this.dataOffset + from * n * 4 + done);
      if (got <= 0) throw new WavError(this.path, `ends early: frames ${from}…${from + valid} were announced but are not there`);
      done += got;
    }
    return new Float32Array(this.staging.buffer, this.staging.byteOffset, valid * n);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
