import wabtInit from 'wabt';

/** The WebAssembly JS API (typed here: the project's TS lib has no DOM/WebAssembly declarations). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const wabt = await wabtInit();

/**
 * Compiles WebAssembly text (SIMD enabled) to a module with the `wabt` package: the kernels are kept as
 * readable WAT in the sources and built at load time, so there is no build step and no binary in the
 * repository. Validation errors throw with wabt's message (line and column in `name`).
 */
export function compileWat(name: string, text: string): object {
  const parsed = wabt.parseWat(name, text, { simd: true });
  try {
    parsed.validate();
    return new wasm.Module(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** A zeroed WebAssembly memory of at least `bytes`, never grown (growing would detach every view of it). Call in prepare(). */
export function createWasmMemory(bytes: number): WasmMemory {
  return new wasm.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
}

/** Instantiates `module` over `memory` (imported as env.memory); call in prepare(), instantiation allocates. */
export function instantiateWasm<Exports>(module: object, memory: WasmMemory): Exports {
  return new wasm.Instance(module, { env: { memory } }).exports as Exports;
}
