import { fnv1aHex } from './textHash.ts';

/** A kernel's binary as embedded in the bundle: the fingerprint of its WAT text and the binary in base64. */
export interface EmbeddedKernel {
  textHash: string;
  base64: string;
}

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
    acc = ((acc << 6) | values[clean.charCodeAt(i)]) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (acc >> bits) & 0xff;
    }
  }
  return bytes;
}

/**
 * compileWat over a table of precompiled binaries: the module for `name`, compiled once, provided the
 * WAT text the engine passes has the fingerprint recorded at build time; otherwise an error saying
 * which kernel and how to rebuild (a stale bundle never runs another kernel than the sources').
 */
export function precompiledKernels(table: Readonly<Record<string, EmbeddedKernel>>): (name: string, text: string) => WebAssembly.Module {
  const compiled = new Map<string, WebAssembly.Module>();
  return (name, text) => {
    const entry = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!entry) throw new Error(`compileWat: no precompiled binary for ${name} in this bundle (known: ${Object.keys(table).join(', ')}); add it to src/browser/worklet/kernelBinaries.ts`);
    const hash = fnv1aHex(text);
    if (hash !== entry.textHash) throw new Error(`compileWat: ${name} changed since this bundle was built (text ${hash}, bundle ${entry.textHash}); rebuild it: npm run build (the CLI, the browser page and the worker bundles embed the kernels)`);
    let module = compiled.get(name);
    if (module === undefined) {
      module = new WebAssembly.Module(decodeBase64(entry.base64));
      compiled.set(name, module);
    }
    return module;
  };
}
