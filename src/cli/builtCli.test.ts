import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBundleState } from '../../bin/cliBundleState.js';
import { type CliRun, spawnRig } from './cliTestRunner.ts';

/**
 * The bundle scripts/build-cli.mjs makes (npm ci's `prepare`) against the TypeScript sources run through
 * tsx: same help and version, and bin/rig.js's choice between them. Built into a directory of its own
 * under dist/ (inside the checkout, where the bundle's npm imports resolve), so the checkout's dist/cli is
 * never touched while other tests run the CLI.
 */
const ROOT = join(import.meta.dirname, '../..');
let buildDir: string;
const built: Record<string, CliRun> = {};
const source: Record<string, CliRun> = {};
let stale: CliRun, missing: CliRun, staleRequired: CliRun;

beforeAll(async () => {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  buildDir = mkdtempSync(join(ROOT, 'dist', 'test-')); // dist/<name>: as deep as dist/cli

  // The checkout's bundle is build-cli.mjs's build of the current sources whenever its stamp says it is current
  // (vitest's global setup rebuilds it before any test when it is not): a copy of it is that build, without
  // esbuild's ~1.7 s of CPU a second time. Otherwise (a bundle edited or stale by now) a build of its own.
  const checkoutBundle = join(ROOT, 'dist', 'cli');
  if (cliBundleState(pathToFileURL(`${checkoutBundle}/`), pathToFileURL(`${ROOT}/`)) === 'current') cpSync(checkoutBundle, buildDir, { recursive: true });
  else execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--outdir', buildDir], { stdio: 'pipe' });
  const runs = await Promise.all([
    spawnRig(['--help'], { env: { RIG_BUILD_DIR: buildDir, RIG_CLI: 'build' } }),
    spawnRig(['--version'], { env: { RIG_BUILD_DIR: buildDir, RIG_CLI: 'build' } }),
    spawnRig(['--help'], { env: { RIG_CLI: 'source' } }),
    spawnRig(['--version'], { env: { RIG_CLI: 'source' } }),
  ]);
  [built.help, built.version, source.help, source.version] = runs;
  const stampFile = join(buildDir, 'stamp.json');
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { newestInputMtimeMs: number };
  writeFileSync(stampFile, JSON.stringify({ ...stamp, newestInputMtimeMs: 0 })); // as if every source changed since the build
  [stale, staleRequired, missing] = await Promise.all([
    spawnRig(['--version'], { env: { RIG_BUILD_DIR: buildDir, RIG_CLI: undefined } }),
    spawnRig(['--version'], { env: { RIG_BUILD_DIR: buildDir, RIG_CLI: 'build' } }),
    spawnRig(['--version'], { env: { RIG_BUILD_DIR: join(buildDir, 'nothing-here'), RIG_CLI: 'build' } }),
  ]);
}, 60_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

describe('the built CLI', () => {
  it('prints the same --help and --version as the TypeScript sources, every command listed', () => {
    for (const r of [built.help, built.version, source.help, source.version]) expect(r.code, r.stderr).toBe(0);
    expect(built.help.stdout).toBe(source.help.stdout);
    expect(built.version.stdout).toBe(source.version.stdout);
    expect(built.version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    for (const name of ['analyze', 'bench', 'demo', 'golden', 'hil', 'latency', 'presets', 'render', 'serve']) expect(built.help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('is left for the sources, with a message saying why, once a source file is newer than the build', () => {
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stdout).toBe(source.version.stdout);
    expect(stale.stderr).toMatch(/the built CLI \(dist\/cli\) is stale \(.+ changed since the build\): running the TypeScript sources through tsx/);
  });

  it('refuses a stale or missing bundle when RIG_CLI=build insists on it', () => {
    expect(staleRequired.code).toBe(1);
    expect(staleRequired.stderr).toMatch(/RIG_CLI=build, but the built CLI .* is stale/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is missing/);
  });
});
