import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeTextAtomic } from '../../io/atomicText.ts';
import { engineNames } from '../../presets/engineRegistry.ts';
import { listPresets } from '../../presets/presetStore.ts';
import { REPO_ROOT } from '../../presets/workspace.ts';
import { ParameterStore } from './parameterStore.ts';

export const BROWSER_SRC = join(REPO_ROOT, 'src', 'browser');
export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'dist', 'browser');
const STAMP = 'page-stamp.json';

/** The page's entry points (src/browser/page/) and the file each becomes in the output folder. */
const ENTRIES = [
  { in: join(BROWSER_SRC, 'page', 'main.ts'), out: 'page' },
  { in: join(BROWSER_SRC, 'page', 'dashboard.ts'), out: 'dashboard' },
];

/**
 * What the page needs when no dev server answers (pure browser mode): every engine's parameter
 * descriptors and defaults, and the shipped presets' parameters — written as `engines.json`.
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
 * Bundles the page (esbuild, browser ESM) into `outDir` beside its static files (src/browser/static/)
 * and engines.json, and writes `page-stamp.json` listing every input with the build time. The
 * AudioWorklet side (scripts/build-browser.mjs `buildBrowser`) is built by its own script, called
 * from here when present.
 */
export async function buildPage(outDir = DEFAULT_OUT_DIR): Promise<{ outDir: string; inputs: number; ms: number }> {
  const t0 = performance.now();
  await mkdir(outDir, { recursive: true });
  const workletScript = join(REPO_ROOT, 'scripts', 'build-browser.mjs');
  if (existsSync(workletScript)) {
    const mod = (await import(pathToFileURL(workletScript).href)) as { buildBrowser?: (o: { outDir: string }) => Promise<unknown> };
    await mod.buildBrowser?.({ outDir });
  }
  const result = await build({
    entryPoints: ENTRIES, outdir: outDir, bundle: true, format: 'esm', platform: 'browser', target: 'chrome110',
    sourcemap: 'linked', metafile: true, logLevel: 'warning',
  });
  const statics = readdirSync(join(BROWSER_SRC, 'static'));
  for (const f of statics) await copyFile(join(BROWSER_SRC, 'static', f), join(outDir, f));
  await writeTextAtomic(join(outDir, 'engines.json'), JSON.stringify(engineCatalog()));
  const inputs = [
    ...Object.keys(result.metafile.inputs).map((p) => relative(REPO_ROOT, join(process.cwd(), p))),
    ...statics.map((f) => relative(REPO_ROOT, join(BROWSER_SRC, 'static', f))),
  ];
  await writeTextAtomic(join(outDir, STAMP), JSON.stringify({ builtMs: Date.now(), inputs }));
  return { outDir, inputs: inputs.length, ms: performance.now() - t0 };
}

/**
 * Why the built page in `outDir` is stale, or null when it is current: no stamp, an input newer than
 * the build or gone, a static file or an engine added since.
 */
export function pageStaleness(outDir = DEFAULT_OUT_DIR): string | null {
  let stamp: { builtMs: number; inputs: string[] };
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return 'never built';
  }
  const watched = [...stamp.inputs, ...readdirSync(join(BROWSER_SRC, 'static')).map((f) => relative(REPO_ROOT, join(BROWSER_SRC, 'static', f))), 'presets'];
  for (const input of new Set(watched)) {
    const path = join(REPO_ROOT, input);
    if (!existsSync(path)) return `${input} is gone`;
    if (statSync(path).mtimeMs > stamp.builtMs) return `${input} changed`;
  }
  return null;
}

/** Builds the page when it is stale; says why on `log`. */
export async function ensurePageBuilt(outDir = DEFAULT_OUT_DIR, log: (line: string) => void = () => {}): Promise<void> {
  const why = pageStaleness(outDir);
  if (why === null) return;
  log(`building the page into ${relative(process.cwd(), outDir) || '.'} (${why})`);
  const r = await buildPage(outDir);
  log(`built ${r.inputs} inputs in ${(r.ms / 1000).toFixed(1)} s`);
}
