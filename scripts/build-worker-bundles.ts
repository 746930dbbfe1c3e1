/**
 * Builds every worker module of WORKER_MODULES ahead (src/host/workerBundle.ts): the live host's render
 * worker (hostWorker.ts) and metrics worker (metricsWorker.ts) and the bridge's instance worker
 * (instanceWorker.ts), into dist/workers/, so `rig serve`, the HIL and `rig bridge` start them from one
 * prebuilt module each, without tsx's loader thread and on-the-fly transform. A bundle whose sources
 * change later is stale: the host's workers then start from the sources, the bridge rebuilds it.
 *
 * Usage: node --import tsx scripts/build-worker-bundles.ts (part of `npm run build` and `prepare`).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_MODULES, buildWorkerBundle, workerBundleFile } from '../src/host/workerBundle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const module of Object.keys(WORKER_MODULES)) {
  const path = join(root, module);
  await buildWorkerBundle(path, workerBundleFile(path));
}
