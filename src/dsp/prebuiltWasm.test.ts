import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWatOrPrebuilt, prebuiltWasmFile } from './prebuiltWasm.ts';
import { wasm } from './wasmInstance.ts';

const answering = (n: number): string => `(module (func (export "answer") (result i32) (i32.const ${n})))`;
const answerOf = (module: object): number => (new wasm.Instance(module, {}).exports as { answer: () => number }).answer();

const dir = mkdtempSync(join(tmpdir(), 'prebuilt-wasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compileWatOrPrebuilt', () => {
  // The binary stored under text 1's name answers 2: what a call's module answers shows where it came from.
  it('reads the binary built for exactly this text, compiles any other text, and compiles without a bundle', async () => {
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat('two.wat', answering(2));
    mkdirSync(join(dir, 'wasm'));
    writeFileSync(join(dir, prebuiltWasmFile('k', answering(1))), parsed.toBinary({}).buffer);
    parsed.destroy();
    const bundleUrl = pathToFileURL(`${dir}/`).href;

    expect(answerOf(await compileWatOrPrebuilt('k', answering(1), bundleUrl))).toBe(2);
    expect(answerOf(await compileWatOrPrebuilt('k', answering(3), bundleUrl))).toBe(3);
    expect(answerOf(await compileWatOrPrebuilt('k', answering(1), undefined))).toBe(1);
  });

  it('names a binary wasm/<kernel>-<first 16 hex digits of the text\'s SHA-256>.wasm, and a compile error names <kernel>.wat', async () => {
    expect(prebuiltWasmFile('mix', answering(1))).toMatch(/^wasm\/mix-[0-9a-f]{16}\.wasm$/);
    await expect(compileWatOrPrebuilt('broken', '(module (func (result i32)))', undefined)).rejects.toThrow(/broken\.wat/);
  });
});
