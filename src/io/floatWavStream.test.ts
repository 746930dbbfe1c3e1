import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FloatWavReader, FloatWavWriter } from './floatWavStream.ts';
import { readWav } from './wavFile.ts';
import { wavFloatHeader } from './wavHeader.ts';

describe('FloatWavWriter / FloatWavReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wavstream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const channels = Array.from({ length: 32 }, (_, c) => Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.001 * (c + 1)) * 0.9));

  it('writes ranges in any order and reads any range back bit-exactly, as readWav does', () => {
    const path = join(dir, 'ranges.wav');
    const w = new FloatWavWriter(path, 32, 48000);
    w.write(channels, 3000, 2000, 3000);
    w.write(channels, 0, 3000);
    w.close();
    const r = new FloatWavReader(path);
    const out = Array.from({ length: 32 }, () => new Float32Array(777));
    r.read(2500, 777, out);
    r.close();

    expect(r.frames).toBe(5000);
    for (let c = 0; c < 32; c++) expect(Buffer.from(out[c].buffer).equals(Buffer.from(channels[c].slice(2500, 3277).buffer))).toBe(true);
    expect(readWav(path).channels[31]).toEqual(channels[31]);
  });

  it('reads a range interleaved as the file holds it, cut at the end of the data', () => {
    const path = join(dir, 'interleaved.wav');
    const w = new FloatWavWriter(path, 32, 48000);
    w.write(channels, 0, 5000);
    w.close();
    const r = new FloatWavReader(path);
    const view = r.readInterleaved(4990, 100);
    r.close();

    expect(view.length).toBe(10 * 32);
    for (let i = 0; i < 10; i++) for (let c = 0; c < 32; c++) expect(view[i * 32 + c]).toBe(channels[c][4990 + i]);
  });

  it('takes a data chunk whose size is saturated (over 4 GiB) to run to the end of the file', () => {
    const path = join(dir, 'saturated.wav');
    const w = new FloatWavWriter(path, 32, 48000);
    w.write(channels, 0, 5000);
    w.close();
    const bytes = readFileSync(path);
    const at = bytes.indexOf('data') + 4;
    bytes.writeUInt32LE(0xffffffff, at); // what the header holds for a 22 GB capture
    writeFileSync(path, bytes);

    const r = new FloatWavReader(path);
    r.close();
    expect(r.frames).toBe(5000);
    expect(wavFloatHeader(32, 48000, 60 * 60 * 48000).readUInt32LE(4)).toBe(0xffffffff);
  });

  it('reads frames past the end as zeros and names a file that is not a float WAV', () => {
    const path = join(dir, 'end.wav');
    const w = new FloatWavWriter(path, 32, 48000);
    w.write(channels, 0, 100);
    w.close();
    const r = new FloatWavReader(path);
    const out = Array.from({ length: 32 }, () => new Float32Array(50).fill(9));
    r.read(80, 50, out);
    r.close();

    expect(Array.from(out[0].subarray(20))).toEqual(new Array(30).fill(0));
    expect(out[0][19]).toBe(channels[0][99]);
    expect(() => new FloatWavReader(join(dir, 'missing.wav'))).toThrow(/ENOENT/);
  });
});
