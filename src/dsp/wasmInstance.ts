/**
 * Memories and instances of compiled WebAssembly modules, without the WAT compiler: a thread that is
 * handed modules compiled elsewhere (a WebAssembly.Module posts between threads) instantiates them
 * here and never loads `wabt` (wasmRuntime.ts compiles).
 */

/** The WebAssembly JS API (typed here: the project's TS lib has no DOM/WebAssembly declarations). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A zeroed WebAssembly memory of at least `bytes`, never grown (growing would detach every view of it). Call in prepare(). */
export function createWasmMemory(bytes: number): WasmMemory {
  return new wasm.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
}

/**
 * Instantiates `module` over `memory` (imported as env.memory) and any further `imports` (other
 * modules than env); call in prepare(), instantiation allocates.
 */
export function instantiateWasm<Exports>(module: object, memory: WasmMemory, imports: Record<string, object> = {}): Exports {
  return new wasm.Instance(module, { ...imports, env: { memory } }).exports as Exports;
}
