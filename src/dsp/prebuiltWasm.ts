import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { wasm } from './wasmInstance.ts';

/**
 * WebAssembly kernels compiled ahead of time by scripts/build-cli.mjs, beside the CLI bundle: a thread
 * that would otherwise load `wabt` (~90 ms of CPU) only to compile its kernels reads their binaries.
 * A binary is named after its kernel and a hash of its WAT text, so an edited kernel never meets a
 * stale binary: it is compiled from the text instead (also when running the TypeScript sources).
 */
export function prebuiltWasmFile(name: string, watText: string): string {
  return `wasm/${name}-${createHash('sha256').update(watText).digest('hex').slice(0, 16)}.wasm`;
}

/** The module of `watText`: the prebuilt binary under `bundleUrl` when there is one for this text, else compiled by wabt. */
export async function compileWatOrPrebuilt(name: string, watText: string, bundleUrl: string | undefined): Promise<object> {
  if (bundleUrl) {
    try {
      return new wasm.Module(readFileSync(new URL(prebuiltWasmFile(name, watText), bundleUrl)));
    } catch {
      // not built (or not readable): compile below
    }
  }
  const { compileWat } = await import('./wasmRuntime.ts');
  return compileWat(`${name}.wat`, watText);
}
