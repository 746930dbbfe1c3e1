import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliBundleState } from '../bin/cliBundleState.js';
import { TEST_TMP_ROOT_VARIABLE } from '../src/testing/testTempDir.ts';

const ROOT = join(import.meta.dirname, '..');

/**
 * Builds the CLI bundle (dist/cli) before the tests when it is not current, so the tests that run
 * `bin/rig.js` as a user would run the current code from the bundle (~0.15 s a start) rather than falling
 * back to tsx (~1 s) after an edit. Current = bin/rig.js's own rule: no file in the bundle's stamp changed
 * since — its sources and the build scripts (build-cli.mjs lists itself and keepModuleLocation.mjs among
 * the stamp's inputs). The check takes a few ms; the build ~2 s of wall time before the first test file
 * starts (esbuild, and the analysis worker's WebAssembly kernels).
 */
export default function setup(): () => void {
  drawFastCheckSeed();
  const removeTempRoot = makeTempRoot();
  const buildDir = join(ROOT, 'dist', 'cli');
  if (cliBundleState(pathToFileURL(`${buildDir}/`), pathToFileURL(`${ROOT}/`)) !== 'current') {
    execFileSync(process.execPath, [join(import.meta.dirname, 'build-cli.mjs')], { stdio: 'inherit' });
  }
  return removeTempRoot;
}

/**
 * The run's temporary folder (src/testing/testTempDir.ts): every worker thread takes a folder of its own in it
 * (scripts/vitestTempDirGuard.ts), and the teardown returned removes it with whatever a failed or stopped file left.
 */
function makeTempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'studio-rig-vitest-'));
  process.env[TEST_TMP_ROOT_VARIABLE] = root;
  return () => rmSync(root, { recursive: true, force: true });
}

/**
 * One fast-check seed for the whole run, printed once (before, each sim file drew and printed its own and src/'s
 * property tests had none to replay by): every worker inherits it through the environment, and FC_SEED=<it>
 * replays any property of the run (vitestFastCheckSeed.ts configures fast-check with it in each file).
 */
function drawFastCheckSeed(): void {
  if (process.env.FC_SEED || process.env.FC_SWEEP) return;
  const seed = (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  process.env.FC_SEED = String(seed);
  process.stdout.write(`fast-check seed ${seed} for every property test of this run (replay with FC_SEED=${seed})\n`);
}
