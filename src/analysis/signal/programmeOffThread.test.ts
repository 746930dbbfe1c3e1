import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { truePeakLinear } from '../loudness/truePeak.ts';
import { powerSpectrum } from '../spectral/powerSpectrum.ts';
import { channelLevelSums } from './levelMetrics.ts';
import { ALL_FRAMES_READ, BUNDLE_URL_KEY, ProgrammeOffThread } from './programmeOffThread.ts';
import { mulberry32 } from './seededNoise.ts';

/** Seeded noise plus a tone per channel, on a SharedArrayBuffer as readWav gives it. */
function sharedChannel(frames: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const x = new Float32Array(new SharedArrayBuffer(4 * frames));
  for (let i = 0; i < frames; i++) x[i] = 0.3 * Math.sin(0.05 * seed * i) + 0.1 * (next() - 0.5);
  return x;
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

/**
 * ProgrammeOffThread.start() with its worker from the built CLI (dist/cli, current in every test run: vitest's
 * global setup builds it when it is not), as `rig analyze` starts it: the worker is that build's
 * programmeWorker.js with its prebuilt kernels, ~0.16 s of CPU a start instead of ~0.43 s through tsx and wabt
 * (5 starts each way, load 7). The tests of this thread's side of the protocol use it; the first two, the worker
 * from the TypeScript sources (the path a program run from the sources takes).
 */
const CLI_BUNDLE_URL = pathToFileURL(join(import.meta.dirname, '../../../dist/cli/')).href;
function startFromCliBundle(): ProgrammeOffThread {
  const global = globalThis as Record<symbol, string | undefined>;
  const was = global[BUNDLE_URL_KEY];
  global[BUNDLE_URL_KEY] = CLI_BUNDLE_URL;
  try {
    return ProgrammeOffThread.start();
  } finally {
    if (was === undefined) delete global[BUNDLE_URL_KEY];
    else global[BUNDLE_URL_KEY] = was;
  }
}

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

  it('gives the worker the chunk statistics of this thread’s level pass: its true peaks and the level sums to the last bit', async () => {
    const channels = [sharedChannel(50_001, 6), sharedChannel(50_001, 7)];

    const figures = await startFromCliBundle().analyse(channels, 48000, ({ levelSums }) => levelSums?.(), {
      minSamples: 0,
      requireWorker: true,
      helpWithTruePeaks: false, // every part on the worker, which waits for the statistics
    });

    expect(figures.meanwhile).toStrictEqual([channelLevelSums(channels[0], undefined), channelLevelSums(channels[1], channelLevelSums(channels[0], undefined).overallSumSquares)]);
    expect(figures.truePeaksLinear).toEqual(channels.map((c) => truePeakLinear(c)));
  });

  it('follows channels being filled (stream): the spectrum waits for the frames it reads', async () => {
    const full = [sharedChannel(60_000, 4), sharedChannel(60_000, 5)];
    const channels = full.map((c) => new Float32Array(new SharedArrayBuffer(c.byteLength)));
    const framesRead = new Int32Array(new SharedArrayBuffer(4));
    const offThread = startFromCliBundle();
    expect(await offThread.ready()).toBe(true);

    offThread.stream(channels, 48000, framesRead, { minSamples: 0 });
    for (let f = 0; f < 60_000; f += 5000) {
      await new Promise((resolve) => setTimeout(resolve, 5)); // the worker runs ahead of the data if it does not wait
      channels.forEach((c, i) => c.set(full[i].subarray(f, f + 5000), f));
      Atomics.store(framesRead, 0, f + 5000);
      Atomics.notify(framesRead, 0);
    }
    const figures = await offThread.analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true, helpWithTruePeaks: false });

    expect(sameBits(figures.spectrum.power, powerSpectrum(full, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual(full.map((c) => truePeakLinear(c)));
  });

  it('computes on this thread for channels on ordinary buffers, which a worker could only copy', async () => {
    const channels = [Float32Array.from(sharedChannel(10_000, 3))];
    const figures = await startFromCliBundle().analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true });
    expect(sameBits(figures.spectrum.power, powerSpectrum(channels, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
  });

  it('leaves to analyse() channels handed to stream() before they are filled when one is on an ordinary buffer (a worker would measure a copy of what it held then)', async () => {
    // stream()'s doc: channels not on SharedArrayBuffers are left to analyse(). Streamed, the ordinary one would reach
    // the worker as a copy of its zeros, while the shared one is read as it fills.
    const full = [sharedChannel(20_000, 8), sharedChannel(20_000, 9)];
    const channels = [new Float32Array(new SharedArrayBuffer(full[0].byteLength)), new Float32Array(full[1].length)];
    const framesRead = new Int32Array(new SharedArrayBuffer(4));
    const offThread = startFromCliBundle();
    expect(await offThread.ready()).toBe(true);

    offThread.stream(channels, 48000, framesRead, { minSamples: 0 });
    channels.forEach((c, i) => c.set(full[i]));
    Atomics.store(framesRead, 0, full[0].length);
    Atomics.notify(framesRead, 0);
    const figures = await offThread.analyse(channels, 48000, () => 0, { minSamples: 0 });

    expect(sameBits(figures.spectrum.power, powerSpectrum(full, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual(full.map((c) => truePeakLinear(c)));
  });
  it('gives powerSpectrum’s figures for no channels, and no true peaks, whichever thread computes them', async () => {
    // The figures are the same wherever they are computed, for any set of channels: with minSamples 0 even none goes to the worker.
    const figures = await startFromCliBundle().analyse([], 48000, () => 0, { minSamples: 0, requireWorker: true });
    expect(sameBits(figures.spectrum.power, powerSpectrum([], 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual([]);
  });

  it('measures the channels analyse() is given, not those streamed before', async () => {
    const streamed = [sharedChannel(20_000, 12)];
    const given = [sharedChannel(20_000, 13)];
    const offThread = startFromCliBundle();
    offThread.stream(streamed, 48000, Int32Array.of(ALL_FRAMES_READ), { minSamples: 0 });
    const figures = await offThread.analyse(given, 48000, () => 0, { minSamples: 0 });
    expect(sameBits(figures.spectrum.power, powerSpectrum(given, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(given[0])]);
  });

  it('reads ready() as false, and computes here, once close() stopped the worker before it compiled its kernels', async () => {
    // ready()'s doc: false when the worker has failed or is absent, so a stopped one must settle it (not leave it
    // waiting for kernels that never come); and a closed ProgrammeOffThread has no worker to hand work to.
    const offThread = startFromCliBundle();
    offThread.close();
    expect(await offThread.ready()).toBe(false);
    const channels = [sharedChannel(20_000, 10)];
    await expect(offThread.analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true })).rejects.toThrow('the analysis worker could not start');
    const figures = await offThread.analyse(channels, 48000, () => 0, { minSamples: 0 });
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
  }, 10_000);

  it('refuses a request made when its worker’s error comes, before its exit: rejected as could not start when one is required', async () => {
    // Node ends a worker after its uncaught error and emits 'exit' after 'error'. A request made at the 'error' (here
    // by a listener of the test's, registered after the instance's) must not be posted to the dying worker: it is
    // refused at once, as one made after the 'exit' (posted, its answer would wait for the 'exit' and fail as "exited").
    const global = globalThis as Record<symbol, string | undefined>;
    const channels = [sharedChannel(20_000, 14)];
    const unref = vi.spyOn(Worker.prototype, 'unref'); // start() unrefs its worker: the spy hands it to the test
    global[BUNDLE_URL_KEY] = 'file:///nonexistent-studio-rig-bundle/';
    const offThread = ProgrammeOffThread.start();
    delete global[BUNDLE_URL_KEY];
    const worker = unref.mock.contexts[0] as Worker;
    unref.mockRestore();
    expect(worker).toBeInstanceOf(Worker);

    const asked = await new Promise<Promise<unknown>>((resolve) => worker.once('error', () => resolve(Promise.allSettled([offThread.analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true })]))));

    expect(await asked).toMatchObject([{ status: 'rejected', reason: { message: 'the analysis worker could not start' } }]);
  }, 10_000);

  it('lets the process exit once analyse() has settled, though its worker still waits for frames no one will announce (meanwhile() threw)', async () => {
    // The worker is referenced while it works for analyse() (stream() refs it); one left waiting on channels whose
    // frames the caller never announces, its analyse() given up by a throwing meanwhile(), must not keep the process
    // alive: the last ref()/unref() on it is an unref().
    const ref = vi.spyOn(Worker.prototype, 'ref');
    const unref = vi.spyOn(Worker.prototype, 'unref');
    const channels = [new Float32Array(new SharedArrayBuffer(4 * 20_000))];
    const framesRead = new Int32Array(new SharedArrayBuffer(4)); // 0 frames read, and never more
    const offThread = startFromCliBundle();
    try {
      offThread.stream(channels, 48000, framesRead, { minSamples: 0 });
      await expect(offThread.analyse(channels, 48000, () => { throw new Error('meanwhile failed'); }, { minSamples: 0 })).rejects.toThrow('meanwhile failed');

      const worker = ref.mock.contexts[0];
      const lastOn = (spy: typeof ref): number => Math.max(-1, ...spy.mock.contexts.flatMap((w, i) => (w === worker ? [spy.mock.invocationCallOrder[i]] : [])));
      expect(worker).toBeInstanceOf(Worker);
      expect(lastOn(unref)).toBeGreaterThan(lastOn(ref));
    } finally {
      ref.mockRestore();
      unref.mockRestore();
      Atomics.store(framesRead, 0, ALL_FRAMES_READ); // the worker then finishes and exits
      Atomics.notify(framesRead, 0);
    }
  }, 10_000);

  it('computes here when the worker fails to load, or, when one is required, rejects with the worker’s own error; also when it failed before it was asked', async () => {
    // A bundle URL without programmeWorker.js: the worker starts, then fails (error, then exit), while the request is
    // out (required: asked at once) or before it is made (optional: asked after ready() said false; such a request was
    // posted to the dead worker and its answer awaited for ever).
    const global = globalThis as Record<symbol, string | undefined>;
    const channels = [sharedChannel(20_000, 11)];
    global[BUNDLE_URL_KEY] = 'file:///nonexistent-studio-rig-bundle/';
    const required = ProgrammeOffThread.start(); // start() never throws (a spawn that throws leaves no worker)
    const optionalNow = ProgrammeOffThread.start();
    const optional = ProgrammeOffThread.start();
    delete global[BUNDLE_URL_KEY];
    const asked = [required.analyse(channels, 48000, () => 0, { minSamples: 0, requireWorker: true }), optionalNow.analyse(channels, 48000, () => 0, { minSamples: 0 })];
    await expect(asked[0]).rejects.toThrow(/Cannot find module .*programmeWorker\.js/);
    expect((await asked[1]).truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
    expect(await optional.ready()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200)); // its 'exit' too has come by now (it follows 'error' within ms)
    const figures = await optional.analyse(channels, 48000, () => 'meanwhile', { minSamples: 0 });
    expect(figures.meanwhile).toBe('meanwhile');
    expect(sameBits(figures.spectrum.power, powerSpectrum(channels, 48000).power)).toBe(true);
    expect(figures.truePeaksLinear).toEqual([truePeakLinear(channels[0])]);
  }, 10_000);
});
