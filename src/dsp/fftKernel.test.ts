import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { FFT_WAT, WasmFft, fftKernelModule } from './fftKernel.ts';
import { Prng } from './prng.ts';
import { compileWat } from './wasmRuntime.ts';

const module = fftKernelModule();

/** Seeded uniform draws in [0, 1) (the project's xoshiro128**). */
const uniform = (seed: number): (() => number) => {
  const prng = new Prng(seed);
  return () => prng.nextFloat();
};

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Seeded values over many magnitudes and both signs, with runs of +0 and −0 (the sign of a zero output is part of the bits). */
function values(length: number, seed: number): Float64Array {
  const next = uniform(seed);
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const r = next();
    x[i] = r < 0.1 ? 0 : r < 0.2 ? -0 : (next() - 0.5) * 10 ** Math.floor(12 * next() - 6);
  }
  return x;
}

/** fft.js instances by size, made once (a 262 144-point one builds its tables in ~0.1 s). */
const references = new Map<number, FFT>();
function referenceOfSize(size: number): FFT {
  if (!references.has(size)) references.set(size, new FFT(size));
  return references.get(size)!;
}

type Method = 'transform' | 'realTransform' | 'inverseTransform';
const METHODS: Method[] = ['transform', 'realTransform', 'inverseTransform'];

/** Every slot of fft.js's `out` and of the kernel's, from the same input and the same prefilled `out` (realTransform leaves slots unwritten). */
function bothOutputs(size: number, method: Method, data: Float64Array, kernelModule: object = module): { reference: Float64Array; kernel: Float64Array } {
  const reference = new Float64Array(2 * size).fill(Math.PI);
  const kernel = new Float64Array(2 * size).fill(Math.PI);
  referenceOfSize(size)[method](reference, data);
  new WasmFft(size, kernelModule, referenceOfSize(size))[method](kernel, data);
  return { reference, kernel };
}

const inputFor = (size: number, method: Method, seed: number): Float64Array => values(method === 'realTransform' ? size : 2 * size, seed);

describe('WasmFft: fft.js in WebAssembly SIMD', () => {
  // 2 … 65 536 points: odd powers of two start with fft.js's radix-2 step, even ones with its radix-4 step.
  for (let p = 1; p <= 16; p++) {
    const size = 2 ** p;
    it(`gives fft.js's output to the last bit, every slot: ${size} points`, () => {
      for (const method of METHODS) {
        for (const seed of [1, 2]) {
          const { reference, kernel } = bothOutputs(size, method, inputFor(size, method, seed + p));
          expect(sameBits(kernel, reference), `${method}, seed ${seed}`).toBe(true);
        }
        const zeros = method === 'realTransform' ? new Float64Array(size) : new Float64Array(2 * size);
        const { reference, kernel } = bothOutputs(size, method, zeros);
        expect(sameBits(kernel, reference), `${method} of zeros`).toBe(true);
      }
    });
  }

  it("gives fft.js's output to the last bit at 262 144 points (the delay estimator's size in rig hil)", () => {
    for (const method of METHODS) {
      const { reference, kernel } = bothOutputs(262144, method, inputFor(262144, method, 17));
      expect(sameBits(kernel, reference), method).toBe(true);
    }
  });

  it("reads fft.js's bit-reversal as the kernel's first stage assumes: 2·rev(t), rev its own inverse, over the groups used (2 … 2^20 points)", () => {
    for (let p = 1; p <= 20; p++) {
      const { _bitrev: bitrev, _width: width } = new FFT(2 ** p) as unknown as { _bitrev: number[]; _width: number };
      const groups = (2 * 2 ** p) / ((2 * 2 * 2 ** p) / 2 ** width); // csize / len, fft.js's first-stage groups
      for (let t = 0; t < groups; t++) {
        const b = bitrev[t];
        if (b % 2 !== 0 || b < 0 || b / 2 >= groups || bitrev[b / 2] !== 2 * t) throw new Error(`${2 ** p} points: _bitrev[${t}] = ${b}, _bitrev[${b / 2}] = ${bitrev[b / 2]}`);
      }
    }
  });

  it("divides the inverse by N to fft.js's bits where the results are subnormal (a product with 1/N, exact for a power of two)", () => {
    for (const size of [64, 4096]) {
      const next = uniform(size);
      const tiny = Float64Array.from({ length: 2 * size }, () => (next() - 0.5) * 1e-306); // results ~1e-308 · √N / N: many subnormal
      const { reference, kernel } = bothOutputs(size, 'inverseTransform', tiny);
      expect(reference.some((v) => v !== 0 && Math.abs(v) < 2.2250738585072014e-308)).toBe(true);
      expect(sameBits(kernel, reference)).toBe(true);
    }
  });

  it('is reused without carrying anything over: the same input gives the same output after other inputs', () => {
    const fft = new WasmFft(4096, module);
    const data = values(2 * 4096, 5);
    const first = new Float64Array(2 * 4096);
    fft.transform(first, data);
    const other = new Float64Array(2 * 4096);
    fft.inverseTransform(other, values(2 * 4096, 6));
    fft.realTransform(other, values(4096, 7));
    const again = new Float64Array(2 * 4096);
    fft.transform(again, data);
    expect(sameBits(again, first)).toBe(true);
  });

  it('reads only the slots it needs and writes only the first 2N of a longer out', () => {
    const data = values(2 * 256, 8);
    const longer = new Float64Array(4 * 256);
    longer.set(data);
    longer.fill(Number.NaN, 2 * 256);
    const out = new Float64Array(2 * 256 + 3).fill(-1);
    new WasmFft(256, module).transform(out, longer);
    const reference = new Float64Array(2 * 256);
    new FFT(256).transform(reference, data);
    expect(sameBits(out.subarray(0, 2 * 256), reference)).toBe(true);
    expect([...out.subarray(2 * 256)]).toEqual([-1, -1, -1]);
  });

  it('allocates nothing per call when data has exactly the slots a transform reads (fit for process()), and does with a longer one', async () => {
    if (allocationUnmeasurable) return;
    const fft = new WasmFft(64, module);
    const data = values(128, 9);
    const real = data.slice(0, 64);
    const out = new Float64Array(128);
    const exact = await measureAllocation(() => {
      fft.transform(out, data);
      fft.inverseTransform(out, data);
      fft.realTransform(out, real);
    }, { calls: 1000, warmupCalls: 2000 });
    expect(exact.bytes).toBeLessThan(1024);
    // shown to measure: the calls above with a longer data array, whose first slots each call views (a subarray each)
    const longer = values(200, 9);
    const viewed = await measureAllocation(() => fft.transform(out, longer), { calls: 1000, warmupCalls: 2000 });
    expect(viewed.bytes).toBeGreaterThan(20_000);
  });

  it('touches its memory when made: a first transform faults no page in (resident set, least growth of three, 262 144 points)', () => {
    // A transform's two work arrays are 8 MB at this size: untouched, the first transform would make them resident.
    // Other threads of the process can only add to a difference of resident sets, so the least of three is this one's.
    const size = 262144;
    const data = values(2 * size, 11);
    const out = new Float64Array(2 * size);
    let firstTransformGrowth = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < 3; trial++) {
      const fft = new WasmFft(size, module, referenceOfSize(size));
      const before = process.memoryUsage().rss;
      fft.transform(out, data);
      firstTransformGrowth = Math.min(firstTransformGrowth, process.memoryUsage().rss - before);
    }
    expect(firstTransformGrowth).toBeLessThan(2 * 2 ** 20);
  });

  it('refuses a reference transform of another size: its tables would be the wrong ones', () => {
    expect(() => new WasmFft(64, module, new FFT(128))).toThrow('WasmFft(64): the reference transform is of 128 points');
  });

  it('refuses an out that is its input, and arrays too short, as fft.js refuses the first', () => {
    const fft = new WasmFft(64, module);
    const x = new Float64Array(128);
    expect(() => fft.transform(x, x)).toThrow('Input and output buffers must be different');
    expect(() => fft.transform(new Float64Array(128), new Float64Array(127))).toThrow(/data needs 128 slots \(has 127\)/);
    expect(() => fft.realTransform(new Float64Array(127), new Float64Array(64))).toThrow(/out 128 \(has 127\)/);
  });

  it('the bit comparison catches a kernel one zero sign or one rounding away from fft.js (shown on altered kernels)', () => {
    // The real transform's zero imaginary parts written as −0 instead of fft.js's +0: equal as numbers, not as bits.
    const negativeZeros = compileWat('fft-negative-zeros.wat', FFT_WAT.replaceAll('(f64.const 0)', '(f64.const -0)'));
    const signs = bothOutputs(1024, 'realTransform', inputFor(1024, 'realTransform', 3), negativeZeros);
    expect(signs.kernel.every((v, i) => v === signs.reference[i])).toBe(true); // equal as numbers (−0 === +0)
    expect(sameBits(signs.kernel, signs.reference)).toBe(false);
    // The inverse's division by N done as x·3·(1/(3N)): within a rounding or two of fft.js in every slot, not its bits.
    const rescaled = compileWat('fft-rescaled.wat', FFT_WAT.replace('(f64x2.mul (v128.load (local.get $p)) (local.get $n))', '(f64x2.mul (f64x2.mul (v128.load (local.get $p)) (f64x2.splat (f64.const 3))) (f64x2.div (local.get $n) (f64x2.splat (f64.const 3))))'));
    const rounding = bothOutputs(1024, 'inverseTransform', inputFor(1024, 'inverseTransform', 4), rescaled);
    expect(sameBits(rounding.kernel, rounding.reference)).toBe(false);
    let largest = 0;
    for (let i = 0; i < rounding.kernel.length; i++) largest = Math.max(largest, Math.abs(rounding.kernel[i] - rounding.reference[i]) / (Math.abs(rounding.reference[i]) || 1));
    expect(largest).toBeLessThan(1e-15); // a last-bit difference: what only a bit comparison sees
  });
});
