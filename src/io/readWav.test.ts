import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../analysis/signal/seededNoise.ts';
import { readWav } from './readWav.ts';
import { writeWavAtomic } from './wavFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'read-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** wavefile's own decoding to float32, channel by channel: the reference the streamed decoder must equal. */
function wavefileChannels(bytes: Buffer, channelCount: number): Float32Array[] {
  const w = new wavefile.WaveFile(bytes);
  w.toBitDepth('32f');
  const raw = w.getSamples(true, Float32Array) as unknown as Float32Array;
  return Array.from({ length: channelCount }, (_, c) => Float32Array.from({ length: raw.length / channelCount }, (_, i) => raw[i * channelCount + c]));
}

/**
 * Integer samples of `bits` bits, 8-bit ones unsigned as stored: both extremes, 0, ±1, every −2^j and
 * max/2^j (the values wavefile's float encoder treats specially: results at powers of two), then random ones.
 */
function integerChannels(bits: number, channelCount: number, frames: number, seed: number): number[][] {
  const next = mulberry32(seed);
  const min = -(2 ** (bits - 1)), max = 2 ** (bits - 1) - 1;
  const offset = bits === 8 ? 128 : 0;
  const special = [min, max, 0, 1, -1];
  for (let j = 1; j < bits - 1; j++) special.push(-(2 ** j), Math.floor(max / 2 ** j), Math.ceil(max / 2 ** j));
  return Array.from({ length: channelCount }, (_, c) =>
    Array.from({ length: frames }, (_, i) => offset + (i < special.length ? special[(i + c) % special.length] : Math.floor(min + next() * (max - min + 1)))),
  );
}

const bitExact = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('readWav', () => {
  // Read in 1000-byte blocks, so every file spans several blocks and ends in a partial one.
  const blockBytes = 1000;
  it.each([
    [8, 1, 3001],
    [16, 2, 2003],
    [24, 3, 1601],
    [32, 6, 1201],
    [16, 32, 301],
  ])('decodes %i-bit integer PCM with %i channels exactly as wavefile does', (bits, channelCount, frames) => {
    const w = new wavefile.WaveFile();
    w.fromScratch(channelCount, 44100, String(bits), integerChannels(bits, channelCount, frames, bits * 100 + channelCount));
    const path = join(dir, `pcm${bits}x${channelCount}.wav`);
    const bytes = Buffer.from(w.toBuffer());
    writeFileSync(path, bytes);
    const expected = wavefileChannels(bytes, channelCount);
    const audio = readWav(path, { blockBytes });
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channels.length).toBe(channelCount);
    audio.channels.forEach((c, i) => expect(bitExact(c, expected[i]), `channel ${i + 1}`).toBe(true));
  });

  it('streams a float file larger than one read block bit-exactly, for 1, 2 and 32 channels', () => {
    for (const channelCount of [1, 2, 32]) {
      const next = mulberry32(channelCount);
      const frames = Math.ceil((1.5 * (1 << 20)) / (4 * channelCount)) + 7; // the default 1 MiB block and a half
      const channels = Array.from({ length: channelCount }, () => Float32Array.from({ length: frames }, () => 2 * next() - 1));
      const path = join(dir, `float${channelCount}.wav`);
      writeWavAtomic(path, { sampleRate: 48000, channels });
      const back = readWav(path).channels;
      channels.forEach((c, i) => expect(bitExact(back[i], c), `${channelCount} channels, channel ${i + 1}`).toBe(true));
    }
  });

  it('keeps the speaker positions an EXTENSIBLE file declares (channel mask), and none for a file that declares none', () => {
    const channels = Array.from({ length: 8 }, (_, c) => Float32Array.of(c / 10, -c / 10));
    const path = join(dir, 'mask71.wav');
    writeWavAtomic(path, { sampleRate: 48000, channels }); // EXTENSIBLE above two channels, mask 0
    const none = readWav(path);
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(0x63f, 40); // dwChannelMask: 7.1 (FL FR FC LFE BL BR SL SR)
    writeFileSync(path, bytes);

    expect(none.channelMask).toBeUndefined();
    expect(readWav(path).channelMask).toBe(0x63f);
    expect(readWav(path).channels).toEqual(none.channels);
  });

  it('reads formats it does not decode itself (64-bit float) through wavefile', () => {
    const w = new wavefile.WaveFile();
    w.fromScratch(2, 48000, '64', [Float64Array.from([0.5, -0.25, 1]), Float64Array.from([0.125, 0, -1])]);
    const path = join(dir, 'float64.wav');
    writeFileSync(path, Buffer.from(w.toBuffer()));
    const audio = readWav(path);
    expect(Array.from(audio.channels[0])).toEqual([0.5, -0.25, 1]);
    expect(Array.from(audio.channels[1])).toEqual([0.125, 0, -1]);
  });

  it('reads the frames present when the data chunk claims more than the file holds', () => {
    const channels = [Float32Array.from([0.1, 0.2, 0.3, 0.4]), Float32Array.from([-0.1, -0.2, -0.3, -0.4])];
    const path = join(dir, 'whole.wav');
    writeWavAtomic(path, { sampleRate: 48000, channels });
    const truncated = join(dir, 'truncated.wav');
    const bytes = readFileSync(path);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 10)); // the last frame and a half are gone
    const back = readWav(truncated).channels;
    expect(back[0].length).toBe(2);
    expect(Array.from(back[1])).toEqual([channels[1][0], channels[1][1]]);
  });

  it('hands the channels over before reading (onStart) and counts the frames read after every block', () => {
    const frames = 10_000;
    const channels = [Float32Array.from({ length: frames }, (_, i) => Math.sin(i)), Float32Array.from({ length: frames }, (_, i) => Math.cos(i))];
    const path = join(dir, 'progress.wav');
    writeWavAtomic(path, { sampleRate: 48000, channels });
    const seen: { framesRead: number; filled: number }[] = [];
    let handed: Float32Array[] = [];
    let counter: Int32Array = new Int32Array(1);

    const audio = readWav(path, {
      blockBytes: 8 * 1000,
      onStart: (a, framesRead) => {
        handed = a.channels;
        counter = framesRead;
        seen.push({ framesRead: Atomics.load(framesRead, 0), filled: a.channels[0].findIndex((v) => v !== 0) });
      },
    });

    expect(audio.channels).toBe(handed);
    expect(seen).toEqual([{ framesRead: 0, filled: -1 }]); // called once, before any sample was read
    expect(counter.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Atomics.load(counter, 0)).toBe(frames);
  });
});
