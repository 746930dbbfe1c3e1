/// <reference path="./kernelBinaries.d.ts" />
import { KERNEL_BINARIES } from 'studio-rig:kernel-binaries';
import { fnv1aHex } from './textHash.ts';

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

const compiled = new Map<string, WebAssembly.Module>();

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (the AudioWorkletGlobalScope has no atob). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const values = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) values[BASE64.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | values[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (acc >> bits) & 0xff;
    }
  }
  return bytes;
}

export function compileWat(name: string, text: string): object {
  const entry = KERNEL_BINARIES[name];
  if (!entry) throw new Error(`compileWat: no precompiled binary for ${name} in the browser bundle (known: ${Object.keys(KERNEL_BINARIES).join(', ')}); add it to src/browser/worklet/kernelBinaries.ts`);
  const hash = fnv1aHex(text);
  if (hash !== entry.textHash) throw new Error(`compileWat: ${name} changed since the browser bundle was built (text ${hash}, bundle ${entry.textHash}); rerun scripts/build-browser.mjs`);
  let module = compiled.get(name);
  if (module === undefined) {
    module = new WebAssembly.Module(decodeBase64(entry.base64));
    compiled.set(name, module);
  }
  return module;
}

export function createWasmMemory(bytes: number): WasmMemory {
  return new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
}

export function instantiateWasm<Exports>(module: object, memory: WasmMemory): Exports {
  return new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory: memory as WebAssembly.Memory } }).exports as Exports;
}
