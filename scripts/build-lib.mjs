#!/usr/bin/env node
// Builds the package's entry points (package.json "exports": ./engine, ./analysis, ./conformance,
// ./golden, ./hil) for plain Node 20, which cannot run TypeScript: tsc compiles src/lib/*.ts and
// everything they import to dist/ as JavaScript beside .d.ts declarations, rewriting the sources'
// ".ts" import specifiers to ".js" (tsconfig.lib.json). Run by `npm install`/`npm ci`/`npm pack`
// through the "prepare" script; dist/ is not committed.
//
// Measured on the 2-core VM (load ~20, so read the CPU seconds): tsc alone 9.4 s CPU; esbuild
// (bundled, 0.4 s) + tsc --emitDeclarationOnly (9.3 s) 9.7 s. The declarations need the full type check
// either way, so one tool it is; per-file output also keeps stack traces pointing at real modules.
// Incremental: a rebuild with nothing changed only re-checks (dist/.tsbuildinfo).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = performance.now();
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.lib.json')], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write('build-lib: tsc failed (see above); dist/ is incomplete\n');
  process.exit(1);
}
process.stderr.write(`build-lib: dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
