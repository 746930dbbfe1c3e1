import wabtInit from 'wabt';
import { wasm } from './wasmInstance.ts';

export { type WasmMemory, createWasmMemory, instantiateWasm } from './wasmInstance.ts';

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
