import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { fullGc } from '../engine/allocationProbe.ts';
import { readWav } from '../io/wavFile.ts';
import { SignalRing } from './signalRing.ts';
import { MAX_SNAPSHOTS_IN_FLIGHT, SnapshotWriter } from './snapshotWriter.ts';

const FS = 48000;
const dir = mkdtempSync(join(tmpdir(), 'snapshot-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rings of 10 s (as rig serve makes them) written `seconds` of distinct values per channel and ring, a period at a time. */
function rings(inChannels: number, outChannels: number, seconds: number) {
  const input = SignalRing.create(inChannels, 10 * FS);
  const output = SignalRing.create(outChannels, 10 * FS);
  const block = 128;
  const src = (n: number, base: number) => Array.from({ length: n }, (_, c) => new Float32Array(block).fill(base + c));
  const a = src(inChannels, 0);
  const b = src(outChannels, 0);
  for (let f = 0; f < seconds * FS; f += block) {
    for (let c = 0; c < inChannels; c++) for (let j = 0; j < block; j++) a[c][j] = Math.sin((f + j) * 0.001 * (c + 1));
    for (let c = 0; c < outChannels; c++) for (let j = 0; j < block; j++) b[c][j] = -0.5 * Math.sin((f + j) * 0.0007 * (c + 1));
    input.write(a, block);
    output.write(b, block);
  }
  return { input, output };
}

/** The files hold exactly the rings' newest `seconds`, ending at the same frame. */
function expectSnapshotOf(r: { input: SignalRing; output: SignalRing }, paths: { input: string; output: string }, seconds: number) {
  const frames = Math.round(seconds * FS);
  const end = Math.min(r.input.framesWritten, r.output.framesWritten);
  for (const [ring, path] of [[r.input, paths.input], [r.output, paths.output]] as const) {
    const wav = readWav(path);
    // The header's sizes say what the file holds (a reader would trust them over the file's end).
    const bytes = readFileSync(path);
    const data = bytes.indexOf('data', 12, 'ascii');
    expect(bytes.readUInt32LE(data + 4)).toBe(frames * ring.channels * 4);
    expect(bytes.length).toBe(data + 8 + frames * ring.channels * 4);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.readUInt32LE(bytes.indexOf('fact', 12, 'ascii') + 8)).toBe(frames);
    expect(wav.sampleRate).toBe(FS);
    expect(wav.channels.length).toBe(ring.channels);
    expect(wav.channels).toEqual(ring.readEnding(end, frames).channels);
  }
}

describe('SnapshotWriter', () => {
  it('writes the rings\' newest frames sample for sample, stereo and above two channels, whatever length came before', async () => {
    for (const [ins, outs] of [[2, 2], [1, 3]]) {
      const r = rings(ins, outs, 6);
      const w = new SnapshotWriter({ engine: 'reverb', ...r, sampleRate: FS, dir });
      for (const seconds of [3, 5, 0.25]) { // 5 s grows the file images made for 3 s; 0.25 s then uses the front of them
        const paths = await w.write(seconds);
        if (typeof paths === 'string') throw new Error(paths);
        expectSnapshotOf(r, paths, seconds);
      }
    }
  });

  it('writes snapshots asked while prepare() runs: it leaves the images of a pair a snapshot took alone', async () => {
    // At 4 kHz an image fits one of prepare()'s slices: it reaches the pair the first snapshot took (the last of
    // the free list) within two turns of the event loop, while that snapshot still waits for its folder.
    const fs = 4000;
    const r = rings(2, 2, 4);
    const w = new SnapshotWriter({ engine: 'reverb', ...r, sampleRate: fs, dir });
    const preparing = w.prepare();
    const first = w.write(1); // its images: 1 s, made by the snapshot itself; prepare() would make them 3 s
    const [a, b] = await Promise.all([first, w.write(3)]);
    await preparing;
    if (typeof a === 'string' || typeof b === 'string') throw new Error(String(a) + String(b));
    const frames = (p: string) => readWav(p).channels[0].length;
    expect([frames(a.input), frames(a.output), frames(b.input), frames(b.output)]).toEqual([fs, fs, 3 * fs, 3 * fs]);
    const end = Math.min(r.input.framesWritten, r.output.framesWritten);
    expect(readWav(a.output).channels).toEqual(r.output.readEnding(end, fs).channels);
    expect(readWav(b.input).channels).toEqual(r.input.readEnding(end, 3 * fs).channels);
  });

  it('writes snapshots in flight at once from separate file images, and refuses one more', async () => {
    const r = rings(2, 2, 4);
    const w = new SnapshotWriter({ engine: 'reverb', ...r, sampleRate: FS, dir });
    const pending = [w.write(3), w.write(1)];
    expect(pending.length).toBe(MAX_SNAPSHOTS_IN_FLIGHT);
    expect(await w.write(2)).toMatch(/2 snapshots are being written/);
    const [a, b] = await Promise.all(pending);
    if (typeof a === 'string' || typeof b === 'string') throw new Error(String(a) + String(b));
    expectSnapshotOf(r, a, 3);
    expectSnapshotOf(r, b, 1);
  });

  it('copies into file images prepare() made: a 3 s stereo snapshot allocates no sample memory', async () => {
    const r = rings(2, 2, 4);
    const w = new SnapshotWriter({ engine: 'reverb', ...r, sampleRate: FS, dir });
    await w.prepare();
    await w.write(0.001); // whatever the write path makes once (a tiny snapshot: its samples fit the images)
    fullGc();
    fullGc();
    const before = v8.getHeapStatistics().external_memory;
    for (let i = 0; i < 3; i++) await w.write(3);
    // Backing stores made, whether or not collected since (no collection here: a garbage-collected buffer would
    // hide what it cost). Copied into fresh arrays, interleaved into fresh buffers and concatenated behind the
    // header, each snapshot took 6.9 MB here (3 snapshots: ~20 MB); a 58-byte header a file now, and Buffer's pool.
    const grown = v8.getHeapStatistics().external_memory - before;
    expect(grown).toBeLessThan(256 * 1024);
  });
});
