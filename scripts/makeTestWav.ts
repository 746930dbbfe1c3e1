/**
 * Writes a seeded test WAV for whole-process measurements of `rig analyze` (the 10-minute file of issue 15
 * is never committed: generate it). Usage:
 *
 *   npx tsx scripts/makeTestWav.ts <out.wav> [--seconds 600] [--channels 2] [--rate 48000]
 *                                  [--format f32|s16|s24|s32|u8] [--signal programme|noise]
 *
 * `programme`: per channel a tone (997 Hz, 113 Hz, then 1.31× apart) whose level moves every 7.3 s, plus
 * seeded noise — the signal of `npm run bench -- lufs_10min_stereo`. `noise`: seeded uniform noise at a
 * steady −12 dBFS RMS, the worst case for the true-peak search (every chunk is near the peak).
 * Float files are streamed in blocks (any length, 32 channels); integer PCM goes through wavefile.
 * Peer figures: `ffmpeg -nostats -i out.wav -af ebur128[=peak=true] -f null -` (Debian package ffmpeg,
 * a development tool only).
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { mulberry32Draw } from '../src/analysis/signal/seededNoise.ts';
import { interleaveFloat32 } from '../src/io/wavFile.ts';
import { wavFloatHeader } from '../src/io/wavHeader.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '600' },
    channels: { type: 'string', default: '2' },
    rate: { type: 'string', default: '48000' },
    format: { type: 'string', default: 'f32' },
    signal: { type: 'string', default: 'programme' },
  },
});
const out = positionals[0];
if (!out) throw new Error('usage: makeTestWav.ts <out.wav> [--seconds s] [--channels n] [--rate hz] [--format f32|s16|s24|s32|u8] [--signal programme|noise]');
const rate = Number(values.rate), channelCount = Number(values.channels);
const frames = Math.round(Number(values.seconds) * rate);
const SEED = 0x2f6b1a3d;
const BLOCK = 65536;

/** Fills `channels` with frames [start, start + length) of the chosen signal. */
function fill(channels: Float32Array[], start: number, length: number): void {
  for (let c = 0; c < channels.length; c++) {
    const x = channels[c];
    const toneHz = c === 0 ? 997 : c === 1 ? 113 : 113 * 1.31 ** (c - 1);
    for (let i = 0; i < length; i++) {
      const n = start + i;
      const noise = mulberry32Draw(SEED + c, n + 1) - 0.5;
      if (values.signal === 'noise') x[i] = 0.869 * noise; // uniform ±0.4345: RMS 0.251 = −12 dBFS
      else {
        const level = 0.05 + 0.2 * (0.5 + 0.5 * Math.sin((2 * Math.PI * n) / (7.3 * rate)));
        x[i] = level * Math.sin((2 * Math.PI * toneHz * n) / rate) + 0.02 * noise;
      }
    }
  }
}

if (values.format === 'f32') {
  const fd = openSync(out, 'w');
  writeSync(fd, wavFloatHeader(channelCount, rate, frames));
  const block = Array.from({ length: channelCount }, () => new Float32Array(BLOCK));
  for (let s = 0; s < frames; s += BLOCK) {
    const n = Math.min(BLOCK, frames - s);
    fill(block, s, n);
    writeSync(fd, interleaveFloat32(block, 0, n));
  }
  closeSync(fd);
} else {
  const bits = values.format.replace(/^[su]/, '');
  const full = Array.from({ length: channelCount }, () => new Float32Array(frames));
  fill(full, 0, frames);
  const w = new wavefile.WaveFile();
  w.fromScratch(channelCount, rate, '32f', full.map((c) => Float64Array.from(c)));
  w.toBitDepth(bits);
  writeFileSync(out, w.toBuffer());
}
