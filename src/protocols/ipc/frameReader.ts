import {
  type DecodedFrame, FRAME_HEADER_BYTES, FRAME_MAX_PAYLOAD_BYTES, FRAME_PREFIX_BYTES, IpcFrameError, decodeFrameBody,
} from './ipcFrame.ts';

export interface FrameReaderResult {
  frames: DecodedFrame[];
  /** Frames that were skipped (bad header); the stream stays in sync. */
  errors: IpcFrameError[];
  /** A length prefix that cannot be trusted: the connection must be closed. */
  fatal?: IpcFrameError;
}

/**
 * Reassembles frames from a byte stream (one per connection). `push()` any chunking of the stream;
 * `end()` when the peer closes: leftover bytes are a truncated frame.
 */
export class FrameReader {
  private pending = new Uint8Array(0);
  private dead = false;
  /** Bytes consumed so far, to name the place of an error. */
  private offset = 0;

  push(chunk: Uint8Array): FrameReaderResult {
    const result: FrameReaderResult = { frames: [], errors: [] };
    if (this.dead) return result;
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let pos = 0;
    while (buf.length - pos >= FRAME_PREFIX_BYTES) {
      const bodyLength = new DataView(buf.buffer, buf.byteOffset + pos, 4).getUint32(0, true);
      if (bodyLength < FRAME_HEADER_BYTES || bodyLength > FRAME_HEADER_BYTES + FRAME_MAX_PAYLOAD_BYTES) {
        this.dead = true;
        result.fatal = new IpcFrameError(
          `frame at stream byte ${this.offset + pos}: length ${bodyLength}, expected ${FRAME_HEADER_BYTES}…${FRAME_HEADER_BYTES + FRAME_MAX_PAYLOAD_BYTES}; cannot resynchronise`);
        this.pending = new Uint8Array(0);
        return result;
      }
      if (buf.length - pos < FRAME_PREFIX_BYTES + bodyLength) break;
      const body = buf.subarray(pos + FRAME_PREFIX_BYTES, pos + FRAME_PREFIX_BYTES + bodyLength);
      try {
        result.frames.push(decodeFrameBody(body));
      } catch (err) {
        const e = err as IpcFrameError;
        result.errors.push(new IpcFrameError(`frame at stream byte ${this.offset + pos}: ${e.message}`, e.seq));
      }
      pos += FRAME_PREFIX_BYTES + bodyLength;
    }
    this.offset += pos;
    this.pending = buf.slice(pos);
    return result;
  }

  /** Call when the stream ends; returns an error if a frame was cut off. */
  end(): IpcFrameError | undefined {
    if (this.dead || this.pending.length === 0) return undefined;
    const n = this.pending.length;
    this.pending = new Uint8Array(0);
    return new IpcFrameError(`stream ended inside a frame at stream byte ${this.offset}: ${n} bytes of a truncated frame`);
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
