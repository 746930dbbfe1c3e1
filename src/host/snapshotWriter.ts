import { mkdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { interleaveFloat32 } from '../io/wavFile.ts';
import { wavFloatHeader } from '../io/wavHeader.ts';
import type { SignalRing } from './signalRing.ts';

export interface SnapshotWriterOptions {
  engine: string;
  input: SignalRing;
  output: SignalRing;
  sampleRate: number;
  /** The snapshots folder (created when missing). */
  dir: string;
  /** Snapshot pairs kept; the oldest this writer wrote is deleted past it (default 50). */
  keep?: number;
}

/** Default and largest snapshot, seconds (the rings hold more: a margin against the writer). */
export const SNAPSHOT_DEFAULT_SECONDS = 3;
/** Snapshots being written at once; a further request is refused (answered) until one finishes. */
export const MAX_SNAPSHOTS_IN_FLIGHT = 2;

/**
 * `request_snapshot [seconds]`: the newest `seconds` of the effect's input and output rings
 * (signalRing.ts, which the audio side only copies into) written to two 32-bit float WAVs with
 * unique names `<engine>-<UTC time>-<n>-in.wav` / `-out.wav` in the snapshots folder, atomically
 * (write-file-atomic: temporary file, then rename — without fsync: a reader never sees half a file,
 * and a snapshot lost to a power cut is no loss; the fsyncs took 20–110 ms of the announcement time on
 * this VM) and asynchronously on libuv's threads — the
 * control thread only copies the rings and interleaves (about 1 ms for 3 s of stereo). Bounded: at
 * most MAX_SNAPSHOTS_IN_FLIGHT at once, the newest `keep` pairs kept on disk. A failed write (a full
 * disk, a folder that cannot be created) resolves to an error text naming the file and the reason.
 */
export class SnapshotWriter {
  private inFlight = 0;
  private sequence = 0;
  private readonly written: string[][] = [];

  constructor(private readonly o: SnapshotWriterOptions) {}

  /** Longest snapshot: what the rings hold, less half a second of margin for the writer, at most 3 s… the ring. */
  get maxSeconds(): number {
    return Math.max(0, (Math.min(this.o.input.capacityFrames, this.o.output.capacityFrames) - this.o.sampleRate / 2) / this.o.sampleRate);
  }

  /** Why `seconds` is refused, or undefined (absent = SNAPSHOT_DEFAULT_SECONDS). */
  check(seconds: number | undefined): string | undefined {
    const max = Math.floor(this.maxSeconds * 100) / 100;
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0 && seconds <= max)) {
      return `request_snapshot: seconds ${seconds} out of range; allowed more than 0, at most ${max} (the ring's length)`;
    }
    if (this.inFlight >= MAX_SNAPSHOTS_IN_FLIGHT) return `request_snapshot: ${this.inFlight} snapshots are being written; try again when one is ready`;
    return undefined;
  }

  /** Writes one pair; resolves to their paths or to an error text. Never rejects. */
  async write(seconds = SNAPSHOT_DEFAULT_SECONDS): Promise<{ input: string; output: string } | string> {
    const problem = this.check(seconds);
    if (problem) return problem;
    this.inFlight++;
    const frames = Math.round(seconds * this.o.sampleRate);
    // Both rings are written in the same period (input first): read both up to the same frame, so the
    // pair lines up sample for sample even when a worker writes a period between the two reads.
    const end = Math.min(this.o.input.framesWritten, this.o.output.framesWritten);
    const inp = this.o.input.readEnding(end, frames);
    const out = this.o.output.readEnding(end, frames);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const base = `${this.o.engine}-${stamp}-${++this.sequence}`;
    // Absolute paths in the reply: a reader confines them to the folder it was given (snapshotPath.ts).
    const dir = resolve(this.o.dir);
    const paths = { input: join(dir, `${base}-in.wav`), output: join(dir, `${base}-out.wav`) };
    try {
      if (inp.torn || out.torn) return 'request_snapshot: the ring was overwritten while it was copied (the control thread stalled); try again';
      await mkdir(this.o.dir, { recursive: true });
      await Promise.all([
        writeFileAtomic(paths.input, wavBytes(inp.channels, this.o.sampleRate), { fsync: false }),
        writeFileAtomic(paths.output, wavBytes(out.channels, this.o.sampleRate), { fsync: false }),
      ]);
      this.remember([paths.input, paths.output]);
      return paths;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      await Promise.all([unlink(paths.input).catch(() => {}), unlink(paths.output).catch(() => {})]);
      return `request_snapshot: cannot write ${e.path ?? this.o.dir}: ${e.code ?? e.message}`;
    } finally {
      this.inFlight--;
    }
  }

  private remember(pair: string[]): void {
    this.written.push(pair);
    while (this.written.length > (this.o.keep ?? 50)) {
      for (const f of this.written.shift() ?? []) void unlink(f).catch(() => {});
    }
  }
}

/** A whole float WAV file in memory (header + interleaved float32). */
function wavBytes(channels: Float32Array[], sampleRate: number): Buffer {
  const frames = channels[0]?.length ?? 0;
  return Buffer.concat([wavFloatHeader(channels.length, sampleRate, frames, 0), interleaveFloat32(channels, 0, frames)]);
}
