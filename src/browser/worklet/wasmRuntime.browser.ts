/// <reference path="./kernelBinaries.d.ts" />
import { KERNEL_BINARIES } from 'studio-rig:kernel-binaries';
import { precompiledKernels } from './precompiledKernels.ts';

/**
 * The browser's stand-in for src/dsp/wasmRuntime.ts (scripts/build-browser.mjs substitutes it in the
 * bundle; the engines' code is unchanged). Same exports, same behaviour, except that compileWat takes
 * the binary precompiled at build time by kernelBinaries.ts instead of running wabt: the WAT text the
 * engine passes must have the fingerprint recorded with the binary, so the kernel that runs is the
 * kernel of the sources. Compiles synchronously (allowed off the main thread: the AudioWorklet).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const lookup = precompiledKernels(KERNEL_BINARIES);

export function compileWat(name: string, text: string): object {
  return lookup(name, text);
}

export function createWasmMemory(bytes: number): WasmMemory {
  return new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
}

export function instantiateWasm<Exports>(module: object, memory: WasmMemory, imports: Record<string, object> = {}): Exports {
  return new WebAssembly.Instance(module as WebAssembly.Module, { ...imports, env: { memory: memory as WebAssembly.Memory } } as WebAssembly.Imports).exports as Exports;
}
