import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { powerSpectrum } from './powerSpectrum.ts';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { powerSpectrumSimd } from './powerSpectrumSimd.ts';
import { welchWat } from './welchKernel.ts';

const modules = new Map<number, object>();
const moduleFor = (N: number): object => {
  if (!modules.has(N)) modules.set(N, compileWat(`welch${N}.wat`, welchWat(N)));
  return modules.get(N)!;
};

/** Seeded noise, a tone, a stretch of digital silence and a full-scale step: every bin and sign exercised. */
function channel(frames: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = 0.4 * Math.sin(0.031 * seed * i) + 0.2 * (next() - 0.5);
  x.fill(0, Math.floor(frames / 3), Math.floor(frames / 3) + 700);
  x.fill(1, Math.floor(frames / 2), Math.floor(frames / 2) + 50);
  return x;
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

// One row per case: frame size (4096 and 256 start fft.js with its radix-4 step, 2048 and 64 with radix-2),
// channels, and a length giving an odd or even frame count per channel and frames across staging blocks.
const CASES: { frameSize: number; channels: number; length: number }[] = [
  { frameSize: 4096, channels: 2, length: 48000 * 3 + 17 },
  { frameSize: 4096, channels: 1, length: 4097 },
  { frameSize: 2048, channels: 3, length: 2048 * 40 + 5 },
  { frameSize: 256, channels: 2, length: 128 * 101 },
  { frameSize: 64, channels: 1, length: 32 * 200 + 31 },
  // The last staging block holds exactly one frame (it starts at length − N: blocks start every 32 hops).
  { frameSize: 64, channels: 1, length: 32 * 32 * 3 + 64 },
];

describe('powerSpectrumSimd', () => {
  for (const { frameSize, channels: count, length } of CASES) {
    it(`gives powerSpectrum to the last bit: N = ${frameSize}, ${count} channel(s) of ${length} samples`, () => {
      const channels = Array.from({ length: count }, (_, c) => channel(length, c + 1));

      const simd = powerSpectrumSimd(channels, 48000, { module: moduleFor(frameSize), frameSize });

      const reference = powerSpectrum(channels, 48000, frameSize);
      expect(simd.frames).toBe(reference.frames);
      expect(simd.frameSize).toBe(reference.frameSize);
      expect(sameBits(simd.power, reference.power)).toBe(true);
      expect(sameBits(simd.frequenciesHz, reference.frequenciesHz)).toBe(true);
    });
  }

  it('leaves a signal no longer than one frame (zero-padded) to powerSpectrum, and no channels too', () => {
    const short = [channel(1000, 9)];
    expect(sameBits(powerSpectrumSimd(short, 48000, { module: moduleFor(4096) }).power, powerSpectrum(short, 48000).power)).toBe(true);
    expect(sameBits(powerSpectrumSimd([], 48000, { module: moduleFor(4096) }).power, powerSpectrum([], 48000).power)).toBe(true);
  });
});
