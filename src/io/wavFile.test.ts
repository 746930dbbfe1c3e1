import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, writeWavAtomic } from './wavFile.ts';

describe('WAV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wav-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 32])('round-trips %i channels of float32 bit-exactly', (n) => {
    const channels = Array.from({ length: n }, (_, c) => Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.01 * (c + 1)) * 0.9));
    const path = join(dir, `rt${n}.wav`);
    writeWavAtomic(path, { sampleRate: 48000, channels });
    const back = readWav(path);
    expect(back.sampleRate).toBe(48000);
    expect(back.channels.length).toBe(n);
    for (let c = 0; c < n; c++) expect(Buffer.from(back.channels[c].buffer).equals(Buffer.from(channels[c].buffer))).toBe(true);
  });

  it('leaves no temporary file behind', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file and the reason for an empty, missing or foreign file', () => {
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, '');
    expect(() => readWav(empty)).toThrow(/empty\.wav: is empty/);
    expect(() => readWav(join(dir, 'missing.wav'))).toThrow(/missing\.wav: cannot be read \(ENOENT\)/);
    const text = join(dir, 'text.wav');
    writeFileSync(text, 'hello, not a wav');
    expect(() => readWav(text)).toThrow(/text\.wav: is not a readable WAV file/);
  });
});

describe('integer PCM WAV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wav-pcm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads 16-bit PCM written by wavefile as floats within one LSB', async () => {
    const { default: wavefile } = await import('wavefile');
    const w = new wavefile.WaveFile();
    w.fromScratch(2, 44100, '16', [Int16Array.from([0, 16384, -32768]), Int16Array.from([32767, -16384, 0])]);
    const path = join(dir, 'pcm16-lsb.wav');
    writeFileSync(path, w.toBuffer());
    const a = readWav(path);
    expect(a.sampleRate).toBe(44100);
    expect(Array.from(a.channels[0])).toEqual([0, 0.5, -1].map((v) => expect.closeTo(v, 4)));
    expect(a.channels[1][0]).toBeCloseTo(1, 4);
  });

  it('decodes 16- and 24-bit PCM exactly as wavefile does (full scale, both signs, odd values)', async () => {
    const { default: wavefile } = await import('wavefile');
    for (const bits of [16, 24] as const) {
      const max = 2 ** (bits - 1);
      const values = [0, 1, -1, max - 1, -max, 12345, -54321 % max, Math.floor(max / 3)];
      const w = new wavefile.WaveFile();
      w.fromScratch(2, 48000, String(bits), [values, values.map((v) => (v === -max ? max - 1 : -v))]);
      const path = join(dir, `pcm${bits}.wav`);
      writeFileSync(path, w.toBuffer());
      w.toBitDepth('32f');
      const expected = w.getSamples(false, Float32Array) as unknown as Float32Array[];
      const a = readWav(path);
      expect(a.channels.map((c) => Array.from(c)), `${bits}-bit`).toEqual(expected.map((c) => Array.from(c)));
    }
  });
});
