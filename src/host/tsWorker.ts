import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { currentWorkerBundle } from './workerBundle.ts';

let tsxApiUrl: string | undefined;

/**
 * A worker_threads Worker running a TypeScript module: from its bundle when that is current
 * (workerBundle.ts), else through tsx's API — a worker inherits neither tsx's loader nor vitest's
 * transform, so it imports tsx first and lets it load `moduleUrl` (and the bundle is built meanwhile).
 * `workerData` is structured-cloned; SharedArrayBuffers (and typed arrays over them) stay shared.
 */
export function startTsWorker(moduleUrl: URL, workerData: unknown): Worker {
  const bundle = currentWorkerBundle(moduleUrl);
  if (bundle) return new Worker(bundle, { workerData });
  if (!tsxApiUrl) {
    const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
    const exported = JSON.parse(readFileSync(tsxPackage, 'utf8')).exports['./esm/api'].import.default as string;
    tsxApiUrl = pathToFileURL(join(dirname(tsxPackage), exported)).href;
  }
  const url = JSON.stringify(moduleUrl.href);
  return new Worker(`import(${JSON.stringify(tsxApiUrl)}).then((api) => api.tsImport(${url}, ${url}))`, { eval: true, workerData });
}
