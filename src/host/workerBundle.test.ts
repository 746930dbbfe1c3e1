import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../presets/workspace.ts';
import { currentWorkerBundle, workerBundleState, workerBundlesBuilt } from './workerBundle.ts';

/**
 * A worker module in a folder of its own (it imports a project module by its absolute path, and names
 * its own location): bundled after the first ask, used while current, refused once an input changes.
 */
const root = mkdtempSync(join(tmpdir(), 'worker-bundle-'));
const bundles = join(root, 'bundles');
const moduleFile = join(root, 'answer.ts');
const portableMath = fileURLToPath(new URL('../dsp/portableMath.ts', import.meta.url));
writeFileSync(moduleFile, `import { parentPort, workerData } from 'node:worker_threads';
import { dbToGain } from ${JSON.stringify(portableMath)};
const gain: number = dbToGain(workerData.db);
parentPort!.postMessage({ gain, here: import.meta.url });
`);
const moduleUrl = pathToFileURL(moduleFile);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function answer(url: URL): Promise<{ gain: number; here: string }> {
  const worker = new Worker(url, { workerData: { db: -6 } });
  return new Promise<{ gain: number; here: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

describe('worker bundles', () => {
  it('builds none unless asked to (STUDIO_RIG_WORKER_BUNDLES=build), then one that is used while current', async () => {
    const was = process.env.STUDIO_RIG_WORKER_BUNDLES;
    try {
      delete process.env.STUDIO_RIG_WORKER_BUNDLES;
      expect(currentWorkerBundle(moduleUrl, bundles)).toBeUndefined();
      await workerBundlesBuilt();
      expect(currentWorkerBundle(moduleUrl, bundles)).toBeUndefined();

      process.env.STUDIO_RIG_WORKER_BUNDLES = 'build';
      expect(currentWorkerBundle(moduleUrl, bundles)).toBeUndefined(); // none yet: built in the background
      await workerBundlesBuilt();
      const bundle = currentWorkerBundle(moduleUrl, bundles);
      expect(bundle?.href).toMatch(/\/bundles\/answer-[0-9a-f]{12}\.mjs$/);
      const stamp = JSON.parse(readFileSync(bundle!, 'utf8').split('\n')[0].replace('// stamp: ', '')) as { inputs: string[]; newestInputMtimeMs: number };
      const projectPath = (f: string) => relative(REPO_ROOT, f).split(sep).join('/');
      expect(stamp.inputs).toEqual(expect.arrayContaining([projectPath(moduleFile), 'src/dsp/portableMath.ts', 'src/host/workerBundle.ts']));

      // The bundle does what the module does, and the module still knows where it lives.
      expect(await answer(bundle!)).toEqual({ gain: expect.closeTo(0.501187, 6), here: moduleUrl.href });

      // An input changed since the build: not used (and rebuilt for the next start).
      const later = new Date(stamp.newestInputMtimeMs + 1);
      utimesSync(moduleFile, later, later);
      expect(workerBundleState(fileURLToPath(bundle!))).toBe(`stale (${projectPath(moduleFile)} changed since the build)`);
      expect(currentWorkerBundle(moduleUrl, bundles)).toBeUndefined();
      await workerBundlesBuilt();
      expect(currentWorkerBundle(moduleUrl, bundles)?.href).toBe(bundle!.href);
    } finally {
      if (was === undefined) delete process.env.STUDIO_RIG_WORKER_BUNDLES;
      else process.env.STUDIO_RIG_WORKER_BUNDLES = was;
    }
  });

  it('leaves modules that are not TypeScript files to the caller', () => {
    expect(currentWorkerBundle(new URL('data:text/javascript,1'), bundles)).toBeUndefined();
    expect(currentWorkerBundle(pathToFileURL(join(root, 'plain.mjs')), bundles)).toBeUndefined();
  });
});
