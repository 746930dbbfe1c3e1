import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** A snapshot WAV's name as `rig serve` writes it (`<e>-<UTC time>-<n>-out.wav`): no separator, no leading dot. */
const SNAPSHOT_NAME = /^[A-Za-z0-9][\w.:+-]{0,199}\.wav$/;

/**
 * The file a `/<e>/snapshot_ready` reply names, confined to the snapshots folder its reader (the dev server, the live tuner) was
 * configured with (`snapshotsDir`: `rig serve --snapshots`): the reply is a name inside it, or an absolute path whose folder
 * is that folder. Anything else — a relative path with separators, `..`, another folder, a name that
 * is not a `.wav` — throws, naming the reply (escaped). The name is a name, never a path.
 */
export function snapshotFileIn(snapshotsDir: string, reported: string): string {
  const refuse = (why: string) => new Error(`snapshot file ${JSON.stringify(reported.slice(0, 300))}: ${why}`);
  const dir = resolve(snapshotsDir);
  const name = basename(reported);
  if (!SNAPSHOT_NAME.test(name) || reported.includes('\\') || reported.includes('\0')) throw refuse('not a snapshot WAV name');
  if (reported !== name) {
    if (!isAbsolute(reported)) throw refuse('a relative path; expected a name or an absolute path in the snapshots folder');
    if (dirname(resolve(reported)) !== dir || resolve(reported) !== reported.replace(/\/+$/, '')) throw refuse(`outside the snapshots folder ${dir}`);
  }
  return join(dir, name);
}
