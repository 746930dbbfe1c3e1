import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes a text file atomically (write-file-atomic: a temporary file beside the target, fsynced, renamed
 * over it), creating the folder first. A reader sees the old file or the new one, never half of one.
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text, { encoding: 'utf8' });
}

/** The same, synchronously (golden approval writes a WAV and its sidecar in one step). */
export function writeTextAtomicSync(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic.sync(path, text, { encoding: 'utf8' });
}
