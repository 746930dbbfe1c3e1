import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
// write-file-atomic ships no type declarations; its promise API is typed below.
// @ts-ignore -- untyped CommonJS module
import writeFileAtomicUntyped from 'write-file-atomic';

const writeFileAtomic = writeFileAtomicUntyped as (path: string, data: string, options?: { encoding?: string; fsync?: boolean }) => Promise<void>;

/**
 * Writes a text file atomically (write-file-atomic: a temporary file beside the target, fsynced, renamed
 * over it), creating the folder first. A reader sees the old file or the new one, never half of one.
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text, { encoding: 'utf8' });
}
