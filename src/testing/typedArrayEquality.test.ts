import { describe, expect, it } from 'vitest';
import { sameTypedArrayBytes } from './typedArrayEquality.ts';

/** A float32 NaN with another payload than the canonical one. */
function otherNaN(): number {
  const x = new Float32Array(1);
  new Uint32Array(x.buffer)[0] = 0x7fc00001;
  return x[0];
}

const registered = () => (globalThis as { [k: symbol]: { customEqualityTesters: unknown[] } })[Symbol.for('$$jest-matchers-object')].customEqualityTesters;

describe('sameTypedArrayBytes, vitest\'s typed-array equality tester (registered by scripts/vitestTypedArrayEquality.ts)', () => {
  const render = () => Array.from({ length: 4 }, (_, c) => Float32Array.from({ length: 6000 }, (_, i) => Math.sin(0.01 * i * (c + 1))));

  it('answers true for byte-identical arrays of one kind, and toEqual passes on them, nested in arrays too', () => {
    const [a, b] = [render(), render()];
    expect(sameTypedArrayBytes(a[0], b[0])).toBe(true);
    expect(registered()).toEqual([sameTypedArrayBytes]); // by the setup file, once in a shared worker
    expect(a).toEqual(b);
    expect(a[1].subarray(100, 200)).toEqual(b[1].slice(100, 200)); // views at any offset: their own bytes
  });

  it('leaves every other pair to vitest, whose verdicts stand: one sample changed, +0 against −0, another kind, another length', () => {
    const [a, b] = [render(), render()];
    b[2][4321] = Math.fround(b[2][4321] + 1e-6);
    expect(sameTypedArrayBytes(a[2], b[2])).toBeUndefined();
    expect(() => expect(a).toEqual(b)).toThrow(/to deeply equal/);

    expect(sameTypedArrayBytes(new Float32Array([0]), new Float32Array([-0]))).toBeUndefined();
    expect(() => expect(new Float32Array([0])).toEqual(new Float32Array([-0]))).toThrow();

    const words = new Uint32Array(a[0].buffer);
    expect(sameTypedArrayBytes(a[0], words)).toBeUndefined();
    expect(() => expect(a[0]).toEqual(words)).toThrow();
    expect(sameTypedArrayBytes(a[0], a[0].subarray(1))).toBeUndefined();
    expect(() => expect(a[0]).toEqual(a[0].subarray(1))).toThrow();
    expect(sameTypedArrayBytes([1], [1])).toBeUndefined();
  });

  it('leaves NaNs of different payloads to vitest, which calls them equal (Object.is), as before', () => {
    const [a, b] = [new Float32Array([1, Number.NaN]), new Float32Array([1, otherNaN()])];
    expect(sameTypedArrayBytes(a, b)).toBeUndefined();
    expect(a).toEqual(b);
  });
});
