import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTextAtomic } from '../../io/atomicText.ts';
import { engineNames } from '../../presets/engineRegistry.ts';
import { listPresets } from '../../presets/presetStore.ts';
import { REPO_ROOT } from '../../presets/workspace.ts';
import { ParameterStore } from './parameterStore.ts';

export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'dist', 'browser');
const CATALOG = 'engines.json';

interface BrowserBuild {
  buildBrowser(o: { outDir: string }): Promise<unknown>;
  browserBuildState(o: { outDir: string }): string;
}

/**
 * What the page needs when no dev server answers (pure browser mode): every engine's parameter
 * descriptors and defaults, and the shipped presets' parsed parameters — written as `engines.json`.
 */
export function engineCatalog(): { engines: { name: string; descriptors: unknown; defaults: unknown; presets: { name: string; params: unknown }[] }[] } {
  const store = new ParameterStore();
  return {
    engines: engineNames().map((name) => ({
      name,
      descriptors: store.descriptors(name),
      defaults: store.effective(name),
      presets: listPresets(name).map((p) => ({ name: p.name, params: p.params })),
    })),
  };
}

/**
 * The built page in `outDir`, current: scripts/build-browser.mjs bundles src/browser/ (the worklet,
 * EngineNode, every module of src/browser/page/ — this page and the dashboard among them — and the
 * static files) when a source changed since its stamp; engines.json is written beside it after every
 * build. Says on `log` why it rebuilt.
 */
export async function ensurePageBuilt(outDir = DEFAULT_OUT_DIR, log: (line: string) => void = () => {}): Promise<void> {
  const build = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'build-browser.mjs')).href)) as BrowserBuild;
  const state = build.browserBuildState({ outDir });
  const catalog = join(outDir, CATALOG);
  const catalogCurrent = existsSync(catalog) && statSync(catalog).mtimeMs >= statSync(join(outDir, 'stamp.json')).mtimeMs;
  if (state === 'current' && catalogCurrent) return;
  const t0 = performance.now();
  log(`building the page into ${relative(process.cwd(), outDir) || '.'} (${state === 'current' ? `${CATALOG} missing` : state})`);
  if (state !== 'current') await build.buildBrowser({ outDir });
  await writeTextAtomic(catalog, JSON.stringify(engineCatalog()));
  log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
