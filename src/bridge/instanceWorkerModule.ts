import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startTsWorker } from '../host/tsWorker.ts';
import { REPO_ROOT } from '../presets/workspace.ts';

interface BridgeWorkerBuild {
  DEFAULT_BRIDGE_WORKER_FILE: string;
  buildBridgeWorker(o?: { outFile?: string }): Promise<unknown>;
  bridgeWorkerState(o?: { outFile?: string }): Promise<string>;
}

/** How the last instance worker was started: its bundle, or the sources through tsx and why. */
export type WorkerSource = { kind: 'bundle'; file: string; rebuilt?: string } | { kind: 'sources'; reason: string };

let rebuilding: Promise<void> | undefined;

/**
 * The instance worker's module: dist/bridge/instanceWorker.js (scripts/build-bridge-worker.mjs) when it
 * is current — checked at every call (a few ms of stat calls, asynchronous), rebuilt first when a source
 * changed since (once, however many loads wait for it) — or, when the bundle cannot be built here (a
 * read-only install, no esbuild), the TypeScript sources through tsx (~2 s to start instead of ~0.2 s).
 */
export async function instanceWorkerSource(outFile?: string): Promise<WorkerSource> {
  let build: BridgeWorkerBuild;
  try {
    build = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'build-bridge-worker.mjs')).href)) as BridgeWorkerBuild;
  } catch (err) {
    return { kind: 'sources', reason: `scripts/build-bridge-worker.mjs could not be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
  const file = outFile ?? build.DEFAULT_BRIDGE_WORKER_FILE;
  const state = await build.bridgeWorkerState({ outFile: file });
  if (state === 'current') return { kind: 'bundle', file };
  try {
    rebuilding ??= build.buildBridgeWorker({ outFile: file }).then(() => undefined).finally(() => { rebuilding = undefined; });
    await rebuilding;
    return { kind: 'bundle', file, rebuilt: state };
  } catch (err) {
    return { kind: 'sources', reason: `the worker bundle is ${state} and could not be rebuilt: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Starts an instance worker from `source` (instanceWorkerSource). */
export function startInstanceWorker(source: WorkerSource, workerData: unknown): Worker {
  if (source.kind === 'bundle') return new Worker(pathToFileURL(source.file), { workerData });
  return startTsWorker(new URL('./instanceWorker.ts', import.meta.url), workerData);
}
