import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bridgeWorkerState } from '../../scripts/build-bridge-worker.mjs';
import { instanceWorkerSource, startInstanceWorker } from './instanceWorkerModule.ts';
import type { FromWorker } from './instanceWorker.ts';

/**
 * The instance worker loads a prebuilt bundle (scripts/build-bridge-worker.mjs), never stale: a bundle
 * whose stamp names a source changed since, or gone, or no stamp at all, is rebuilt before a worker
 * starts from it. Each case writes its own bundle file (never dist/bridge, which other tests use).
 */
const dir = mkdtempSync(join(tmpdir(), 'bridge-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STALE_CASES: { name: string; firstLine: string; state: RegExp }[] = [
  { name: 'a source changed since the build', firstLine: '// stamp: {"inputs":["src/bridge/protocol.ts"],"newestInputMtimeMs":0}', state: /^stale \(src\/bridge\/protocol\.ts changed since the build\)$/ },
  { name: 'a source is gone', firstLine: '// stamp: {"inputs":["src/bridge/noSuchFile.ts"],"newestInputMtimeMs":0}', state: /^stale \(src\/bridge\/noSuchFile\.ts is gone\)$/ },
  { name: 'no stamp', firstLine: 'export {};', state: /^stale \(no stamp\)$/ },
];

describe('instance worker bundle', () => {
  it('says missing for a bundle that was never built', async () => {
    expect(await bridgeWorkerState({ outFile: join(dir, 'never.js') })).toBe('missing');
  });

  for (const c of STALE_CASES) {
    it(`rebuilds a bundle when ${c.name}, then starts a worker from it`, async () => {
      const file = join(dir, `${c.name.replace(/\W+/g, '-')}.js`);
      writeFileSync(file, `${c.firstLine}\nthrow new Error('stale bundle ran');\n`);
      expect(await bridgeWorkerState({ outFile: file })).toMatch(c.state);
      const source = await instanceWorkerSource(file);
      expect(source).toMatchObject({ kind: 'bundle', file });
      expect(source.kind === 'bundle' && source.rebuilt).toMatch(c.state);
      expect(await bridgeWorkerState({ outFile: file })).toBe('current');
      expect(readFileSync(file, 'utf8')).not.toContain('stale bundle ran');
      const worker = startInstanceWorker(source, { engine: 'reverb', config: {}, sampleRate: 48000, channels: 2 });
      try {
        const ready = await new Promise<FromWorker>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        expect(ready).toMatchObject({ type: 'ready', numInputs: 2, numOutputs: 2 });
      } finally {
        await worker.terminate();
      }
    });
  }
});
