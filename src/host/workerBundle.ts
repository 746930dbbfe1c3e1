import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { writeTextAtomic } from '../io/atomicText.ts';

/**
 * Worker modules bundled ahead of their start — the live host's render and metrics workers, the
 * bridge's instance worker, and any TypeScript module a test starts as a worker (tsWorker.ts): esbuild
 * writes the module and everything of the project it imports into one ES module, so a worker thread
 * loads one prebuilt file instead of registering tsx's loader — a loader thread of its own per worker —
 * and transforming its imports one by one. The metrics worker, started five times each way alternately
 * at load 13: 345 ms of CPU (median) and 1.1 s to ready through tsx, 167 ms and 0.5 s from its bundle;
 * the bridge's instance worker ~2 s → ~0.25 s to a loaded instance (src/bridge/README.md).
 *
 * One builder, one place, one staleness rule:
 * - the bundles live in dist/workers/, one per module, named after it and a hash of its path in the
 *   project (the same name in the repository and in the installed package, which ships them: `files`);
 * - how a module is bundled is declared in WORKER_MODULES (the defaults for any other module);
 * - each file's first line is its stamp — format, the files it holds (project-relative) and the newest
 *   of their modification times — and one atomic write (atomicText.ts) puts bundle and stamp in place
 *   together; a bundle is current while no input is newer and none is gone (~1 ms of stat calls;
 *   inputs under node_modules/ are recorded, not checked: an installed package has them hoisted
 *   elsewhere, and a dependency changes only by an install).
 * What a caller does with a bundle that is not current is its policy: the live host's workers start
 * from the sources through tsx (currentWorkerBundle: an esbuild process beside a live server's audio
 * would compete with its start-up, so bundles are built in the background only where
 * STUDIO_RIG_WORKER_BUNDLES=build, the test suite); the bridge rebuilds before it starts an instance
 * (ensureWorkerBundle) and falls back to the sources only when it cannot. `npm run build` and `prepare`
 * build every module of WORKER_MODULES (scripts/build-worker-bundles.ts).
 */
const STAMP_PREFIX = '// stamp: ';
/** Bumped when the way bundles are built changes: older bundles are then stale. */
const BUNDLE_FORMAT = 2;

interface Stamp {
  format: number;
  /** Project-relative paths, '/'-separated. */
  inputs: string[];
  newestInputMtimeMs: number;
}

/** How a module is bundled. */
export interface WorkerBundleOptions {
  /** npm packages go into the bundle too (all but tsx), instead of imports resolved from node_modules at load. */
  bundlePackages?: boolean;
}

/**
 * The project's worker modules (project-relative) and how each is bundled. Every bundle takes the
 * kernels precompiled (the worker then never loads wabt, a 3 MB module, nor parses WAT; the same binaries
 * wabt makes from the same texts): importing the host worker's bundle in a fresh node took 0.51–0.58 s of
 * CPU with wabt, 0.32–0.37 s precompiled (3 runs each, load 5–7). The bridge's
 * instance worker takes zod with it too (zod's many files ~0.3 s per worker); the host's workers keep
 * npm packages as imports (they load native addons).
 */
export const WORKER_MODULES: Readonly<Record<string, WorkerBundleOptions>> = {
  'src/host/hostWorker.ts': {},
  'src/host/metricsWorker.ts': {},
  'src/bridge/instanceWorker.ts': { bundlePackages: true },
};

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the bundles live. */
export const WORKER_BUNDLE_DIR = join(ROOT, 'dist', 'workers');
const SCRIPTS = join(ROOT, 'scripts');
const KEEP_MODULE_LOCATION = join(SCRIPTS, 'keepModuleLocation.mjs');
const BUILD_BROWSER = join(SCRIPTS, 'build-browser.mjs');
const building = new Map<string, Promise<void>>();

const projectPath = (file: string) => relative(ROOT, file).split(sep).join('/');

/** Where the bundle of the TypeScript module at `modulePath` lives. */
export function workerBundleFile(modulePath: string, dir = WORKER_BUNDLE_DIR): string {
  const hash = createHash('sha256').update(projectPath(modulePath)).digest('hex').slice(0, 12);
  return join(dir, `${basename(modulePath).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`);
}

/**
 * 'current', or why the bundle in `file` cannot be used: 'missing', or 'stale (<why>)' — no stamp,
 * another format, an input gone or changed since the build.
 */
export function workerBundleState(file: string): string {
  let stamp: Stamp;
  try {
    const text = readFileSync(file, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    if (!firstLine.startsWith(STAMP_PREFIX)) return 'stale (no stamp)';
    stamp = JSON.parse(firstLine.slice(STAMP_PREFIX.length)) as Stamp;
  } catch {
    return 'missing';
  }
  if (stamp.format !== BUNDLE_FORMAT) return `stale (format ${stamp.format}, not ${BUNDLE_FORMAT})`;
  for (const input of stamp.inputs) {
    if (input.startsWith('node_modules/')) continue;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(join(ROOT, input)).mtimeMs;
    } catch {
      return `stale (${input} is gone)`;
    }
    if (mtimeMs > stamp.newestInputMtimeMs) return `stale (${input} changed since the build)`;
  }
  return 'current';
}

/**
 * The live host's policy: the URL of a current bundle of the TypeScript module `moduleUrl`, or
 * undefined (the caller starts the sources) — then, where STUDIO_RIG_WORKER_BUNDLES=build, one is built
 * in the background for the next start (once per module and process; a failed build leaves the sources in use).
 */
export function currentWorkerBundle(moduleUrl: URL, dir = WORKER_BUNDLE_DIR): URL | undefined {
  if (moduleUrl.protocol !== 'file:' || !/\.[cm]?ts$/.test(moduleUrl.pathname)) return undefined;
  const modulePath = fileURLToPath(moduleUrl);
  const file = workerBundleFile(modulePath, dir);
  if (workerBundleState(file) === 'current') return pathToFileURL(file);
  if (process.env.STUDIO_RIG_WORKER_BUNDLES === 'build' && !building.has(file)) buildOnce(modulePath, file).catch(() => {});
  return undefined;
}

/**
 * The bridge's policy: the bundle of `modulePath`, rebuilt first unless current (one build however many
 * callers wait for it); `rebuilt` says why it was. Rejects when it cannot be built here (no esbuild, a
 * read-only install): the caller then starts the sources.
 */
export async function ensureWorkerBundle(modulePath: string, dir = WORKER_BUNDLE_DIR): Promise<{ file: string; rebuilt?: string }> {
  const file = workerBundleFile(modulePath, dir);
  const state = workerBundleState(file);
  if (state === 'current') return { file };
  try {
    await (building.get(file) ?? buildOnce(modulePath, file));
  } catch (err) {
    throw new Error(`the bundle ${basename(file)} is ${state} and could not be built: ${(err as Error).message.split('\n')[0]}`);
  }
  return { file, rebuilt: state };
}

function buildOnce(modulePath: string, file: string): Promise<void> {
  const build = buildWorkerBundle(modulePath, file).finally(() => building.delete(file));
  building.set(file, build);
  return build;
}

/** Resolves once the bundles being built are written (tests, and scripts that time starts). */
export async function workerBundlesBuilt(): Promise<void> {
  await Promise.allSettled(building.values());
}

/** The options WORKER_MODULES declares for `modulePath` (the defaults for any other module: a test's worker fixture). */
export function workerBundleOptions(modulePath: string): WorkerBundleOptions {
  return WORKER_MODULES[projectPath(modulePath)] ?? {};
}

interface PrecompiledKernels {
  compileKernels(): Promise<unknown>;
  precompiledKernelsPlugin(kernelBinaries: () => Promise<unknown>): Plugin;
  PRECOMPILED_KERNEL_INPUTS: string[];
}

/** Bundles `modulePath` into `file` as `options` say, atomically, stamped with its inputs (the builder's own files among them). */
export async function buildWorkerBundle(modulePath: string, file: string, options = workerBundleOptions(modulePath)): Promise<void> {
  const [{ build }, { keepModuleLocation }] = await Promise.all([
    import('esbuild'),
    import(pathToFileURL(KEEP_MODULE_LOCATION).href) as Promise<{ keepModuleLocation(outdir: string): Plugin }>,
  ]);
  const kernels = (await import(pathToFileURL(BUILD_BROWSER).href)) as PrecompiledKernels;
  // Every bundle takes the kernels precompiled; they are compiled only if the module imports wasmRuntime.ts (a
  // test's fixture that runs no engine does not).
  const plugins = [keepModuleLocation(dirname(file)), kernels.precompiledKernelsPlugin(() => kernels.compileKernels())];
  const builderFiles = [fileURLToPath(import.meta.url), KEEP_MODULE_LOCATION, BUILD_BROWSER, ...kernels.PRECOMPILED_KERNEL_INPUTS];
  const startedMs = Date.now();
  const result = await build({
    entryPoints: [modulePath], absWorkingDir: ROOT, bundle: true, format: 'esm', platform: 'node', target: 'node20',
    // tsx stays an import: only a user's TypeScript engine module needs it (src/presets/engineRegistry.ts loads it then).
    ...(options.bundlePackages ? { external: ['tsx', 'tsx/*'] } : { packages: 'external' as const }),
    conditions: ['studio-rig-source'], write: false, outfile: file, metafile: true, logLevel: 'silent', plugins,
  });
  const code = result.outputFiles.find((f) => f.path === file)?.text;
  if (code === undefined) throw new Error(`esbuild wrote no ${file}`);
  const bundled = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':')).map((f) => resolve(ROOT, f));
  const inputs = [...new Set([...bundled, ...builderFiles])].sort();
  const times = inputs.map((f) => statSync(f).mtimeMs);
  // Not written when an input changed while it was being bundled (the bundle may hold the older text).
  if (times.some((t) => t >= startedMs)) throw new Error('a source changed during the build');
  const stamp: Stamp = { format: BUNDLE_FORMAT, inputs: inputs.map(projectPath), newestInputMtimeMs: Math.max(...times) };
  await writeTextAtomic(file, `${STAMP_PREFIX}${JSON.stringify(stamp)}\n${code}`);
}
