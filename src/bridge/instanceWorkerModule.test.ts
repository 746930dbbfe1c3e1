import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerBundleFile, workerBundleState } from '../host/workerBundle.ts';
import type { FromWorker } from './instanceWorker.ts';
import { instanceWorkerSource, startInstanceWorker, type WorkerSource } from './instanceWorkerModule.ts';

/**
 * The instance worker loads a prebuilt bundle (src/host/workerBundle.ts), never a stale one: a bundle
 * whose stamp names a source changed since, or gone, or of another format, or no stamp at all, is
 * rebuilt before a worker starts from it. Each case uses a bundle folder of its own (never dist/workers,
 * which other tests use).
 */
const INSTANCE_WORKER = fileURLToPath(new URL('./instanceWorker.ts', import.meta.url));
const dirs = mkdtempSync(join(tmpdir(), 'bridge-worker-'));
afterAll(() => rmSync(dirs, { recursive: true, force: true }));

const STALE_CASES: { name: string; firstLine: string; state: RegExp }[] = [
  { name: 'a source changed since the build', firstLine: '// stamp: {"format":2,"inputs":["src/bridge/protocol.ts"],"newestInputMtimeMs":0}', state: /^stale \(src\/bridge\/protocol\.ts changed since the build\)$/ },
  { name: 'a source is gone', firstLine: '// stamp: {"format":2,"inputs":["src/bridge/noSuchFile.ts"],"newestInputMtimeMs":0}', state: /^stale \(src\/bridge\/noSuchFile\.ts is gone\)$/ },
  { name: 'it was built by another format', firstLine: '// stamp: {"format":1,"inputs":[],"newestInputMtimeMs":0}', state: /^stale \(format 1, not 2\)$/ },
  { name: 'no stamp', firstLine: 'export {};', state: /^stale \(no stamp\)$/ },
];

/**
 * The first message of a worker started from a bundle, by the bundle's bytes (a SHA-256 of them): a worker is
 * started once per distinct bundle. The rebuilt bundles of the cases below are the same build of the same
 * sources, their folders siblings (so even the paths keepModuleLocation writes, relative to the bundle, are
 * equal), and each worker costs ~0.7 s of CPU (the 1.1 MB bundle evaluated, the engine warmed up): one
 * worker answers for every case whose bundle is byte-identical to its own; a case whose bundle differs
 * starts its own.
 */
const firstMessages = new Map<string, Promise<FromWorker>>();
function firstMessageOf(source: Extract<WorkerSource, { kind: 'bundle' }>): Promise<FromWorker> {
  const bytes = createHash('sha256').update(readFileSync(source.file)).digest('hex');
  let first = firstMessages.get(bytes);
  if (!first) {
    const worker = startInstanceWorker(source, { engine: 'reverb', config: {}, sampleRate: 48000, channels: 2 });
    first = new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).finally(() => worker.terminate());
    firstMessages.set(bytes, first);
  }
  return first;
}

describe('instance worker bundle', () => {
  it('says missing for a bundle that was never built', () => {
    expect(workerBundleState(workerBundleFile(INSTANCE_WORKER, join(dirs, 'never')))).toBe('missing');
  });

  for (const c of STALE_CASES) {
    it(`rebuilds a bundle when ${c.name}, then starts a worker from it`, async () => {
      const dir = join(dirs, c.name.replace(/\W+/g, '-'));
      const file = workerBundleFile(INSTANCE_WORKER, dir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, `${c.firstLine}\nthrow new Error('stale bundle ran');\n`);
      expect(workerBundleState(file)).toMatch(c.state);
      const source = await instanceWorkerSource(dir);
      expect(source).toMatchObject({ kind: 'bundle', file });
      expect(source.kind === 'bundle' && source.rebuilt).toMatch(c.state);
      expect(workerBundleState(file)).toBe('current');
      expect(readFileSync(file, 'utf8')).not.toContain('stale bundle ran');
      expect(await firstMessageOf(source as Extract<WorkerSource, { kind: 'bundle' }>)).toMatchObject({ type: 'ready', numInputs: 2, numOutputs: 2 });
    });
  }
});
