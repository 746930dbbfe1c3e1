/**
 * Builds the live host's worker bundles ahead (src/host/workerBundle.ts): the render worker
 * (hostWorker.ts) and the metrics worker (metricsWorker.ts), so `rig serve` and the HIL start them from
 * one prebuilt module each, without tsx's loader thread and on-the-fly transform in the real-time
 * worker's process — not only after the test suite happened to leave them current. A bundle whose
 * sources change later is stale and not used (the worker then starts from the sources).
 *
 * Usage: node --import tsx scripts/build-worker-bundles.ts (part of `npm run build` and `prepare`).
 */
import { fileURLToPath } from 'node:url';
import { buildWorkerBundle, workerBundleFile } from '../src/host/workerBundle.ts';

const MODULES = ['../src/host/hostWorker.ts', '../src/host/metricsWorker.ts'];

for (const m of MODULES) {
  const path = fileURLToPath(new URL(m, import.meta.url));
  const file = workerBundleFile(path);
  if (file === null) {
    console.warn(`build-worker-bundles: no node_modules/.cache to write ${path}'s bundle into; workers start from the sources`);
    continue;
  }
  await buildWorkerBundle(path, file);
}
