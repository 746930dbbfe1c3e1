#!/usr/bin/env node
/**
 * Builds the `rig` CLI ahead of time: src/cli/main.ts and everything it imports, bundled by esbuild into
 * dist/cli/ (ES modules, one chunk per command so each loads only its own code; npm packages stay
 * external, loaded from node_modules as before). `npm ci` runs this as the `prepare` script; `npm run
 * build` reruns it. bin/rig.js runs the bundle when it is current and the sources through tsx otherwise.
 *
 * dist/cli/stamp.json lists every source file in the bundle and the newest of their modification times:
 * bin/rig.js stats those files (a few ms) and treats the bundle as stale when any is newer or gone.
 *
 * The engines' WebAssembly kernels go into the bundle precompiled (build-browser.mjs's
 * precompiledKernelsPlugin, as in the browser bundle and the worker bundles): a `rig` process never loads
 * wabt (a 3 MB module) nor parses WAT at start-up — `rig presets` 0.66–0.85 → 0.50–0.55 s of CPU and a
 * usage error of `rig serve` 0.81–0.99 → 0.58–0.64 s (4 interleaved runs each, load 7–8).
 *
 * Modules that find files beside themselves (`import.meta.url`, `import.meta.dirname`: presets,
 * scenarios, rigs, package.json, createRequire) keep their own location: each use is rewritten to the
 * source file's path relative to the bundle (keepModuleLocation.mjs). Usage: node scripts/build-cli.mjs [--outdir dir]
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { compileKernels, PRECOMPILED_KERNEL_INPUTS, precompiledKernelsPlugin } from './build-browser.mjs';
import { keepModuleLocation } from './keepModuleLocation.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: join(root, 'dist', 'cli') } } });
const outdir = resolve(values.outdir);
const staging = `${outdir}.${process.pid}.tmp`;

const result = await build({
  entryPoints: [
    { in: join(root, 'src', 'cli', 'main.ts'), out: 'main' },
    // The programme analysis worker thread (src/analysis/signal/programmeOffThread.ts) is started from a file.
    { in: join(root, 'src', 'analysis', 'signal', 'programmeWorker.ts'), out: 'programmeWorker' },
  ],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // prebuiltWasm.ts keeps wabt for the analysis worker's kernels should their binaries (below) be missing.
  plugins: [keepModuleLocation(outdir), precompiledKernelsPlugin(await compileKernels(), [join(root, 'src', 'dsp', 'prebuiltWasm.ts')])],
}).catch((e) => {
  rmSync(staging, { recursive: true, force: true });
  throw e;
});

// The analysis worker's WebAssembly kernels, compiled ahead beside the bundle (src/dsp/prebuiltWasm.ts): the
// worker of `rig analyze` then reads their binaries instead of loading wabt to compile their text.
{
  const { tsImport } = await import('tsx/esm/api');
  const { programmeKernelTexts } = await tsImport('../src/analysis/signal/programmeKernels.ts', import.meta.url);
  const { prebuiltWasmFile } = await tsImport('../src/dsp/prebuiltWasm.ts', import.meta.url);
  const wabt = await (await import('wabt')).default();
  mkdirSync(join(staging, 'wasm'));
  for (const [name, text] of programmeKernelTexts()) {
    const parsed = wabt.parseWat(`${name}.wat`, text, { simd: true });
    try {
      parsed.validate();
      writeFileSync(join(staging, prebuiltWasmFile(name, text)), parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  }
}

const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.includes(':')).map((f) => resolve(root, f)), fileURLToPath(import.meta.url), fileURLToPath(new URL('./keepModuleLocation.mjs', import.meta.url)), fileURLToPath(new URL('./build-browser.mjs', import.meta.url)), ...PRECOMPILED_KERNEL_INPUTS];
const stamp = {
  inputs: inputs.map((f) => relative(root, f).split(sep).join('/')).sort(),
  newestInputMtimeMs: Math.max(...inputs.map((f) => statSync(f).mtimeMs)),
};
writeFileSync(join(staging, 'stamp.json'), `${JSON.stringify(stamp, null, 1)}\n`);

// Swap the finished build in: a CLI started meanwhile finds the old bundle or none (then it runs the sources).
mkdirSync(dirname(outdir), { recursive: true });
const old = `${outdir}.${process.pid}.old`;
try {
  renameSync(outdir, old);
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
renameSync(staging, outdir);
rmSync(old, { recursive: true, force: true });
