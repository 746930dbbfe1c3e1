import { describe, expect, it } from 'vitest';
import { truePeakLinear } from '../loudness/truePeak.ts';
import { powerSpectrum } from '../spectral/powerSpectrum.ts';
import { ProgrammeOffThread } from './programmeOffThread.ts';
import { mulberry32 } from './seededNoise.ts';

/** Seeded noise plus a tone per channel, on a SharedArrayBuffer as readWav gives it. */
function sharedChannel(frames: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(new SharedArrayBuffer(4 * frames));
  for (let i = 0; i < frames; i++) x[i] = 0.3 * Math.sin(0.05 * seed * i) + 0.1 * (next() - 0.5);
  return x;
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('ProgrammeOffThread', () => {
  // This thread helps with the true peaks (it has no work of its own, so it claims the first channel), or leaves them all to the worker.
  for (const helpWithTruePeaks of [true, false]) {
    it(`gives powerSpectrum and each channel’s truePeakLinear to the last bit, the channels shared, not copied (${helpWithTruePeaks ? 'true peaks shared between threads' : 'true peaks on the worker'})`, async () => {
      const channels = [sharedChannel(50_000, 1), sharedChannel(50_000, 2), sharedChannel(50_000, 3)];

      const offThread = await ProgrammeOffThread.start().analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true, helpWithTruePeaks });

      const here = powerSpectrum(channels, 48000);
      expect(offThread.spectrum.frameSize).toBe(here.frameSize);
      expect(offThread.spectrum.frames).toBe(here.frames);
      expect(sameBits(offThread.spectrum.power, here.power)).toBe(true);
      expect(sameBits(offThread.spectrum.frequenciesHz, here.frequenciesHz)).toBe(true);
      expect(offThread.truePeaksLinear).toEqual(channels.map((c) => truePeakLinear(c)));
    });
  }

  it('computes on this thread for channels on ordinary buffers, which a worker could only copy', async () => {
    const channels = [Float32Array.from(sharedChannel(10_000, 3))];
    const figures = await ProgrammeOffThread.start().analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true });
    expect(sameBits(figures.spectrum.power, powerSpectrum(channels, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
  });
});
