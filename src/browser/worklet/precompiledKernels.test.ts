import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernelBinaries, kernelTexts } from './kernelBinaries.ts';
import { decodeBase64, precompiledKernels } from './precompiledKernels.ts';

describe('precompiled kernels (the worklet compileWat)', () => {
  let table: Awaited<ReturnType<typeof compileKernelBinaries>>;
  const texts = kernelTexts();
  beforeAll(async () => {
    table = await compileKernelBinaries();
  });

  it('has a binary for every kernel the engines and the analysis compile, and each compiles', () => {
    expect(Object.keys(table).sort()).toEqual(['fdnRest16.wat', 'fdnRest32.wat', 'fdnRest4.wat', 'fdnRest8.wat', 'fft.wat', 'hapticMix.wat', 'lineDesign.wat']);
    const compile = precompiledKernels(table);
    for (const [name, text] of Object.entries(texts)) expect(compile(name, text)).toBeInstanceOf(WebAssembly.Module);
  });

  it('decodes base64 exactly as Node does', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 73 + 11) & 0xff);
      expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
  });

  it('refuses a WAT text that changed since the build, and an unknown kernel', () => {
    const compile = precompiledKernels(table);
    expect(() => compile('hapticMix.wat', `${texts['hapticMix.wat']} `)).toThrow(/changed since this bundle was built .*npm run build/);
    expect(() => compile('fdnRest12.wat', 'x')).toThrow(/no precompiled binary for fdnRest12.wat/);
    expect(() => compile('constructor', 'x')).toThrow(/no precompiled binary/);
  });
});
