// Whether the CLI bundle that scripts/build-cli.mjs builds (dist/cli) is current: bin/rig.js runs it only
// then, and the test suite's global setup rebuilds it only when it is not.
import { readFileSync, statSync } from 'node:fs';

/**
 * 'current', or why the bundle in `buildDir` (a directory URL) cannot be used: it is missing, or a source
 * file in it changed since. stamp.json lists every source file in the bundle (relative to `root`, the
 * package's URL) and the newest of their modification times; statting them takes a few ms.
 */
export function cliBundleState(buildDir, root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(new URL('stamp.json', buildDir), 'utf8'));
  } catch {
    return 'missing';
  }
  for (const file of stamp.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(new URL(file, root)).mtimeMs;
    } catch {
      return `stale (${file} is gone)`;
    }
    if (mtimeMs > stamp.newestInputMtimeMs) return `stale (${file} changed since the build)`;
  }
  return 'current';
}
