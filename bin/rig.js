#!/usr/bin/env node
// Entry point of the `rig` CLI. Runs the bundle that scripts/build-cli.mjs builds into dist/cli (npm ci
// runs it as `prepare`; `npm run build` reruns it) when the bundle is current, else the TypeScript
// sources through tsx, saying so: a developer who edits a source file never runs stale code.
// RIG_CLI=source always runs the sources (silently); RIG_CLI=build insists on the bundle.
// RIG_BUILD_DIR names another bundle directory (tests).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliBundleState } from './cliBundleState.js';

const root = new URL('../', import.meta.url);
const buildDir = process.env.RIG_BUILD_DIR ? pathToFileURL(`${resolve(process.env.RIG_BUILD_DIR)}/`) : new URL('dist/cli/', root);
const mode = process.env.RIG_CLI ?? 'auto';
// Benchmarks are TypeScript modules found at run time (src/**/*.bench.ts): `rig bench` runs the sources.
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));

const state = mode === 'source' || command === 'bench' ? 'not wanted' : cliBundleState(buildDir, root);
if (state === 'current') {
  // Where the bundle's worker entry points are (src/analysis/signal/programmeOffThread.ts reads it).
  globalThis[Symbol.for('studio-rig.cliBundleUrl')] = buildDir.href;
  await import(new URL('main.js', buildDir).href);
} else {
  if (mode === 'build') {
    process.stderr.write(`rig: RIG_CLI=build, but the built CLI in ${buildDir.pathname} is ${state}; run \`npm run build\`\n`);
    process.exit(1);
  }
  if (state !== 'not wanted') {
    process.stderr.write(`rig: the built CLI (dist/cli) is ${state}: running the TypeScript sources through tsx, ~0.5 s slower to start; \`npm run build\` rebuilds it\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
