import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { powerSpectrum } from './powerSpectrum.ts';
import { powerSpectrumOffThread } from './powerSpectrumOffThread.ts';

/** Seeded noise plus a tone per channel, on a SharedArrayBuffer as readWav gives it. */
function sharedChannel(frames: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(new SharedArrayBuffer(4 * frames));
  for (let i = 0; i < frames; i++) x[i] = 0.3 * Math.sin(0.05 * seed * i) + 0.1 * (next() - 0.5);
  return x;
}

describe('powerSpectrumOffThread', () => {
  it('gives powerSpectrum to the last bit from its worker thread, the channels shared, not copied', async () => {
    const channels = [sharedChannel(50_000, 1), sharedChannel(50_000, 2)];

    const offThread = await powerSpectrumOffThread(channels, 48000, { minSamples: 0, requireWorker: true });

    const here = powerSpectrum(channels, 48000);
    expect(offThread.frameSize).toBe(here.frameSize);
    expect(offThread.frames).toBe(here.frames);
    expect(Buffer.from(offThread.power.buffer).equals(Buffer.from(here.power.buffer))).toBe(true);
    expect(Buffer.from(offThread.frequenciesHz.buffer).equals(Buffer.from(here.frequenciesHz.buffer))).toBe(true);
  });

  it('computes on this thread for channels on ordinary buffers, which a worker could only copy', async () => {
    const channels = [Float32Array.from(sharedChannel(10_000, 3))];
    const spectrum = await powerSpectrumOffThread(channels, 48000, { minSamples: 0, requireWorker: true });
    expect(Array.from(spectrum.power)).toEqual(Array.from(powerSpectrum(channels, 48000).power));
  });
});
