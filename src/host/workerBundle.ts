import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeTextAtomic } from '../io/atomicText.ts';

/**
 * A worker module bundled ahead of its next start: esbuild writes the TypeScript module and everything
 * of the project it imports into one ES module (npm packages stay imports, resolved from node_modules as
 * before), so a worker thread loads one prebuilt file instead of registering tsx's loader — a loader
 * thread of its own per worker — and transforming its imports one by one. The metrics worker, started
 * five times each way alternately at load 13: 345 ms of CPU (median) and 1.1 s to ready through tsx,
 * 167 ms and 0.5 s from its bundle.
 *
 * The bundles live in node_modules/.cache/studio-rig-workers/ (beside the packages they import), one per
 * module, named after it and a hash of its path. Like the bridge's worker bundle
 * (scripts/build-bridge-worker.mjs), each file's first line is its stamp — the project files it holds and
 * the newest of their modification times — and one atomic write (atomicText.ts) puts bundle and stamp in place together. A
 * bundle is used only while it is current (no input newer, none gone: ~1 ms of stat calls); otherwise
 * the worker starts from the sources through tsx as before. Modules that find files beside themselves
 * keep finding them (keepModuleLocation).
 *
 * `npm run build` (and `prepare`) builds the live host's workers ahead (scripts/build-worker-bundles.ts);
 * otherwise bundles are built only where STUDIO_RIG_WORKER_BUNDLES=build (the test suite: vitest.config.ts),
 * in the background after a start from the sources, for the next start: never beside a live server's
 * audio, whose start-up an esbuild process would compete with.
 */
const STAMP_PREFIX = '// stamp: ';
/** Bumped when the way bundles are built changes: older bundles are then rebuilt. */
const BUNDLE_FORMAT = 1;

interface Stamp {
  format: number;
  inputs: string[];
  newestInputMtimeMs: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEEP_MODULE_LOCATION = join(ROOT, 'scripts', 'keepModuleLocation.mjs');
let cacheDir: string | null | undefined;
const building = new Map<string, Promise<void>>();

/** node_modules/.cache/studio-rig-workers beside the installed packages, or null where there is none. */
function bundleDir(): string | null {
  if (cacheDir === undefined) {
    try {
      const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
      cacheDir = join(dirname(dirname(tsxPackage)), '.cache', 'studio-rig-workers');
    } catch {
      cacheDir = null;
    }
  }
  return cacheDir;
}

function bundleFile(modulePath: string, dir: string): string {
  const hash = createHash('sha256').update(modulePath).digest('hex').slice(0, 12);
  return join(dir, `${basename(modulePath).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`);
}

/** The stamp on a bundle's first line, or undefined (no file, no stamp, another format). */
function readStamp(file: string): Stamp | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    if (!firstLine.startsWith(STAMP_PREFIX)) return undefined;
    const stamp = JSON.parse(firstLine.slice(STAMP_PREFIX.length)) as Stamp;
    return stamp.format === BUNDLE_FORMAT ? stamp : undefined;
  } catch {
    return undefined;
  }
}

function isCurrent(stamp: Stamp): boolean {
  for (const input of stamp.inputs) {
    try {
      if (statSync(input).mtimeMs > stamp.newestInputMtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The URL of a current bundle of the TypeScript module `moduleUrl`, or undefined — then, where bundles
 * are built, one is built in the background (once per module and process; a failed build leaves the
 * sources in use).
 */
export function currentWorkerBundle(moduleUrl: URL, dir = bundleDir()): URL | undefined {
  if (dir === null || moduleUrl.protocol !== 'file:' || !/\.[cm]?ts$/.test(moduleUrl.pathname)) return undefined;
  const modulePath = fileURLToPath(moduleUrl);
  const file = bundleFile(modulePath, dir);
  const stamp = readStamp(file);
  if (stamp && isCurrent(stamp)) return pathToFileURL(file);
  if (process.env.STUDIO_RIG_WORKER_BUNDLES === 'build' && !building.has(file)) {
    const build = buildWorkerBundle(modulePath, file).catch(() => {}).finally(() => building.delete(file));
    building.set(file, build);
  }
  return undefined;
}

/** Where the bundle of the TypeScript module at `modulePath` lives, or null where there is no cache folder. */
export function workerBundleFile(modulePath: string, dir = bundleDir()): string | null {
  return dir === null ? null : bundleFile(modulePath, dir);
}

/** Resolves once the bundles being built in the background are written (tests, and scripts that time starts). */
export async function workerBundlesBuilt(): Promise<void> {
  await Promise.all(building.values());
}

/** Bundles `modulePath` into `file`, atomically, stamped with its project inputs. */
export async function buildWorkerBundle(modulePath: string, file: string): Promise<void> {
  const [{ build }, { keepModuleLocation }] = await Promise.all([
    import('esbuild'),
    import(pathToFileURL(KEEP_MODULE_LOCATION).href) as Promise<{ keepModuleLocation(outdir: string): import('esbuild').Plugin }>,
  ]);
  const startedMs = Date.now();
  const result = await build({
    entryPoints: [modulePath], absWorkingDir: ROOT, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external',
    conditions: ['studio-rig-source'], write: false, outfile: file, metafile: true, logLevel: 'silent',
    plugins: [keepModuleLocation(dirname(file))],
  });
  const code = result.outputFiles.find((f) => f.path === file)?.text;
  if (code === undefined) throw new Error(`esbuild wrote no ${file}`);
  const inputs = [...Object.keys(result.metafile.inputs).map((f) => resolve(ROOT, f)), KEEP_MODULE_LOCATION].sort();
  const times = inputs.map((f) => statSync(f).mtimeMs);
  // Not written when an input changed while it was being bundled (the bundle may hold the older text).
  if (times.some((t) => t >= startedMs)) throw new Error('a source changed during the build');
  const stamp: Stamp = { format: BUNDLE_FORMAT, inputs, newestInputMtimeMs: Math.max(...times) };
  await writeTextAtomic(file, `${STAMP_PREFIX}${JSON.stringify(stamp)}\n${code}`);
}
