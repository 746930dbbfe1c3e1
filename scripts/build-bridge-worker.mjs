#!/usr/bin/env node
/**
 * Builds the bridge's instance worker (src/bridge/instanceWorker.ts and everything it imports: the
 * engines, the DSP, zod) with esbuild into one ES module, dist/bridge/instanceWorker.js, so each instance's thread loads one prebuilt file instead of tsx and the TypeScript
 * sources, and the WebAssembly kernels precompiled as the browser bundle has them (no wabt at run time:
 * build-browser.mjs's precompiledKernelsPlugin) — ~2 s → well under 0.5 s to a loaded instance
 * (src/bridge/README.md).
 *
 * The bundle's first line is its stamp — `// stamp: {"inputs": [...], "newestInputMtimeMs": …}` — so
 * one atomic rename replaces bundle and stamp together: a bridge starting a worker meanwhile reads the
 * old file or the new one, never half of one. `bridgeWorkerState()` says whether it is current (every
 * input older than the build, none gone); the bridge checks at every LOAD_PLUGIN and rebuilds a stale
 * bundle before starting the worker (src/bridge/instanceWorkerModule.ts).
 *
 * Usage: node scripts/build-bridge-worker.mjs [--outfile file]; from code: `await buildBridgeWorker({ outFile })`.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { keepModuleLocation } from './keepModuleLocation.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BRIDGE_WORKER_FILE = join(root, 'dist', 'bridge', 'instanceWorker.js');
const ENTRY = join(root, 'src', 'bridge', 'instanceWorker.ts');
const STAMP_PREFIX = '// stamp: ';

/** Builds the bundle into `outFile`, atomically; returns its stamp. */
export async function buildBridgeWorker({ outFile = DEFAULT_BRIDGE_WORKER_FILE } = {}) {
  const out = resolve(outFile);
  // Loaded here, not at the top: the bridge imports this module for bridgeWorkerState at every load.
  const { build } = await import('esbuild');
  const { PRECOMPILED_KERNEL_INPUTS, compileKernels, precompiledKernelsPlugin } = await import('./build-browser.mjs');
  const kernelBinaries = await compileKernels();
  const result = await build({
    // npm packages bundled too (zod's many files took ~0.3 s to resolve and load per worker), except tsx:
    // only a user's TypeScript engine module needs it (src/presets/engineRegistry.ts loads it then).
    entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'node', target: 'node20', external: ['tsx', 'tsx/*'],
    write: false, outfile: out, metafile: true, logLevel: 'warning',
    plugins: [precompiledKernelsPlugin(kernelBinaries), keepModuleLocation(dirname(out))],
  });
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('studio-rig-kernels:')).map((f) => resolve(root, f)),
    ...PRECOMPILED_KERNEL_INPUTS, fileURLToPath(import.meta.url), fileURLToPath(new URL('./keepModuleLocation.mjs', import.meta.url)),
    fileURLToPath(new URL('./build-browser.mjs', import.meta.url)),
  ];
  const stamp = {
    inputs: inputs.map((f) => relative(root, f).split(sep).join('/')).sort(),
    newestInputMtimeMs: Math.max(...inputs.map((f) => statSync(f).mtimeMs)),
  };
  const code = result.outputFiles.find((f) => f.path === out)?.text;
  if (code === undefined) throw new Error(`esbuild wrote no ${out}`);
  mkdirSync(dirname(out), { recursive: true });
  const staging = `${out}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(staging, `${STAMP_PREFIX}${JSON.stringify(stamp)}\n${code}`);
    renameSync(staging, out);
  } catch (e) {
    rmSync(staging, { force: true });
    throw e;
  }
  return stamp;
}

/**
 * 'current', or why the bundle in `outFile` cannot be used: 'missing', or 'stale (<file> …)'. Inputs
 * under node_modules/ (the bundled zod) are recorded but not checked, as in build-browser.mjs: in an
 * installed package they are hoisted out of it, and a dependency changes only by an install.
 */
export async function bridgeWorkerState({ outFile = DEFAULT_BRIDGE_WORKER_FILE } = {}) {
  let stamp;
  try {
    const text = readFileSync(resolve(outFile), 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    if (!firstLine.startsWith(STAMP_PREFIX)) return 'stale (no stamp)';
    stamp = JSON.parse(firstLine.slice(STAMP_PREFIX.length));
  } catch {
    return 'missing';
  }
  const checked = stamp.inputs.filter((file) => !file.startsWith('node_modules/'));
  const times = await Promise.all(checked.map((file) => stat(join(root, file)).then((s) => s.mtimeMs, () => undefined)));
  for (let i = 0; i < times.length; i++) {
    if (times[i] === undefined) return `stale (${checked[i]} is gone)`;
    if (times[i] > stamp.newestInputMtimeMs) return `stale (${checked[i]} changed since the build)`;
  }
  return 'current';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outfile: { type: 'string', default: DEFAULT_BRIDGE_WORKER_FILE } } });
  await buildBridgeWorker({ outFile: values.outfile });
}
