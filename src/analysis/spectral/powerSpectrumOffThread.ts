import { Worker } from 'node:worker_threads';
import { type PowerSpectrum, powerSpectrum } from './powerSpectrum.ts';

/** Below this many samples (all channels) a worker's start-up (~50 ms) costs more than it saves. */
const MIN_SAMPLES_FOR_WORKER = 4_800_000;

/** Set by bin/rig.js to the URL of the built CLI's directory when it runs the bundle (its powerSpectrumWorker.js). */
export const BUNDLE_URL_KEY = Symbol.for('studio-rig.cliBundleUrl');

/**
 * `powerSpectrum(channels, sampleRate)` — the same function, so the same bits — on a worker thread, so
 * the caller can measure loudness and levels meanwhile (the Welch spectrum of a 10-minute stereo file
 * is ~40 % of `rig analyze`'s work). The channels must sit on SharedArrayBuffers (readWav's do): the
 * worker reads them in place, nothing is copied. Short signals, channels on ordinary buffers, or a
 * worker that cannot start are computed on this thread instead (`requireWorker` makes the last an error).
 */
export async function powerSpectrumOffThread(
  channels: Float32Array[],
  sampleRate: number,
  { minSamples = MIN_SAMPLES_FOR_WORKER, requireWorker = false }: { minSamples?: number; requireWorker?: boolean } = {},
): Promise<PowerSpectrum> {
  const samples = channels.reduce((sum, c) => sum + c.length, 0);
  const shared = channels.every((c) => c.buffer instanceof SharedArrayBuffer);
  if (!shared || samples < minSamples) return powerSpectrum(channels, sampleRate);
  try {
    return await new Promise<PowerSpectrum>((resolve, reject) => {
      const worker = spawnWorker({ channels, sampleRate });
      worker.once('message', (spectrum: PowerSpectrum) => resolve(spectrum));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the spectrum worker exited with code ${code}`)));
    });
  } catch (e) {
    if (requireWorker) throw e;
    return powerSpectrum(channels, sampleRate);
  }
}

function spawnWorker(workerData: { channels: Float32Array[]; sampleRate: number }): Worker {
  const bundleUrl = (globalThis as Record<symbol, string | undefined>)[BUNDLE_URL_KEY];
  if (bundleUrl) return new Worker(new URL('powerSpectrumWorker.js', bundleUrl), { workerData });
  // From the TypeScript sources: the worker loads its module through tsx (a worker has no loader of its own).
  const source = new URL('./powerSpectrumWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, { eval: true, workerData });
}
