import { Worker } from 'node:worker_threads';
import { KWeightingPair } from '../loudness/kWeightingSimd.ts';
import { type TruePeakSteps, truePeakChunks, truePeakLinear } from '../loudness/truePeak.ts';
import type { ChannelLevelSums } from './levelMetrics.ts';
import { TruePeakSimd } from '../loudness/truePeakSimd.ts';
import { type PowerSpectrum, powerSpectrum } from '../spectral/powerSpectrum.ts';

/** Below this many samples (all channels) a worker's start-up (~50 ms) costs more than it saves. */
const MIN_SAMPLES_FOR_WORKER = 4_800_000;

/** Set by bin/rig.js to the URL of the built CLI's directory when it runs the bundle (its programmeWorker.js). */
export const BUNDLE_URL_KEY = Symbol.for('studio-rig.cliBundleUrl');

/** What the worker is asked: channels on SharedArrayBuffers (read in place, never copied). */
export interface OffThreadRequest {
  channels: Float32Array[];
  sampleRate: number;
  /** framesRead[0]: how many frames of the channels hold data yet, or ALL_FRAMES_READ (see waitForFrames). */
  framesRead: Int32Array;
  /** nextPart[0]: the next part of the true-peak searches no thread has claimed yet (Atomics.add claims it). */
  nextPart: Int32Array;
  /** Every chunk's true-peak statistics per channel, filled by the calling thread's level pass (see ChunkStatsShared). */
  chunkStats: ChunkStatsShared;
}

/**
 * The true-peak searches' chunk statistics (truePeakLinear's m and d of every chunk) on SharedArrayBuffers:
 * the calling thread computes them in its level pass (levelsAndChunkStats) and sets ready[0] to 1, or to −1
 * when it did not (then each search computes its own); a search waits until ready[0] is not 0.
 */
export interface ChunkStatsShared {
  channels: { m: Float64Array; d: Float64Array }[];
  ready: Int32Array;
}

function sharedChunkStats(channels: Float32Array[]): ChunkStatsShared {
  const f64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * n));
  return { channels: channels.map((c) => ({ m: f64(truePeakChunks(c.length)), d: f64(truePeakChunks(c.length)) })), ready: new Int32Array(new SharedArrayBuffer(4)) };
}

function publishChunkStats(stats: ChunkStatsShared, state: 1 | -1): void {
  if (Atomics.compareExchange(stats.ready, 0, 0, state) === 0) Atomics.notify(stats.ready, 0);
}

/** The chunk statistics once the calling thread has published them, or undefined when it will not. */
export function waitForChunkStats(stats: ChunkStatsShared): ChunkStatsShared['channels'] | undefined {
  Atomics.wait(stats.ready, 0, 0);
  return Atomics.load(stats.ready, 0) === 1 ? stats.channels : undefined;
}

/** What it posts first, as soon as it has compiled them: the caller's WebAssembly modules (kWeightingSimd.ts, truePeakSimd.ts). */
export interface WorkerKernels {
  kind: 'kernels';
  truePeak: object;
  kWeighting: object;
}

/** What it answers: powerSpectrum(channels, sampleRate), and per channel the largest true peak of the parts it claimed (null: none). */
export interface WorkerAnswer {
  kind: 'figures';
  spectrum: PowerSpectrum;
  truePeaksLinear: (number | null)[];
}

/** The calling thread's kernels, built from the worker's modules; absent when there are none (then JavaScript: same bits). */
export interface CallerKernels {
  kWeightingPair?: KWeightingPair;
  truePeakSteps?: TruePeakSteps;
  /**
   * levelMetricsPerChannel's sums of every channel (first to last: ChannelLevelSums) in one WebAssembly pass
   * that also computes the true-peak searches' chunk statistics for both threads. Call it first thing.
   */
  levelSums?: () => ChannelLevelSums[];
}

/** powerSpectrum(channels, sampleRate) and truePeakLinear of every channel. */
export interface OffThreadFigures {
  spectrum: PowerSpectrum;
  truePeaksLinear: number[];
}

/** Parts each channel's true-peak search is cut into, so that the two threads finish together. */
const TRUE_PEAK_PARTS_PER_CHANNEL = 8;

/**
 * Measures the parts of the true-peak searches this thread claims, one claim at a time, until every
 * part is claimed: the worker claims after its spectrum, the calling thread after its own work, so
 * whichever is free first takes the next part. A part is a range of one channel's chunks
 * (truePeakLinear's `chunks`); each channel's true peak is the largest of its parts, whoever measured
 * them. `into[c]` receives the largest of the parts of channel c measured here (null: none). With
 * `chunkStats`, a thread waits for the calling thread's level pass to publish them before its first part.
 */
export function claimTruePeaks(
  channels: Float32Array[],
  nextPart: Int32Array,
  steps: TruePeakSteps | undefined,
  into: (number | null)[],
  chunkStats?: ChunkStatsShared,
): void {
  const parts = channels.length * TRUE_PEAK_PARTS_PER_CHANNEL;
  let stats: ChunkStatsShared['channels'] | undefined;
  let waited = false;
  for (let p = Atomics.add(nextPart, 0, 1); p < parts; p = Atomics.add(nextPart, 0, 1)) {
    if (!waited) {
      stats = chunkStats && waitForChunkStats(chunkStats);
      waited = true;
    }
    const c = Math.floor(p / TRUE_PEAK_PARTS_PER_CHANNEL), part = p % TRUE_PEAK_PARTS_PER_CHANNEL;
    const chunks = truePeakChunks(channels[c].length);
    const range = [Math.floor((part * chunks) / TRUE_PEAK_PARTS_PER_CHANNEL), Math.floor(((part + 1) * chunks) / TRUE_PEAK_PARTS_PER_CHANNEL)] as const;
    if (range[1] > range[0]) into[c] = Math.max(into[c] ?? 0, truePeakLinear(channels[c], steps, range, stats?.[c]));
  }
}

/**
 * The spectrum and the true peaks of programme material — about two thirds of `rig analyze`'s work on a
 * long file — on a worker thread, so the caller measures levels and loudness meanwhile. `start()`
 * launches the worker at once: it loads and compiles its WebAssembly kernels while the caller reads
 * the file. The caller's first step (CallerKernels.levelSums) sums the levels and computes every
 * chunk's true-peak statistics in one WebAssembly pass, which both threads' true-peak parts then share.
 * The figures are the same to the last bit wherever they are computed (the worker's kernels
 * are checked against powerSpectrum and truePeakLinear). Short signals, channels on ordinary buffers,
 * or a worker that fails are computed on this thread (`requireWorker` makes the last an error).
 */
export class ProgrammeOffThread {
  /** The worker's modules, or undefined once it has failed (or when there is none). */
  private readonly modules: Promise<WorkerKernels | undefined>;

  /** The request handed to the worker (by stream() or analyse()), with its answer to come. */
  private request: { channels: Float32Array[]; answer: Promise<WorkerAnswer>; nextPart: Int32Array; chunkStats: ChunkStatsShared } | undefined;

  /** The worker has failed or exited (its 'error' or 'exit' came): a request posted now would never be answered. */
  private gone = false;

  private constructor(private worker: Worker | undefined) {
    this.modules = new Promise((resolve) => {
      if (!worker) return resolve(undefined);
      worker.on('message', (m: WorkerKernels | WorkerAnswer) => {
        if (m.kind === 'kernels') resolve(m);
      });
      const gone = (): void => {
        this.gone = true;
        resolve(undefined);
      };
      worker.once('error', gone);
      worker.once('exit', gone);
    });
  }

  /**
   * Starts the worker (unreferenced until asked: an unused one never keeps the process alive), unless
   * `maxSamples` — a bound on the samples to come, e.g. the file's size in bytes — says it would not be used.
   */
  static start({ maxSamples = Number.POSITIVE_INFINITY }: { maxSamples?: number } = {}): ProgrammeOffThread {
    if (maxSamples < MIN_SAMPLES_FOR_WORKER) return new ProgrammeOffThread(undefined);
    let worker: Worker | undefined;
    try {
      worker = spawnWorker();
      worker.unref();
      worker.on('error', () => {}); // reported through analyse(); an unused worker's failure is no one's business
    } catch {
      worker = undefined;
    }
    return new ProgrammeOffThread(worker);
  }

  /** Resolves once the worker has compiled its kernels and waits for work (true), or has failed or is absent (false). */
  async ready(): Promise<boolean> {
    return (await this.modules) !== undefined;
  }

  /**
   * This thread's kernels from the modules the worker posts (it compiles them while this thread reads
   * the file, so they are usually there already; waiting for them beats K-weighting and true peaks in
   * JavaScript at half the speed). A worker that failed leaves JavaScript.
   */
  private async callerKernels(sampleRate: number): Promise<CallerKernels> {
    const modules = await this.modules;
    if (!modules) return {};
    return { kWeightingPair: new KWeightingPair(modules.kWeighting, sampleRate), truePeakSteps: new TruePeakSimd(modules.truePeak) };
  }

  /**
   * Hands the channels to the worker before they are filled: `framesRead[0]` (updated with Atomics.store
   * and Atomics.notify, as readWav's `onStart` does) says how many frames hold data, and the worker
   * starts the spectrum on those while this thread reads on. Without this call analyse() hands them over
   * complete. Channels too short or not on SharedArrayBuffers are left to analyse().
   */
  stream(channels: Float32Array[], sampleRate: number, framesRead: Int32Array, { minSamples = MIN_SAMPLES_FOR_WORKER }: { minSamples?: number } = {}): void {
    const worker = this.worker;
    if (!worker || this.gone || this.request || !streamable(channels, minSamples, framesRead[0])) return;
    const nextPart = new Int32Array(new SharedArrayBuffer(4));
    const chunkStats = sharedChunkStats(channels);
    worker.ref();
    const answer = new Promise<WorkerAnswer>((resolve, reject) => {
      worker.on('message', (m: WorkerKernels | WorkerAnswer) => {
        if (m.kind === 'figures') resolve(m);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the analysis worker exited with code ${code}`)));
      worker.postMessage({ channels, sampleRate, framesRead, nextPart, chunkStats } satisfies OffThreadRequest);
    });
    answer.catch(() => {}); // awaited by analyse(), unless the caller gives up first (close())
    this.request = { channels, answer, nextPart, chunkStats };
  }

  /**
   * The spectrum and every channel's true peak, with `meanwhile()` run on this thread while the worker
   * computes (its result is returned beside them); this thread then helps with the true peaks.
   */
  async analyse<T>(
    channels: Float32Array[],
    sampleRate: number,
    meanwhile: (kernels: CallerKernels) => T,
    {
      minSamples = MIN_SAMPLES_FOR_WORKER,
      requireWorker = false,
      helpWithTruePeaks = true,
    }: { minSamples?: number; requireWorker?: boolean; /** false leaves every true peak to the worker. */ helpWithTruePeaks?: boolean } = {},
  ): Promise<OffThreadFigures & { meanwhile: T }> {
    if (!this.request) this.stream(channels, sampleRate, allFramesRead(), { minSamples });
    const worker = this.worker;
    const request = this.request;
    this.worker = undefined;
    this.request = undefined;
    if (!worker || !request || request.channels !== channels) {
      void worker?.terminate();
      if (requireWorker && channels.every((c) => c.buffer instanceof SharedArrayBuffer)) throw new Error('the analysis worker could not start');
      return { ...here(channels, sampleRate), meanwhile: meanwhile({}) };
    }
    try {
      const kernels = await this.callerKernels(sampleRate);
      const steps = kernels.truePeakSteps;
      const stats = request.chunkStats;
      const levelSums = steps && (() => {
        let overall: number | undefined;
        const sums = channels.map((c, i) => {
          const s = steps.levelsAndChunkStats(c, overall, stats.channels[i].m, stats.channels[i].d);
          overall = s.overallSumSquares;
          return s;
        });
        publishChunkStats(stats, 1);
        return sums;
      });
      let result: T;
      try {
        result = meanwhile({ ...kernels, levelSums });
      } finally {
        publishChunkStats(stats, -1); // unless published: the searches compute their own
      }
      const mine: (number | null)[] = channels.map(() => null);
      if (helpWithTruePeaks) claimTruePeaks(channels, request.nextPart, steps, mine, stats);
      let theirs: WorkerAnswer;
      try {
        theirs = await request.answer;
      } catch (e) {
        if (requireWorker) throw e;
        return { ...here(channels, sampleRate), meanwhile: result };
      }
      const truePeaksLinear = mine.map((p, c) => Math.max(p ?? 0, theirs.truePeaksLinear[c] ?? 0));
      return { spectrum: theirs.spectrum, truePeaksLinear, meanwhile: result };
    } finally {
      worker.unref();
    }
  }

  /** Stops a worker that will not be asked, or whose answer is no longer wanted (e.g. the file could not be read). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.request = undefined;
  }
}

/** The largest frame count framesRead can hold; a longer signal is handed over complete. */
const FRAMES_READ_MAX = 2 ** 31 - 1;

/** framesRead[0] of channels handed over complete. */
export const ALL_FRAMES_READ = -1;

function allFramesRead(): Int32Array {
  const framesRead = new Int32Array(new SharedArrayBuffer(4));
  framesRead[0] = ALL_FRAMES_READ;
  return framesRead;
}

/** Blocks (Atomics.wait) until framesRead[0] says frames [0, end) hold data. */
export function waitForFrames(framesRead: Int32Array, end: number): void {
  for (let read = Atomics.load(framesRead, 0); read !== ALL_FRAMES_READ && read < end; read = Atomics.load(framesRead, 0)) Atomics.wait(framesRead, 0, read);
}

function worthAWorker(channels: readonly Pick<Float32Array, 'length' | 'buffer'>[], minSamples: number): boolean {
  const samples = channels.reduce((sum, c) => sum + c.length, 0);
  return samples >= minSamples && channels.every((c) => c.buffer instanceof SharedArrayBuffer);
}

/**
 * Whether stream() hands `channels` to the worker while they are read, framesRead[0] being `framesRead0`: worth a
 * worker, and a first channel framesRead can count (at most FRAMES_READ_MAX frames, 8 GB; a longer one is handed
 * over complete by analyse(), whose framesRead says ALL_FRAMES_READ). Exported for its test, which gives it lengths
 * no test could allocate (it reads only each channel's length and buffer).
 */
export function streamable(channels: readonly Pick<Float32Array, 'length' | 'buffer'>[], minSamples: number, framesRead0: number): boolean {
  return worthAWorker(channels, minSamples) && ((channels[0]?.length ?? 0) <= FRAMES_READ_MAX || framesRead0 === ALL_FRAMES_READ);
}

function here(channels: Float32Array[], sampleRate: number): OffThreadFigures {
  return { spectrum: powerSpectrum(channels, sampleRate), truePeaksLinear: channels.map((c) => truePeakLinear(c)) };
}

function spawnWorker(): Worker {
  const bundleUrl = (globalThis as Record<symbol, string | undefined>)[BUNDLE_URL_KEY];
  if (bundleUrl) return new Worker(new URL('programmeWorker.js', bundleUrl), { workerData: { bundleUrl } });
  // From the TypeScript sources: the worker loads its module through tsx (a worker has no loader of its own).
  const source = new URL('./programmeWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, { eval: true });
}
