import { describe, expect, it, vi } from 'vitest';
import { wasm } from './wasmInstance.ts';
import * as shared from './wasmRuntime.ts';

// wabt's parse trees live in its own WebAssembly heap, which JavaScript's collector never frees: compileWat must
// destroy every tree it makes, on success and when validation throws. The mock counts trees made and destroyed.
const trees = vi.hoisted(() => ({ made: 0, destroyed: 0 }));
vi.mock('wabt', async (importOriginal) => {
  const init = ((await importOriginal()) as { default: () => Promise<{ parseWat: (...args: unknown[]) => { destroy: () => void } }> }).default;
  return {
    default: async () => {
      const wabt = await init();
      const parseWat = wabt.parseWat.bind(wabt);
      wabt.parseWat = (...args: unknown[]) => {
        const tree = parseWat(...args);
        trees.made++;
        const destroy = tree.destroy.bind(tree);
        tree.destroy = () => {
          trees.destroyed++;
          destroy();
        };
        return tree;
      };
      return wabt;
    },
  };
});
// A fresh instance of the module (the query makes it another module): the shared test worker has loaded
// wasmRuntime.ts already, with the real wabt (the engines compile their kernels when they load). The static import
// above is that instance; it also makes this file one of wasmRuntime.ts's related tests (Stryker runs only those).
const counted = (await import(/* @vite-ignore */ `./wasmRuntime.ts?${'wabt-counted'}`)) as typeof shared;
const { compileWat } = counted;

describe('compileWat', () => {
  it('frees wabt’s parse tree of every module it compiles, and of one that fails validation', () => {
    trees.made = trees.destroyed = 0;

    const module = compileWat('ok.wat', '(module (func (export "f") (result i32) (i32.const 7)))');
    expect(() => compileWat('bad.wat', '(module (func (result i32) (f32.const 1)))')).toThrow();

    expect(counted).not.toBe(shared);
    expect(module).toBeInstanceOf(wasm.Module);
    expect(trees).toEqual({ made: 2, destroyed: 2 });
  });
});
