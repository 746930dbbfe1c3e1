import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { truePeakChunks, truePeakLinear } from '../loudness/truePeak.ts';
import { powerSpectrum } from '../spectral/powerSpectrum.ts';
import { ALL_FRAMES_READ, type ChunkStatsShared, claimTruePeaks, ProgrammeOffThread, streamable, waitForChunkStats, waitForFrames } from './programmeOffThread.ts';
import { mulberry32 } from './seededNoise.ts';

/**
 * The parts of ProgrammeOffThread that either thread runs, tested on this thread (no worker): a mutation run can judge
 * them here, while the worker-thread tests run the worker's copy unmutated.
 */
function noise(frames: number, seed: number, peakAt?: number): Float32Array {
  const next = mulberry32(seed);
  const x = Float32Array.from({ length: frames }, () => 0.2 * (next() - 0.5));
  if (peakAt !== undefined) x[peakAt] = 0.9;
  return x;
}

const statsOf = (channels: Float32Array[], ready: number): ChunkStatsShared => {
  const s: ChunkStatsShared = {
    channels: channels.map((c) => ({ m: new Float64Array(truePeakChunks(c.length)), d: new Float64Array(truePeakChunks(c.length)) })),
    ready: new Int32Array(new SharedArrayBuffer(4)),
  };
  s.ready[0] = ready;
  return s;
};

describe('claimTruePeaks', () => {
  // Peaks in the first, the last and a middle chunk: 8 parts per channel tile its chunks.
  const channels = [noise(30_000, 1, 10), noise(30_000, 2, 29_990), noise(7_777, 3, 4000)];
  const whole = channels.map((c) => truePeakLinear(c));

  it('claims every part from the counter on: the largest of a channel’s parts is its whole true peak, to the bit', () => {
    const into: (number | null)[] = [null, null, null];
    const nextPart = new Int32Array(1);
    claimTruePeaks(channels, nextPart, undefined, into);
    expect(into).toEqual(whole);
    expect(nextPart[0]).toBe(3 * 8 + 1); // every part claimed, and the one claim that found none left
  });

  it('leaves the parts another thread claimed (the counter already past them) to it', () => {
    const into: (number | null)[] = [null, null, null];
    claimTruePeaks(channels, Int32Array.of(8), undefined, into); // channel 1's first part on
    expect(into).toEqual([null, whole[1], whole[2]]);

    const none: (number | null)[] = [null, null, null];
    claimTruePeaks(channels, Int32Array.of(24), undefined, none);
    expect(none).toEqual([null, null, null]);
  });

  it('keeps the larger of what a channel held and its parts’ peaks', () => {
    const into: (number | null)[] = [5, 0.01, null];
    claimTruePeaks(channels, new Int32Array(1), undefined, into);
    expect(into).toEqual([5, whole[1], whole[2]]);
  });

  it('measures a channel too short to cut into 8 parts (1 chunk) once, in its last part', () => {
    const short = [noise(100, 4, 50)];
    const into: (number | null)[] = [null];
    claimTruePeaks(short, new Int32Array(1), undefined, into);
    expect(into).toEqual([truePeakLinear(short[0])]);
  });

  it('uses the chunk statistics once published, and computes its own when told there are none', () => {
    const published = statsOf(channels, 1); // published but all zero: the searches would find nothing above 0
    const into: (number | null)[] = [null, null, null];
    claimTruePeaks(channels, new Int32Array(1), undefined, into, published);
    expect(into.every((p) => p !== null && p < whole[0])).toBe(true);

    const own: (number | null)[] = [null, null, null];
    claimTruePeaks(channels, new Int32Array(1), undefined, own, statsOf(channels, -1));
    expect(own).toEqual(whole);
  });
});

describe('waitForChunkStats and waitForFrames (nothing to wait for)', () => {
  it('gives the statistics when published (1), none when not (−1)', () => {
    const s = statsOf([noise(10, 1)], 1);
    expect(waitForChunkStats(s)).toBe(s.channels);
    expect(waitForChunkStats(statsOf([noise(10, 1)], -1))).toBeUndefined();
  });

  it('returns at once when every frame is read or enough are', () => {
    waitForFrames(Int32Array.of(ALL_FRAMES_READ), 1_000_000);
    waitForFrames(Int32Array.of(500), 500);
    waitForFrames(Int32Array.of(501), 500);
  });

  it('waitForFrames blocks until framesRead says the frames asked for hold data, past a count that is still short', async () => {
    // Another thread fills: 400 frames after ~30 ms, then 1000 after ~30 ms more (each stored and notified, as readWav's
    // onStart does). Asked for 1000, the wait must return only after the second store.
    const framesRead = new Int32Array(new SharedArrayBuffer(4));
    const writer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const f = new Int32Array(workerData);
       setTimeout(() => { Atomics.store(f, 0, 400); Atomics.notify(f, 0);
         setTimeout(() => { Atomics.store(f, 0, 1000); Atomics.notify(f, 0); }, 30); }, 30);`,
      { eval: true, workerData: framesRead.buffer },
    );
    await once(writer, 'online'); // its timers then run whatever this thread does
    waitForFrames(framesRead, 1000);
    expect(Atomics.load(framesRead, 0)).toBe(1000);
    await once(writer, 'exit');
  });
});

describe('ProgrammeOffThread without a worker', () => {
  const shared = (x: Float32Array): Float32Array => {
    const c = new Float32Array(new SharedArrayBuffer(x.byteLength));
    c.set(x);
    return c;
  };

  it('starts none for fewer samples than a worker saves (4.8 M), and then computes here, or refuses when one is required', async () => {
    const offThread = ProgrammeOffThread.start({ maxSamples: 4_799_999 });
    expect(await offThread.ready()).toBe(false);
    const channels = [shared(noise(5000, 8, 100))];
    await expect(offThread.analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true })).rejects.toThrow('the analysis worker could not start');

    const figures = await ProgrammeOffThread.start({ maxSamples: 10 }).analyse(channels, 48000, () => 'meanwhile', { minSamples: 0 });
    expect(figures.meanwhile).toBe('meanwhile');
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
    expect(figures.spectrum.power).toEqual(powerSpectrum(channels, 48000).power);
  });

  it('computes here, even when a worker is required, for channels of which one is on an ordinary buffer', async () => {
    const channels = [shared(noise(5000, 9)), noise(5000, 10, 7)];
    const figures = await ProgrammeOffThread.start({ maxSamples: 10 }).analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true });
    expect(figures.truePeaksLinear).toEqual(channels.map((c) => truePeakLinear(c)));
  });
});

describe('streamable', () => {
  // framesRead is an Int32Array: a first channel longer than 2³¹ − 1 frames (8 GB) cannot be followed while it is read.
  // The channels are stand-ins with only a length and a buffer (all streamable reads): no test can allocate 8 GB.
  const channel = (length: number, buffer: ArrayBufferLike = new SharedArrayBuffer(0)): Pick<Float32Array, 'length' | 'buffer'> => ({ length, buffer });
  const cases: [string, Pick<Float32Array, 'length' | 'buffer'>[], number, boolean][] = [
    ['2³¹ − 1 frames, being read', [channel(2 ** 31 - 1)], 0, true],
    ['2³¹ frames, being read: left to analyse()', [channel(2 ** 31)], 1000, false],
    ['2³¹ frames, all read', [channel(2 ** 31)], ALL_FRAMES_READ, true],
    ['a short first channel before a long one, being read', [channel(1000), channel(2 ** 31)], 0, true],
    ['no channels', [], 0, true],
    ['a channel on an ordinary buffer', [channel(1000), channel(1000, new ArrayBuffer(0))], ALL_FRAMES_READ, false],
  ];
  for (const [what, channels, framesRead0, expected] of cases) {
    it(`says ${expected} for ${what}`, () => {
      expect(streamable(channels, 0, framesRead0)).toBe(expected);
    });
  }
});
