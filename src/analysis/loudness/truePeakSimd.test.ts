import { describe, expect, it } from 'vitest';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { mulberry32 } from '../signal/seededNoise.ts';
import { JS_TRUE_PEAK_STEPS, TRUE_PEAK_CHUNK, truePeakLinear } from './truePeak.ts';
import { TruePeakSimd, truePeakWat } from './truePeakSimd.ts';

/**
 * The kernel compiled from its text inside each test, never when the file loads: under Stryker a mutant of the text
 * is switched on only while a test runs (a module compiled at load ran the unmutated text: those mutants survived).
 */
const kernel = (): object => compileWat('truePeak.wat', truePeakWat());

/** Signals that make the search filter few chunks (a slow tone), most (noise), and edge chunks (steps at both ends). */
function signals(frames: number): Record<string, Float32Array> {
  const next = mulberry32(11);
  const noise = Float32Array.from({ length: frames }, () => next() - 0.5);
  const tone = Float32Array.from({ length: frames }, (_, i) => (0.1 + 0.4 * (i / frames)) * Math.sin(0.07 * i) + 0.01 * (next() - 0.5));
  const edges = Float32Array.from({ length: frames }, (_, i) => 0.2 * Math.sin(0.6 * i));
  edges[0] = 0.95;
  edges[frames - 1] = -0.95;
  const burst = new Float32Array(frames);
  for (let i = 30_000; i < 30_500 && i < frames; i++) burst[i] = 0.3 * Math.sin(2.8 * i);
  return { noise, tone, edges, burst };
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('truePeakSimd', () => {
  // 70 001 samples: 274 chunks, so the statistics are staged in two blocks and the last chunk is partial.
  const frames = 70_001;
  const chunks = Math.ceil(frames / TRUE_PEAK_CHUNK);

  it('computes every chunk statistic (max |x|, max step) to the last bit of the JavaScript steps', () => {
    const simd = new TruePeakSimd(kernel());
    for (const [name, x] of Object.entries(signals(frames))) {
      const m = new Float64Array(chunks), d = new Float64Array(chunks), mRef = new Float64Array(chunks), dRef = new Float64Array(chunks);

      simd.chunkStats(x, 0, m, d);

      JS_TRUE_PEAK_STEPS.chunkStats(x, 0, mRef, dRef);
      expect(sameBits(m, mRef), `${name} m`).toBe(true);
      expect(sameBits(d, dRef), `${name} d`).toBe(true);
    }
  });

  it('computes the chunk statistics of a range that starts after chunk 0, across two staged blocks, to the last bit', () => {
    const simd = new TruePeakSimd(kernel());
    const { noise, edges } = signals(frames);
    // The first sample of each staged block's first reach (chunk k from k·CHUNK − 8) holds the largest |x| and step.
    const first = 5, count = chunks - first;
    const spikes = new Float32Array(frames);
    for (const k of [first, first + 256]) spikes[k * TRUE_PEAK_CHUNK - 8] = 0.9;
    for (const x of [noise, edges, spikes]) {
      const m = new Float64Array(count), d = new Float64Array(count), mRef = new Float64Array(count), dRef = new Float64Array(count);

      simd.chunkStats(x, first, m, d);

      JS_TRUE_PEAK_STEPS.chunkStats(x, first, mRef, dRef);
      expect(sameBits(m, mRef) && sameBits(d, dRef)).toBe(true);
    }
  });

  it('refuses an interior chunk that is not one chunk long, saying so', () => {
    const simd = new TruePeakSimd(kernel());
    const { noise } = signals(frames);
    const start = 10 * TRUE_PEAK_CHUNK;

    expect(() => simd.interiorPeak(noise, start, start + TRUE_PEAK_CHUNK - 1, 0)).toThrow(
      `TruePeakSimd: interior chunks are ${TRUE_PEAK_CHUNK} samples, got ${TRUE_PEAK_CHUNK - 1}`,
    );
  });

  it('sums the levels and computes the chunk statistics of a whole channel in one pass, to the last bit of the JavaScript steps', () => {
    const simd = new TruePeakSimd(kernel());
    for (const [name, x] of Object.entries(signals(frames))) {
      for (const overall of [undefined, 1234.5678]) {
        const m = new Float64Array(chunks), d = new Float64Array(chunks), mRef = new Float64Array(chunks), dRef = new Float64Array(chunks);

        const sums = simd.levelsAndChunkStats(x, overall, m, d);

        expect(sums, name).toStrictEqual(JS_TRUE_PEAK_STEPS.levelsAndChunkStats(x, overall, mRef, dRef));
        expect(sameBits(m, mRef) && sameBits(d, dRef), name).toBe(true);
      }
    }
  });

  it('filters every interior chunk to the peak the JavaScript filter gives, to the last bit', () => {
    const simd = new TruePeakSimd(kernel());
    const { noise, tone } = signals(frames);
    for (const x of [noise, tone]) {
      for (let k = 1; k < chunks - 1; k += 7) {
        const start = k * TRUE_PEAK_CHUNK, end = start + TRUE_PEAK_CHUNK;
        expect(simd.interiorPeak(x, start, end, 0)).toBe(JS_TRUE_PEAK_STEPS.interiorPeak(x, start, end, 0));
      }
    }
  });

  it('filters batches of interior chunks to the peak the JavaScript filter gives, to the last bit', () => {
    const simd = new TruePeakSimd(kernel());
    const { noise } = signals(frames);
    const list = Uint32Array.from({ length: simd.batchChunks }, (_, i) => 3 + 11 * i);
    expect(simd.interiorPeaks(noise, list, list.length, 0)).toBe(JS_TRUE_PEAK_STEPS.interiorPeaks(noise, list, list.length, 0));
    expect(simd.interiorPeaks(noise, list, 5, 0.01)).toBe(JS_TRUE_PEAK_STEPS.interiorPeaks(noise, list, 5, 0.01));
  });

  it('finds an output that beats the peak so far by less than the binary32 screen can see', () => {
    const simd = new TruePeakSimd(kernel());
    const { noise, tone } = signals(frames);
    for (const x of [noise, tone]) {
      for (let k = 1; k < chunks - 1; k += 5) {
        const start = k * TRUE_PEAK_CHUNK, end = start + TRUE_PEAK_CHUNK;
        const exact = JS_TRUE_PEAK_STEPS.interiorPeak(x, start, end, 0);
        const justBelow = exact * (1 - 2 ** -40);
        expect(simd.interiorPeak(x, start, end, justBelow)).toBe(exact);
        expect(simd.interiorPeak(x, start, end, exact)).toBe(exact);
      }
    }
  });

  it('keeps the group of four outputs that holds the true peak, whatever the samples around it: two built cases', () => {
    // The screen may skip four outputs only when none can beat the peak so far (here the sample peak, 1). Two signals
    // built against screens that read the wrong binary32 taps (each skipped the group and read the peak 1.0000001 or
    // 1), i on a group's first output, in the first chunk filtered and again in a later one:
    // - seven samples from a linear program: the largest output (1.0003, a quarter of the way from x[i] to x[i + 1]) in
    //   a group whose other outputs, and every output around it, are ≤ 1 (a screen on other phases' or reversed taps);
    // - two full-scale samples side by side (1.2573 between them) and eight under 0.015 placed so that, in a screen
    //   reading the binary64 taps as pairs of binary32, every huge partial sum (up to 10³⁷ per unit sample) cancels to
    //   exactly 0 in binary32 and the rest stay under 0.13.
    const simd = new TruePeakSimd(kernel());
    const cases: [number, number][][] = [
      [[-8, -0.174424], [-7, -0.793332], [-5, 1], [-3, 0.64961], [-1, -0.822333], [0, 1], [11, -0.550332]],
      [[-5, -1.398694216003804e-10], [-4, 0.000009999999747378752], [-3, 1.9787601956977596e-7], [-2, 7.526745093855425e-7], [0, 1], [1, 1],
        [7, -0.00000999999883788405], [8, 1.398694216003804e-10], [9, 0.014147195965051651], [10, 1.0527614370536842e-11]],
    ];
    for (const [c, pattern] of cases.entries()) {
      for (const at of [[352], [352, 712]]) {
        const x = new Float32Array(1024);
        for (const i of at) for (const [r, v] of pattern) x[i + r] = v;
        expect(truePeakLinear(x), `case ${c} at ${at}`).toBeGreaterThan(1.0002);
        expect(truePeakLinear(x, simd), `case ${c} at ${at}`).toBe(truePeakLinear(x));
      }
    }
  });

  it('gives truePeakLinear to the last bit', () => {
    const simd = new TruePeakSimd(kernel());
    for (const [name, x] of Object.entries(signals(frames))) expect(truePeakLinear(x, simd), name).toBe(truePeakLinear(x));
  });
});
