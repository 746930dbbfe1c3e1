import { mkdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { wavFloatHeader } from '../io/wavHeader.ts';
import { SignalRing } from './signalRing.ts';

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
/** Memory page: touching one byte of each faults the page in. */
const PAGE_BYTES = 4096;
/** prepare()'s slice between turns of the event loop: 64 pages, ~0.7 ms of page faults here. */
const TOUCH_SLICE_BYTES = 64 * PAGE_BYTES;

/**
 * `request_snapshot [seconds]`: the newest `seconds` of the effect's input and output rings
 * (signalRing.ts, which the audio side only copies into) written to two 32-bit float WAVs with
 * unique names `<engine>-<UTC time>-<n>-in.wav` / `-out.wav` in the snapshots folder, atomically
 * (write-file-atomic: temporary file, then rename — without fsync: a reader never sees half a file,
 * and a snapshot lost to a power cut is no loss; the fsyncs took 20–110 ms of the announcement time on
 * this VM) and asynchronously on libuv's threads — the
 * control thread only copies the rings, interleaving, straight into a file image it made beforehand
 * (SnapshotFile): one buffer per file and snapshot in flight, made and touched by prepare() once the stream
 * runs, for SNAPSHOT_DEFAULT_SECONDS, and grown (once) by a longer request. Fresh memory costs ~2.6 ms per MB
 * in page faults on this VM: a 3 s stereo pair copied into new arrays, interleaved into new buffers and
 * concatenated behind its headers touched 6.9 MB and took 20–25 ms of the 50 ms budget before a byte
 * was written. Bounded: at most MAX_SNAPSHOTS_IN_FLIGHT at once, the newest `keep` pairs kept on disk.
 * A failed write (a full disk, a folder that cannot be created) resolves to an error text naming the
 * file and the reason.
 */
export class SnapshotWriter {
  private inFlight = 0;
  private sequence = 0;
  private readonly written: string[][] = [];
  /** File images not in use, one pair per snapshot that may be in flight. */
  private readonly free: { input: SnapshotFile; output: SnapshotFile }[] = [];

  constructor(private readonly o: SnapshotWriterOptions) {
    for (let i = 0; i < MAX_SNAPSHOTS_IN_FLIGHT; i++) {
      this.free.push({ input: new SnapshotFile(o.input.channels, o.sampleRate), output: new SnapshotFile(o.output.channels, o.sampleRate) });
    }
  }

  /**
   * Makes the file images for SNAPSHOT_DEFAULT_SECONDS and faults their pages in, TOUCH_SLICE_BYTES at a time
   * between turns of the event loop (an in-thread rig renders on this thread), and has V8 optimise the copy.
   * Call it once the stream runs: starting a rig may spawn (jackd), and a spawn forks this process — every
   * page written before it is then copy-on-write, and the first snapshot faulted its images in again (7 ms a
   * 1.15 MB image on this VM). A snapshot asked before it is done makes or grows what it needs itself.
   */
  async prepare(): Promise<void> {
    const frames = Math.round(Math.min(SNAPSHOT_DEFAULT_SECONDS, this.maxSeconds) * this.o.sampleRate);
    for (const pair of [...this.free]) {
      for (const file of [pair.input, pair.output]) {
        // A pair a snapshot took meanwhile keeps its buffers (it is being copied into and written from).
        if (!this.free.includes(pair) || !file.allocate(frames)) continue;
        for (let at = 0; at < file.byteLength; at += TOUCH_SLICE_BYTES) {
          file.touch(at, at + TOUCH_SLICE_BYTES);
          await new Promise((r) => setImmediate(r));
        }
      }
    }
    warmCopy(this.o.input.channels);
    warmCopy(this.o.output.channels);
  }

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
    const files = this.free.pop() as { input: SnapshotFile; output: SnapshotFile }; // check(): one is free
    const frames = Math.round(seconds * this.o.sampleRate);
    files.input.reserve(frames);
    files.output.reserve(frames);
    // Both rings are written in the same period (input first): read both up to the same frame, so the
    // pair lines up sample for sample even when a worker writes a period between the two reads.
    const end = Math.min(this.o.input.framesWritten, this.o.output.framesWritten);
    const inp = this.o.input.readInterleavedEnding(end, frames, files.input.samples);
    const out = this.o.output.readInterleavedEnding(end, frames, files.output.samples);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const base = `${this.o.engine}-${stamp}-${++this.sequence}`;
    // Absolute paths in the reply: a reader confines them to the folder it was given (snapshotPath.ts).
    const dir = resolve(this.o.dir);
    const paths = { input: join(dir, `${base}-in.wav`), output: join(dir, `${base}-out.wav`) };
    try {
      if (inp.torn || out.torn) return 'request_snapshot: the ring was overwritten while it was copied (the control thread stalled); try again';
      await mkdir(this.o.dir, { recursive: true });
      await Promise.all([
        writeFileAtomic(paths.input, files.input.image(inp.frames), { fsync: false }),
        writeFileAtomic(paths.output, files.output.image(out.frames), { fsync: false }),
      ]);
      this.remember([paths.input, paths.output]);
      return paths;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      await Promise.all([unlink(paths.input).catch(() => {}), unlink(paths.output).catch(() => {})]);
      return `request_snapshot: cannot write ${e.path ?? this.o.dir}: ${e.code ?? e.message}`;
    } finally {
      this.free.push(files);
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

/**
 * Runs the ring copy on a scratch ring until V8 has optimised it, across the ring's wrap as a live ring's copy
 * goes (its second run had no type feedback otherwise, and the optimised code was thrown away at the first live
 * copy): a server's first snapshot otherwise copies in V8's unoptimised tiers, 12–25 ms for 3 s of stereo here.
 */
function warmCopy(channels: number): void {
  const ring = SignalRing.create(channels, 1024);
  const into = new Float32Array(1024 * channels);
  for (let i = 0; i < 200; i++) {
    ring.write([], 700); // the newest 1024 frames straddle the ring's end every other time
    ring.readInterleavedEnding(ring.framesWritten, 1024, into);
  }
}

/**
 * A float WAV file's image in memory, reused: the header, then interleaved float32 samples from a
 * 4-byte-aligned offset (the plain header is 58 bytes, so it starts 2 bytes in), filled by
 * SignalRing.readInterleavedEnding and written from one view. Its pages are faulted in before a snapshot
 * copies into them (SnapshotWriter.prepare, or reserve when a longer snapshot grows it).
 */
export class SnapshotFile {
  private bytes = new Uint8Array(0);
  /** Room for the interleaved samples of the frames reserved. */
  samples = new Float32Array(0);
  private readonly headerBytes: number;
  private readonly dataOffset: number;

  constructor(private readonly channels: number, private readonly sampleRate: number) {
    this.headerBytes = wavFloatHeader(channels, sampleRate, 0).length;
    this.dataOffset = Math.ceil(this.headerBytes / 4) * 4;
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  /** Makes room for `frames` frames: a new buffer, its pages not yet touched, when the present one is smaller (then true). */
  allocate(frames: number): boolean {
    if (this.samples.length >= frames * this.channels) return false;
    this.bytes = new Uint8Array(this.dataOffset + frames * this.channels * 4);
    this.samples = new Float32Array(this.bytes.buffer, this.dataOffset, frames * this.channels);
    return true;
  }

  /** allocate, and fault every page of a new buffer in now. */
  reserve(frames: number): void {
    if (this.allocate(frames)) this.touch(0, this.bytes.length);
  }

  /** Writes a byte of every page in [from, to) with its own value: faulted in and writable, its content unchanged. */
  touch(from: number, to: number): void {
    const b = this.bytes;
    for (let i = from; i < Math.min(to, b.length); i += PAGE_BYTES) b[i] |= 0; // a write of the same value
  }

  /** The file of the first `frames` frames of `samples`: its header written in front of them. */
  image(frames: number): Buffer {
    const start = this.dataOffset - this.headerBytes;
    this.bytes.set(wavFloatHeader(this.channels, this.sampleRate, frames), start);
    return Buffer.from(this.bytes.buffer, start, this.headerBytes + frames * this.channels * 4);
  }
}
