import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds the CLI bundle (dist/cli) before the tests, so the tests that run `bin/rig.js` as a user would
 * run the current code from the bundle (~0.15 s a start) rather than falling back to tsx (~1 s) after an
 * edit. esbuild takes well under a second.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, 'build-cli.mjs')], { stdio: 'inherit' });
}
