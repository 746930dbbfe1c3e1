import type { HapticMixKernel, WasmMemory } from './mixKernel.ts';

/**
 * The haptic kernels compiled for this machine: native/hapticKernel.c, a Node-API addon the project's
 * install builds (`npm run build:native`, node-gyp, -O3 -march=native -ffp-contract=off), with the
 * WebAssembly kernels' contract and bits over the same memory, plus finishTo: finish writing straight
 * into the host's output arrays (bound once with bindOutputs) instead of in place, which saves the copy.
 *
 * Loaded through process.getBuiltinModule, so this file imports nothing from Node and does nothing at
 * import (an AudioWorklet scope has neither `process` nor `URL`): in a browser or worklet bundle, on a
 * Node without getBuiltinModule (before 20.16), or where the addon is not built or does not load
 * (another Node ABI, a CPU without the extensions it was built for), it is simply unavailable and the
 * engine uses the WebAssembly kernels.
 */
export interface NativeHapticMixKernel extends HapticMixKernel {
  /**
   * finish(out, strideBytes, frames, numT, peak, sumsq) with channel t written to the t-th bound array
   * (from its index 0) instead of in place; −1 and nothing done when fewer than numT arrays are bound or
   * one is shorter than `frames`. The caller checks before each call that the bound arrays are the ones
   * it means (a detached array reads length 0).
   */
  finishTo(out: number, strideBytes: number, frames: number, numT: number, peak: number, sumsq: number): number;
  /** Binds the Float32Arrays finishTo writes to (holds them); returns how many were bound. Allocates: not per block. */
  bindOutputs(outputs: readonly Float32Array[]): number;
}

interface HapticKernelAddon {
  createKernel(buffer: ArrayBuffer): NativeHapticMixKernel;
  /** Null when this CPU has every instruction-set extension the kernels were compiled for, else the first it lacks. */
  unsupported(): string | null;
}

interface NodeBuiltins {
  getBuiltinModule?(name: 'node:module'): { createRequire(url: string): (id: string) => unknown };
}

/** Where the install puts the addon, beside this file (computed when loading: an AudioWorklet scope has no URL). */
const addonPath = () => decodeURIComponent(new URL('./native/build/Release/hapticKernel.node', import.meta.url).pathname);

let addon: HapticKernelAddon | null | undefined;
let missingReason = '';

function loadAddon(): HapticKernelAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  const node = (globalThis as { process?: NodeBuiltins }).process;
  if (typeof node?.getBuiltinModule !== 'function') {
    missingReason = 'not in Node ≥ 20.16';
    return addon;
  }
  const path = addonPath();
  try {
    const loaded = node.getBuiltinModule('node:module').createRequire(import.meta.url)(path) as HapticKernelAddon;
    const lacks = loaded.unsupported();
    if (lacks === null) addon = loaded;
    else missingReason = `${path} was built for a CPU with ${lacks}, which this one lacks; rebuild it here with \`npm run build:native\``;
  } catch (error) {
    missingReason = `${path} not built or not loadable (${(error as Error).message.split('\n')[0]}); build it with \`npm run build:native\``;
  }
  return addon;
}

/** True when the native kernels can be used in this process (loads the addon on first call). */
export function nativeKernelAvailable(): boolean {
  return loadAddon() !== null;
}

/** The native kernels over `memory` (call in prepare(): it allocates); throws, saying why, when they are unavailable. */
export function createNativeMixKernel(memory: WasmMemory): NativeHapticMixKernel {
  const native = loadAddon();
  if (native === null) throw new Error(`the native haptic kernel is unavailable: ${missingReason}`);
  return native.createKernel(memory.buffer);
}
