import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startTsWorker } from '../host/tsWorker.ts';
import { ensureWorkerBundle } from '../host/workerBundle.ts';

/** How the last instance worker was started: its bundle, or the sources through tsx and why. */
export type WorkerSource = { kind: 'bundle'; file: string; rebuilt?: string } | { kind: 'sources'; reason: string };

const INSTANCE_WORKER = new URL('./instanceWorker.ts', import.meta.url);

/**
 * The instance worker's module: its bundle in dist/workers/ (src/host/workerBundle.ts) when it is
 * current — checked at every call (~1 ms of stat calls), rebuilt first when a source changed since or
 * it is missing (once, however many loads wait for it) — or, when the bundle cannot be built here (a
 * read-only install, no esbuild), the TypeScript sources through tsx (~2 s to start instead of ~0.2 s).
 * `dir`: another bundle folder (tests).
 */
export async function instanceWorkerSource(dir?: string): Promise<WorkerSource> {
  try {
    const { file, rebuilt } = await ensureWorkerBundle(fileURLToPath(INSTANCE_WORKER), dir);
    return rebuilt === undefined ? { kind: 'bundle', file } : { kind: 'bundle', file, rebuilt };
  } catch (err) {
    return { kind: 'sources', reason: (err as Error).message };
  }
}

/** Starts an instance worker from `source` (instanceWorkerSource). */
export function startInstanceWorker(source: WorkerSource, workerData: unknown): Worker {
  if (source.kind === 'bundle') return new Worker(source.file, { workerData });
  return startTsWorker(INSTANCE_WORKER, workerData);
}
