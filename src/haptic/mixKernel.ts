import { type WasmMemory, compileWat, createWasmMemory, instantiateWasm } from '../dsp/wasmRuntime.ts';
import { FINISH_FUNCTION_WAT } from './hapticFinishWat.ts';
import { MIX_FUNCTIONS_WAT } from './hapticMixWat.ts';
import { SOURCE_FUNCTIONS_WAT } from './hapticSourceWat.ts';

export { type WasmMemory, createWasmMemory };

/**
 * The haptic engine's block kernels in WebAssembly (SIMD: f32x4 for the audio, f64x2 for the sines and
 * the taps), compiled at load time with the `wabt` npm package from the WAT of hapticMixWat.ts (the mix),
 * hapticSourceWat.ts (sines, tap tables) and hapticFinishWat.ts (limiter, meters). They are the hot path
 * of the engine: with 8 travelling stimuli × 32 transducers, each output sample is 256 fractional
 * delay-line taps.
 *
 * Why not src/dsp/delayLine.ts: that delay line is a general per-sample primitive (Float64 ring with a
 * mask, one interpolator call per read). Here one delay line per stimulus feeds 32 taps whose delay and
 * gain are constant over a span, so the work is a 2- or 4-tap FIR over a *linear* float32 history with
 * contiguous, unmasked, vectorisable reads.
 *
 * A block of the full load (haptic.bench.ts; one span per block while no source glides, see
 * HapticEngine.process): sineRunMany renders the sustained stimuli's sines four at a time, one mixSpan
 * writes every output frame (per transducer, 16 frames summed over all stimuli in registers, then the
 * standing bus), finish clips and meters; the output copy to the host's 32 arrays is about 7 % of it.
 * Measured (CPU time, medians of 5 interleaved rounds of 10 s, `node scripts/bench-peers.mjs --only haptic
 * --rounds 5 --seconds 10`, load 11–12 on this 2-core AMD EPYC Zen 4): `haptic_wasm_kernel` (these kernels)
 * 285× real time; the block-structured C peer 344–347× with gcc -O3 -march=native, which here means
 * AVX-512, 16 float lanes to WebAssembly's 4, and 263× built for 128-bit vectors without FMA contraction
 * (WebAssembly SIMD's width and arithmetic). In Node the engine runs the same kernels compiled for the
 * machine where the install built them (native/hapticKernel.c, nativeMixKernel.ts): `haptic` 384×.
 * `haptic_js_kernel` ~21× (the same block structure in plain typed-array JavaScript, jsMixKernel.ts, bit-identical).
 *
 * Memory contract (byte addresses into the shared memory):
 * - `out` points at out[0][spanStart]; channel t is `t·strideBytes` further (channel-major, float32).
 * - `src` points at x[n0], the history sample of the span's first frame (already written).
 * - `coef` is one stimulus's coefficient block: D[numT] (i32 integer delay), then c0…c3 [numT] (f32).
 *   Linear tap t: y[n] = c0·x[n−D] + c1·x[n−D−1].
 *   Cubic tap t:  y[n] = ((c0·x[n−D+1] + c1·x[n−D]) + c2·x[n−D−1]) + c3·x[n−D−2].
 * - mixLinear, mixCubic and mixGain add their result to out: out[t][n] ← out[t][n] + y[n]; mixSpan writes
 *   out[t][n] = ((0 + y_0) + … + y_last) + bus·g, the same operations in the same order.
 * Every frame gets the same IEEE f32 operations in the same order whether it falls in a vector loop or
 * the scalar tail, so splitting a span anywhere does not change the bits (no FMA, no relaxed SIMD).
 */
export const HAPTIC_MIX_WAT = String.raw`
(module
  (import "env" "memory" (memory 1))

${MIX_FUNCTIONS_WAT}
${SOURCE_FUNCTIONS_WAT}
${FINISH_FUNCTION_WAT}
)`;

export interface HapticMixKernel {
  mixLinear(out: number, strideBytes: number, src: number, frames: number, coef: number, numT: number): void;
  mixCubic(out: number, strideBytes: number, src: number, frames: number, coef: number, numT: number): void;
  /**
   * One span of the linear mix written to `out`: the taps of the `count` stimuli listed at byte `list` (i32 pairs
   * [src, coef], in that order), then, when `bus` ≠ 0, bus × gains — the same bits as zeroing the span, one
   * mixLinear per stimulus, then mixGain. `table` is scratch for numT·count entries of 16 bytes.
   */
  mixSpan(out: number, strideBytes: number, frames: number, numT: number, list: number, count: number, bus: number, gains: number, table: number): void;
  mixGain(out: number, strideBytes: number, src: number, frames: number, gains: number, numT: number): void;
  finish(out: number, strideBytes: number, frames: number, numT: number, peak: number, sumsq: number): number;
  sineRun(dst: number, n: number, state: number, accumulate: number): void;
  /**
   * sineRun for the first (count & −4) entries of the table at byte `table` (48 bytes each: g, cos, sin,
   * cosStep, sinStep as f64, then the i32 dst), stored at each dst when `bus` is 0, else added to the bus
   * in table order — the same bits as one sineRun per entry in that order.
   */
  sineRunMany(table: number, count: number, n: number, bus: number): void;
  /**
   * writeTapCoefficients (tapCoefficients.ts) for linear taps, over transducer positions f64 xs[numT],
   * ys[numT] at byte `xs`, `ys` and the f64 [x, y, samplesPerMetre, gainLinear] at `args`; writes the
   * tap table at byte `coef`. The same bits.
   */
  linearTaps(xs: number, ys: number, numT: number, args: number, coef: number): void;
}

/** The compiled kernel module (compiled once, at import). */
export const hapticMixModule = compileWat('hapticMix.wat', HAPTIC_MIX_WAT);

/** Instantiates the kernels over `memory` (call in prepare(); instantiation allocates). */
export function instantiateMixKernel(memory: WasmMemory): HapticMixKernel {
  return instantiateWasm<HapticMixKernel>(hapticMixModule, memory);
}
