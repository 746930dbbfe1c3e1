#!/usr/bin/env node
/**
 * Builds the browser side (src/browser/) with esbuild into dist/browser/ (or `outDir`):
 * - engineProcessor.js: the AudioWorklet module (src/browser/worklet/workletModule.ts), which bundles the
 *   engines of src/ themselves — never a copy. Two substitutions only: src/dsp/wasmRuntime.ts becomes
 *   src/browser/worklet/wasmRuntime.browser.ts (no wabt in a worklet: the kernels' binaries are compiled
 *   here, at build time, by src/browser/worklet/kernelBinaries.ts and embedded, each tied to its WAT text
 *   by a fingerprint), and Node's built-ins the registry's module loader uses become throwing shims;
 * - engineNode.js and page/*.js: the page's modules (ES modules, loaded by <script type="module">);
 * - native/nativePluginProcessor.js and native/nativePluginWorker.js: NativePluginNode's AudioWorklet
 *   processor and WebSocket worker, for the page's Native section (src/browser/page/nativeSection.ts);
 * - the static files of src/browser/static/ copied as they are, and presets.json (every preset of
 *   presets/, for the page without a server).
 * stamp.json lists every input and the newest modification time (as scripts/build-cli.mjs does), so a
 * server can rebuild when a source changed: `browserBuildState()`.
 *
 * Usage: node scripts/build-browser.mjs [--outdir dir]; from code: `await buildBrowser({ outDir })`.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const browserDir = join(root, 'src', 'browser');
export const DEFAULT_BROWSER_OUT_DIR = join(root, 'dist', 'browser');

const WASM_RUNTIME = join(root, 'src', 'dsp', 'wasmRuntime.ts');
const NODE_ONLY = /^(node:(fs|path|url)|tsx\/esm\/api)$/;

/**
 * The WebAssembly kernels compiled at build time (src/browser/worklet/kernelBinaries.ts, run through
 * tsx), so a bundle needs no wabt (a 3 MB module, ~0.3 s to load) at run time.
 */
export async function compileKernels() {
  const { tsImport } = await import('tsx/esm/api');
  const kernels = await tsImport(pathToFileURL(join(browserDir, 'worklet', 'kernelBinaries.ts')).href, import.meta.url);
  return kernels.compileKernelBinaries();
}

/** The files a bundle with precompiledKernelsPlugin depends on beyond its metafile's inputs. */
export const PRECOMPILED_KERNEL_INPUTS = [join(browserDir, 'worklet', 'kernelBinaries.ts')];

/**
 * esbuild plugin: src/dsp/wasmRuntime.ts becomes src/browser/worklet/wasmRuntime.browser.ts, which looks
 * up `kernelBinaries` (compileKernels()) by name and fingerprint instead of compiling WAT with wabt —
 * except where imported by one of `keepWabtFor` (absolute paths: a module that compiles kernels not in
 * that table with wabt when their prebuilt binary is missing, as src/dsp/prebuiltWasm.ts does).
 * `kernelBinaries` may be a function giving them (a promise): it is called only if the bundle imports
 * wasmRuntime.ts, so a worker module that runs no engine is bundled without compiling any kernel.
 */
export function precompiledKernelsPlugin(kernelBinaries, keepWabtFor = []) {
  let table;
  return {
    name: 'studio-rig-precompiled-kernels',
    setup(b) {
      b.onResolve({ filter: /wasmRuntime\.ts$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        if (keepWabtFor.includes(args.importer)) return undefined;
        return path === WASM_RUNTIME ? { path: join(browserDir, 'worklet', 'wasmRuntime.browser.ts') } : undefined;
      });
      b.onResolve({ filter: /^studio-rig:kernel-binaries$/ }, (args) => ({ path: args.path, namespace: 'studio-rig-kernels' }));
      b.onLoad({ filter: /.*/, namespace: 'studio-rig-kernels' }, async () => {
        table ??= typeof kernelBinaries === 'function' ? kernelBinaries() : kernelBinaries;
        return { contents: `export const KERNEL_BINARIES = ${JSON.stringify(await table)};`, loader: 'js' };
      });
    },
  };
}

/** esbuild plugin: the browser's stand-ins for Node's built-ins (see the header). */
const browserShims = {
  name: 'studio-rig-browser-shims',
  setup(b) {
    b.onResolve({ filter: /^node:perf_hooks$/ }, () => ({ path: join(browserDir, 'worklet', 'performanceShim.ts') }));
    b.onResolve({ filter: NODE_ONLY }, () => ({ path: join(browserDir, 'worklet', 'nodeOnlyShim.ts') }));
  },
};

const listTs = (dir) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f));
  } catch {
    return [];
  }
};

const presetsDir = join(root, 'presets');

/** presets/<engine>/<name>.json, sorted. */
function listPresetFiles() {
  const files = [];
  for (const engine of readdirSync(presetsDir).sort()) {
    const dir = join(presetsDir, engine);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.json')) files.push(join(dir, f));
  }
  return files;
}

/** A preset for the page's list (presets.json): as written; the worklet validates the params with the engine's schema. */
function readPresetForPage(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const name = file.slice(file.lastIndexOf(sep) + 1).replace(/\.json$/, '');
  return { engine: json.engine, name, description: json.description ?? '', params: json.params ?? {}, ...(json.performance ? { performance: json.performance } : {}) };
}

/**
 * Builds into `outDir` (default dist/browser), atomically: a staging folder renamed into place, so a
 * server never serves half a build. Returns the stamp (inputs, newest input time).
 */
export async function buildBrowser({ outDir = DEFAULT_BROWSER_OUT_DIR } = {}) {
  const out = resolve(outDir);
  const staging = `${out}.${process.pid}.${Date.now()}.tmp`;
  const kernelBinaries = await compileKernels();
  const common = {
    bundle: true, format: 'esm', platform: 'browser', target: 'chrome110', sourcemap: 'linked', metafile: true, logLevel: 'warning',
    plugins: [precompiledKernelsPlugin(kernelBinaries), browserShims],
  };
  try {
    const worklet = await build({ ...common, entryPoints: { engineProcessor: join(browserDir, 'worklet', 'workletModule.ts') }, outdir: staging });
    const pageEntries = { engineNode: join(browserDir, 'engineNode.ts') };
    for (const f of listTs(join(browserDir, 'page'))) pageEntries[`page/${relative(join(browserDir, 'page'), f).replace(/\.ts$/, '')}`] = f;
    const page = await build({ ...common, entryPoints: pageEntries, outdir: staging, splitting: true, chunkNames: 'chunk-[name]-[hash]' /* beside engineProcessor.js: engineNode's import.meta.url finds it */ });
    // NativePluginNode's processor and worker (src/bridge/browser/), loaded by URL from /native/ by the
    // page's Native section: each self-contained (an AudioWorklet scope and a worker share no chunks).
    const bridgeBrowserDir = join(root, 'src', 'bridge', 'browser');
    const native = await build({
      ...common, outdir: staging,
      entryPoints: { 'native/nativePluginProcessor': join(bridgeBrowserDir, 'nativePluginProcessor.ts'), 'native/nativePluginWorker': join(bridgeBrowserDir, 'nativePluginWorker.ts') },
    });
    const staticDir = join(browserDir, 'static');
    const staticFiles = (() => {
      try {
        return readdirSync(staticDir, { recursive: true }).map((f) => join(staticDir, f)).filter((f) => statSync(f).isFile());
      } catch {
        return [];
      }
    })();
    if (staticFiles.length) cpSync(staticDir, staging, { recursive: true });
    const presetFiles = listPresetFiles();
    writeFileSync(join(staging, 'presets.json'), JSON.stringify(presetFiles.map(readPresetForPage)));
    const inputs = [
      ...Object.keys(worklet.metafile.inputs), ...Object.keys(page.metafile.inputs), ...Object.keys(native.metafile.inputs),
    ].filter((f) => !f.startsWith('studio-rig-kernels:')).map((f) => resolve(root, f));
    inputs.push(...staticFiles, ...presetFiles, fileURLToPath(import.meta.url), ...PRECOMPILED_KERNEL_INPUTS);
    const unique = [...new Set(inputs)];
    const stamp = {
      inputs: unique.map((f) => relative(root, f).split(sep).join('/')).sort(),
      newestInputMtimeMs: Math.max(...unique.map((f) => statSync(f).mtimeMs)),
    };
    writeFileSync(join(staging, 'stamp.json'), `${JSON.stringify(stamp, null, 1)}\n`);
    mkdirSync(dirname(out), { recursive: true });
    const old = `${staging}.old`;
    try {
      renameSync(out, old);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    renameSync(staging, out);
    rmSync(old, { recursive: true, force: true });
    return stamp;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * 'current', or why the build in `outDir` cannot be served as it is: 'missing', or 'stale (<file> …)'
 * when an input changed or is gone, or a new file appeared in src/browser/page or src/browser/static.
 * Inputs under node_modules/ (the bundled dependencies) are recorded but not checked: in an installed
 * package they live in the consumer's node_modules, not below this package, and a dependency changes
 * only by an install, which does not edit the project's sources.
 */
export function browserBuildState({ outDir = DEFAULT_BROWSER_OUT_DIR } = {}) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(resolve(outDir), 'stamp.json'), 'utf8'));
  } catch {
    return 'missing';
  }
  const known = new Set(stamp.inputs);
  for (const file of stamp.inputs) {
    if (file.startsWith('node_modules/')) continue;
    let mtimeMs;
    try {
      mtimeMs = statSync(join(root, file)).mtimeMs;
    } catch {
      return `stale (${file} is gone)`;
    }
    if (mtimeMs > stamp.newestInputMtimeMs) return `stale (${file} changed since the build)`;
  }
  for (const f of [...listTs(join(browserDir, 'page')), ...listPresetFiles()]) {
    const rel = relative(root, f).split(sep).join('/');
    if (!known.has(rel)) return `stale (${rel} is new)`;
  }
  return 'current';
}

/** Builds unless the build is current; returns what was done. */
export async function ensureBrowserBuild({ outDir = DEFAULT_BROWSER_OUT_DIR } = {}) {
  const state = browserBuildState({ outDir });
  if (state === 'current') return state;
  await buildBrowser({ outDir });
  return `rebuilt (${state})`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: DEFAULT_BROWSER_OUT_DIR } } });
  await buildBrowser({ outDir: values.outdir });
}
