import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/testSignals/seededRandom.ts';
import { createJsMixKernel } from './jsMixKernel.ts';
import { createWasmMemory, type HapticMixKernel, instantiateMixKernel } from './mixKernel.ts';
import { createNativeMixKernel } from './nativeMixKernel.ts';

/**
 * Each WebAssembly kernel and each native kernel (nativeMixKernel.ts: built by the install, so required
 * here) against its JavaScript reference (jsMixKernel.ts), one exported function at a time, on the same
 * seeded memory: the whole memory must come out bit-identical (out, meters, and the sine state written back). Span lengths 1 … 11 cover the 4-lane loop, the scalar tail and both together;
 * odd source addresses cover unaligned vector loads. The engine-level check (mixKernel.test.ts) only sees
 * the combinations an engine render reaches.
 */
const BYTES = 1 << 16;
const OUT = 0;
const STRIDE_BYTES = 160 * 4; // rows long enough for 150-frame spans
const CHANNELS = 5;
const COEF = 8192;
const SRC = 16384 + 4 * 97; // history behind it for delays up to 90 + 3 taps
const GAINS = 24576;
const STATE = 28672;
const PEAK = 32768;
const SUMSQ = 33024;

/** One memory per kernel, instantiated once for the file (instantiation is the slow part); the JavaScript reference is kernels[1]. */
const memories = [createWasmMemory(BYTES), createWasmMemory(BYTES), createWasmMemory(BYTES)];
const native = createNativeMixKernel(memories[2]);
const kernels: HapticMixKernel[] = [instantiateMixKernel(memories[0]), createJsMixKernel(memories[1]), native];
const words = memories.map((m) => new Uint32Array(m.buffer, 0, BYTES / 4));
const TESTED = { wasm: 0, native: 2 } as const;

/** Per kernel under test, the first word where its memory differs from the reference's (−1: the same bits). */
function differences(): Record<keyof typeof TESTED, number> {
  return { wasm: firstDifference(words[TESTED.wasm], words[1]), native: firstDifference(words[TESTED.native], words[1]) };
}
const SAME = { wasm: -1, native: -1 };


const REGION_BYTES = SUMSQ + 4 * 64;

/** Index of the first 32-bit word where the two memories differ, −1 when they hold the same bits. */
function firstDifference(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Fills every memory with the same seeded contents: each kernel works on its own. */
function twin(seed: number, fill: (f32: Float32Array, i32: Int32Array, f64: Float64Array, random: () => number) => void) {
  const random = seededRandom(seed).next;
  const [first, ...others] = memories;
  const f32 = new Float32Array(first.buffer, 0, REGION_BYTES / 4);
  for (let i = 0; i < f32.length; i++) f32[i] = 4 * random() - 2;
  fill(f32, new Int32Array(first.buffer, 0, REGION_BYTES / 4), new Float64Array(first.buffer, 0, REGION_BYTES / 8), random);
  for (const other of others) new Uint8Array(other.buffer, 0, REGION_BYTES).set(new Uint8Array(first.buffer, 0, REGION_BYTES));
  return { kernels, words };
}

function coefficients(i32: Int32Array, f32: Float32Array, random: () => number): void {
  for (let t = 0; t < CHANNELS; t++) {
    i32[COEF / 4 + t] = 2 + Math.floor(random() * 88);
    for (let c = 1; c <= 4; c++) f32[COEF / 4 + c * CHANNELS + t] = random() - 0.5;
  }
}

const FRAMES = Array.from({ length: 11 }, (_, k) => k + 1);

/** One special value per channel at a seeded frame, for finish: subnormals, ±0, NaN, ±1, just over 1. */
function specialValues(f32: Float32Array, frames: number, random: () => number): void {
  const special = [1e-40, -1e-40, -0, Number.NaN, 1, -1, 1.0000001, 3e-39];
  for (let t = 0; t < CHANNELS; t++) f32[(OUT + t * STRIDE_BYTES) / 4 + Math.floor(random() * frames)] = special[t + (frames % 4)];
}

describe('each WebAssembly and native mix kernel against its JavaScript reference', () => {
  for (const name of ['mixLinear', 'mixCubic'] as const) {
    it.each(FRAMES)(`${name} gives the same bits over %i frames (5 channels, delays 2…89)`, (frames) => {
      const { kernels } = twin(frames, (f32, i32, _f64, random) => coefficients(i32, f32, random));

      for (const k of kernels) k[name](OUT, STRIDE_BYTES, SRC + 4 * (frames % 3), frames, COEF, CHANNELS);

      expect(differences()).toEqual(SAME);
    });
  }

  it.each(FRAMES)('mixGain gives the same bits over %i frames', (frames) => {
    const { kernels } = twin(100 + frames, () => {});

    for (const k of kernels) k.mixGain(OUT, STRIDE_BYTES, SRC + 4 * (frames % 3), frames, GAINS, CHANNELS);

    expect(differences()).toEqual(SAME);
  });

  it.each([...FRAMES, 16, 21, 37, 64, 150])('finish gives the same bits, clip count and meters over %i frames (subnormals, ±0, NaN, |v| > 1)', (frames) => {
    const { kernels } = twin(200 + frames, (f32, _i32, _f64, random) => specialValues(f32, frames, random));

    const clipped = kernels.map((k) => k.finish(OUT, STRIDE_BYTES, frames, CHANNELS, PEAK, SUMSQ));

    expect(clipped).toEqual([clipped[1], clipped[1], clipped[1]]);
    expect(differences()).toEqual(SAME);
  });

  for (const accumulate of [0, 1]) {
    it.each(FRAMES)(`sineRun (accumulate ${accumulate}) gives the same bits and rotation state over %i frames`, (frames) => {
      const { kernels } = twin(300 + frames, (_f32, _i32, f64) => {
        const w = 0.31 * frames;
        f64.set([0.7, Math.cos(0.2), Math.sin(0.2), Math.cos(w), Math.sin(w)], STATE / 8);
      });

      for (const k of kernels) k.sineRun(OUT, frames, STATE, accumulate);

      expect(differences()).toEqual(SAME);
    });
  }

  const LIST = 30720;
  const TABLE = 40960; // mixSpan's scratch, past the compared region's contents: cleared before comparing
  const STIMULI = 3;
  it.each([...FRAMES, 16, 21, 37, 64, 128, 150])('mixSpan (3 stimuli, with and without the bus) gives the same bits over %i frames', (frames) => {
    for (const bus of [0, SRC + 4 * 40]) {
      const { kernels } = twin(400 + frames, (f32, i32, _f64, random) => {
        for (let k = 0; k < STIMULI; k++) {
          for (let t = 0; t < CHANNELS; t++) {
            i32[(COEF + 128 * k) / 4 + t] = 2 + Math.floor(random() * 88);
            for (let c = 1; c <= 2; c++) f32[(COEF + 128 * k) / 4 + c * CHANNELS + t] = random() - 0.5;
          }
          i32.set([SRC + 4 * (frames % 3) + 4 * 5 * k, COEF + 128 * k], LIST / 4 + 2 * k);
        }
      });

      for (const k of kernels) k.mixSpan(OUT, STRIDE_BYTES, frames, CHANNELS, LIST, STIMULI, bus, GAINS, TABLE);
      for (const m of memories) new Uint8Array(m.buffer, TABLE, 16 * STIMULI * CHANNELS).fill(0);

      expect(differences()).toEqual(SAME);
    }
  });

  // 5 entries: one group of four runs; 9: eight (the native kernel's eight-lane group); 14: eight, then four.
  for (const bus of [0, OUT + 4 * STRIDE_BYTES]) {
    for (const entries of [5, 9, 14]) {
      it.each(FRAMES)(`sineRunMany (bus ${bus}, ${entries} entries: the first ${entries & -4} run) gives the same bits and rotation states over %i frames`, (frames) => {
        const { kernels } = twin(500 + frames + 16 * entries, (_f32, i32, f64) => {
          for (let k = 0; k < entries; k++) {
            const w = 0.11 * frames + 0.3 * k;
            f64.set([0.2 + 0.05 * k, Math.cos(0.2 * k), Math.sin(0.2 * k), Math.cos(w), Math.sin(w)], STATE / 8 + 6 * k);
            i32[STATE / 4 + 12 * k + 10] = OUT + (k % CHANNELS) * STRIDE_BYTES + 64 * Math.floor(k / CHANNELS);
          }
        });

        for (const k of kernels) k.sineRunMany(STATE, entries, frames, bus);

        expect(differences()).toEqual(SAME);
      });
    }
  }

  it.each([1, 2, 5, 32])('linearTaps writes the bits of writeTapCoefficients (the JS kernel calls it) for %i transducers at 40 seeded positions', (numT) => {
    const ARGS = STATE; // 4 f64 of arguments, then xs[numT], ys[numT]
    for (let k = 0; k < 40; k++) {
      const { kernels } = twin(600 + 40 * numT + k, (_f32, _i32, f64, random) => {
        f64.set([random() - 0.25, random() - 0.25, (20 + 480 * random()) / 48000, 0.1 + random()].map((v, i) => (i === 2 ? 1 / v : v)), ARGS / 8);
        for (let t = 0; t < 2 * numT; t++) f64[ARGS / 8 + 4 + t] = 0.5 * random();
      });

      for (const kernel of kernels) kernel.linearTaps(ARGS + 32, ARGS + 32 + 8 * numT, numT, ARGS, COEF);

      expect(differences()).toEqual(SAME);
    }
  });

  it.each([...FRAMES, 16, 21, 37, 64, 150])('native finishTo writes the bits, clip count and meters of finish into the bound arrays over %i frames, and nothing else', (frames) => {
    twin(700 + frames, (f32, _i32, _f64, random) => specialValues(f32, frames, random));
    const outputs = Array.from({ length: CHANNELS + 1 }, () => new Float32Array(frames + 3).fill(7));
    const block = () => words[TESTED.native].slice(OUT / 4, (OUT + CHANNELS * STRIDE_BYTES) / 4);
    const before = block();

    expect(native.bindOutputs(outputs)).toBe(CHANNELS + 1);
    const clipped = native.finishTo(OUT, STRIDE_BYTES, frames, CHANNELS, PEAK, SUMSQ);
    const reference = kernels[1].finish(OUT, STRIDE_BYTES, frames, CHANNELS, PEAK, SUMSQ);

    expect(clipped).toBe(reference);
    for (let t = 0; t < CHANNELS; t++) {
      expect(new Uint32Array(outputs[t].buffer, 0, frames)).toEqual(new Uint32Array(memories[1].buffer, OUT + t * STRIDE_BYTES, frames));
      expect(Array.from(outputs[t].subarray(frames))).toEqual([7, 7, 7]);
    }
    expect(outputs[CHANNELS].every((v) => v === 7)).toBe(true);
    const meters = (w: Uint32Array) => w.slice(PEAK / 4, SUMSQ / 4 + CHANNELS);
    expect(meters(words[TESTED.native])).toEqual(meters(words[1]));
    expect(block()).toEqual(before);
  });

  it('native finishTo does nothing and answers −1 with fewer bound arrays than channels, or one shorter than the block', () => {
    twin(800, (f32, _i32, _f64, random) => specialValues(f32, 8, random));
    const before = words[TESTED.native].slice();
    native.bindOutputs(Array.from({ length: CHANNELS - 1 }, () => new Float32Array(8)));
    expect(native.finishTo(OUT, STRIDE_BYTES, 8, CHANNELS, PEAK, SUMSQ)).toBe(-1);
    const short = Array.from({ length: CHANNELS }, (_, t) => new Float32Array(t === 2 ? 7 : 8));
    native.bindOutputs(short);
    expect(native.finishTo(OUT, STRIDE_BYTES, 8, CHANNELS, PEAK, SUMSQ)).toBe(-1);
    expect(short.every((a) => a.every((v) => v === 0))).toBe(true);
    expect(firstDifference(words[TESTED.native], before)).toBe(-1);
  });
});
