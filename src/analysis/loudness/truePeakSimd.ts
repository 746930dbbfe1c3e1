import { WasmArena } from '../../dsp/wasmArena.ts';
import type { ChannelLevelSums } from '../signal/levelMetrics.ts';
import { instantiateWasm } from '../../dsp/wasmInstance.ts';
import {
  TRUE_PEAK_CHUNK,
  TRUE_PEAK_REACH_AFTER,
  TRUE_PEAK_REACH_BEFORE,
  type TruePeakSteps,
  TAPS_PER_PHASE,
  truePeakTaps,
} from './truePeak.ts';

const CHUNK = TRUE_PEAK_CHUNK;
const BEFORE = TRUE_PEAK_REACH_BEFORE;
const AFTER = TRUE_PEAK_REACH_AFTER;
/** Chunks whose statistics one kernel call computes (the channel is staged this many chunks at a time). */
const STATS_CHUNKS = 256;
/** Interior chunks staged and filtered per kernel call. */
const FILTER_BATCH = 16;
/** The binary32 screen's margins (truePeakWatOf's comment derives them): relative to the best, per max |x|, absolute; and the largest threshold used. */
const SCREEN_RELATIVE = 1e-6;
const SCREEN_ERROR_PER_MAX = 4e-6;
const SCREEN_ERROR_ABSOLUTE = 1e-37;
const SCREEN_THRESHOLD_MAX = 1e38;
/** Samples of one staged chunk with its interpolators' reach, rounded up to a multiple of 4. */
const STAGED_CHUNK = Math.ceil((CHUNK + BEFORE + AFTER) / 4) * 4;

/**
 * truePeak.ts's two costly steps in WebAssembly SIMD, with the same values to the last bit, so
 * `truePeakLinear(x, new TruePeakSimd(module)) === truePeakLinear(x)` always (truePeakSimd.test.ts):
 *
 * - `stats`: m = max |x| and d = max |x[i] − x[i−1]| over each chunk's reach, four samples per f32x4 (|x|,
 *   max and the binary32 difference are what JavaScript's Math.abs and Math.fround give).
 * - `filter`: y_p[i] = Σ_j t_p[j]·x[i − 7 + j], j = 0 … 15, for the three phases p, two outputs per
 *   f64x2 (lane = output), each summed in tap order with separate multiply and add (no FMA), the taps
 *   read from memory (the same doubles truePeakTaps gives); returns the largest |y| of the batch. It
 *   first screens four outputs per f32x4 in binary32 (taps rounded to binary32, any order) and sums
 *   exactly only the four whose screened value could beat the largest |y| so far: with M = max |x| over
 *   the staged chunk, each of the 16 products and 15 sums of y32 errs by at most 2⁻²⁴ of Σ|t_j·x_j| ≤
 *   1.9903·M, so |y − y32| ≤ 17.01·2⁻²⁴·1.9903·M ≤ 2.02e-6·M (+ 32·2⁻¹⁴⁹ for subnormals), and an output is
 *   skipped only when |y32| ≤ best·(1 − 1e-6) − 4e-6·M − 1e-37 (rounded to binary32; NaN, ±Infinity and a
 *   threshold ≤ 0 or ≥ 1e38 skip nothing). A skipped |y| is below the peak found, so the result is the
 *   same bits, the filter 1.7× faster on noise (285 -> 168 ms CPU per 96 000 chunks; `npm run bench -- truepeak` times the whole search).
 */
function truePeakWatOf(phases: Float64Array[], a: Layout): string {
  // Tap t_p[j] sits at a.taps + 16·(16p + j) in both lanes (written by the constructor): one aligned load each.
  const taps = phases.map((t, p) => Array.from(t, (_, j) => `(v128.load offset=${a.taps + 16 * (TAPS_PER_PHASE * p + j)} (i32.const 0))`));
  const taps32 = phases.map((t, p) => Array.from(t, (_, j) => `(v128.load offset=${a.taps32 + 16 * (TAPS_PER_PHASE * p + j)} (i32.const 0))`));
  // The exact outputs: a pair (lane = output) from the samples at $q, each phase summed in tap order in binary64.
  const exactPair = (q: string): string =>
    [
      ...Array.from({ length: TAPS_PER_PHASE }, (_, j) => `(local.set $x${j} (f64x2.promote_low_f32x4 (v128.load64_zero offset=${4 * j} ${q})))`),
      ...[1, 2, 3].map((p) => `(local.set $y${p} (v128.const i32x4 0 0 0 0))`),
      ...[1, 2, 3].flatMap((p) =>
        Array.from({ length: TAPS_PER_PHASE }, (_, j) => `(local.set $y${p} (f64x2.add (local.get $y${p}) (f64x2.mul (local.get $x${j}) ${taps[p - 1][j]})))`),
      ),
      ...[1, 2, 3].map((p) => `(local.set $best (f64x2.pmax (local.get $best) (f64x2.abs (local.get $y${p}))))`),
    ].join('\n            ');
  // The screen: four outputs per f32x4 (lane = output), taps rounded to binary32.
  const screen = [
    ...[1, 2, 3].map((p) => `(local.set $s${p} (v128.const i32x4 0 0 0 0))`),
    ...Array.from({ length: TAPS_PER_PHASE }, (_, j) =>
      [
        `(local.set $v (v128.load offset=${4 * j} (local.get $p)))`,
        ...[1, 2, 3].map((p) => `(local.set $s${p} (f32x4.add (local.get $s${p}) (f32x4.mul (local.get $v) ${taps32[p - 1][j]})))`),
      ].join('\n        '),
    ),
  ].join('\n        ');
  const xLocals = Array.from({ length: TAPS_PER_PHASE }, (_, j) => `(local $x${j} v128)`).join(' ');
  // thr32 ← binary32 threshold below which a screened output cannot beat $best (see the kernel's comment), or −1: screen nothing out.
  const threshold = `
        (local.set $bestScalar (f64.max (f64x2.extract_lane 0 (local.get $best)) (f64x2.extract_lane 1 (local.get $best))))
        (local.set $thr (f64.sub (f64.mul (local.get $bestScalar) (f64.const ${1 - SCREEN_RELATIVE})) (f64.add (f64.mul (local.get $m) (f64.const ${SCREEN_ERROR_PER_MAX})) (f64.const ${SCREEN_ERROR_ABSOLUTE}))))
        (local.set $thr32 (f32x4.splat (select (f32.demote_f64 (local.get $thr)) (f32.const -1)
          (i32.and (f64.gt (local.get $thr) (f64.const 0)) (f64.lt (local.get $thr) (f64.const ${SCREEN_THRESHOLD_MAX}))))))`;
  return `
(module
  (import "env" "memory" (memory 1))

  ;; m[k], d[k] of chunks k0 … k1 − 1 from samples [from, to) of the signal staged at ${a.stats} (sample
  ;; 'from' first); each chunk's reach [k·${CHUNK} − ${BEFORE + 1}, (k + 1)·${CHUNK} + ${AFTER}) clipped to [from, to).
  ;; With $sums 1 or 2 it also adds each chunk's own samples [k·${CHUNK}, (k + 1)·${CHUNK}) ∩ [from, to), in order, to the
  ;; levels at ${a.levels}: Σx² of this channel (binary64, from the running sum at ${a.levels}), of all channels so far
  ;; (at ${a.levels + 8}, $sums 2 only) and the largest |x| (f32x4 at ${a.levels + 16}), as levelMetricsPerChannel adds them.
  (func (export "stats") (param $from i32) (param $to i32) (param $k0 i32) (param $k1 i32) (param $sums i32)
    (local $k i32) (local $lo i32) (local $hi i32) (local $i i32) (local $m v128) (local $d v128) (local $prev v128) (local $cur v128)
    (local $p i32) (local $mm f32) (local $dd f32) (local $out i32)
    (local $next i32) (local $c1 i32) (local $sq v128) (local $pk v128) (local $own f64) (local $all f64) (local $x f64)
    (local.set $own (f64.load offset=${a.levels} (i32.const 0)))
    (local.set $all (f64.load offset=${a.levels + 8} (i32.const 0)))
    (local.set $pk (v128.load offset=${a.levels + 16} (i32.const 0)))
    (local.set $k (local.get $k0))
    (block $done (loop $chunk
      (br_if $done (i32.ge_u (local.get $k) (local.get $k1)))
      (local.set $lo (i32.sub (i32.mul (local.get $k) (i32.const ${CHUNK})) (i32.const ${BEFORE + 1})))
      (if (i32.lt_s (local.get $lo) (local.get $from)) (then (local.set $lo (local.get $from))))
      (local.set $hi (i32.add (i32.mul (local.get $k) (i32.const ${CHUNK})) (i32.const ${CHUNK + AFTER})))
      (if (i32.gt_s (local.get $hi) (local.get $to)) (then (local.set $hi (local.get $to))))
      (local.set $p (i32.add (i32.const ${a.stats}) (i32.shl (i32.sub (local.get $lo) (local.get $from)) (i32.const 2))))
      (local.set $m (v128.const i32x4 0 0 0 0))
      (local.set $d (v128.const i32x4 0 0 0 0))
      ;; the chunk's own samples [next, c1) still to be summed (none without $sums)
      (local.set $next (i32.mul (local.get $k) (i32.const ${CHUNK})))
      (local.set $c1 (select (i32.add (local.get $next) (i32.const ${CHUNK})) (local.get $to) (i32.lt_s (i32.add (local.get $next) (i32.const ${CHUNK})) (local.get $to))))
      (if (i32.eqz (local.get $sums)) (then (local.set $c1 (local.get $next))))
      ;; four samples x[i … i + 3] and the steps into x[i + 1 … i + 4] at a time
      (local.set $i (local.get $lo))
      (block $vDone (loop $vLoop
        (br_if $vDone (i32.gt_s (i32.add (local.get $i) (i32.const 5)) (local.get $hi)))
        (local.set $prev (v128.load (local.get $p)))
        (local.set $cur (v128.load offset=4 (local.get $p)))
        (local.set $m (f32x4.pmax (local.get $m) (f32x4.abs (local.get $prev))))
        (local.set $d (f32x4.pmax (local.get $d) (f32x4.abs (f32x4.sub (local.get $cur) (local.get $prev)))))
        (if (i32.and (i32.eq (local.get $i) (local.get $next)) (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $c1))) (then
          (local.set $pk (f32x4.pmax (local.get $pk) (f32x4.abs (local.get $prev))))
          (if (i32.eq (local.get $sums) (i32.const 2)) (then
          (local.set $sq (f64x2.promote_low_f32x4 (local.get $prev)))
          (local.set $sq (f64x2.mul (local.get $sq) (local.get $sq)))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $all (f64.add (local.get $all) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 1 (local.get $sq))))
          (local.set $all (f64.add (local.get $all) (f64x2.extract_lane 1 (local.get $sq))))
          (local.set $sq (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $prev) (local.get $prev))))
          (local.set $sq (f64x2.mul (local.get $sq) (local.get $sq)))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $all (f64.add (local.get $all) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 1 (local.get $sq))))
          (local.set $all (f64.add (local.get $all) (f64x2.extract_lane 1 (local.get $sq)))))
          (else
          (local.set $sq (f64x2.promote_low_f32x4 (local.get $prev)))
          (local.set $sq (f64x2.mul (local.get $sq) (local.get $sq)))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 1 (local.get $sq))))
          (local.set $sq (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $prev) (local.get $prev))))
          (local.set $sq (f64x2.mul (local.get $sq) (local.get $sq)))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 0 (local.get $sq))))
          (local.set $own (f64.add (local.get $own) (f64x2.extract_lane 1 (local.get $sq))))))
          (local.set $next (i32.add (local.get $next) (i32.const 4)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vLoop)))
      (local.set $mm (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
                              (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
      (local.set $dd (f32.max (f32.max (f32x4.extract_lane 0 (local.get $d)) (f32x4.extract_lane 1 (local.get $d)))
                              (f32.max (f32x4.extract_lane 2 (local.get $d)) (f32x4.extract_lane 3 (local.get $d)))))
      ;; the last samples one at a time, with the step into the next while there is one
      (block $tDone (loop $tLoop
        (br_if $tDone (i32.ge_s (local.get $i) (local.get $hi)))
        (local.set $mm (f32.max (local.get $mm) (f32.abs (f32.load (local.get $p)))))
        (if (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $hi)) (then
          (local.set $dd (f32.max (local.get $dd) (f32.abs (f32.sub (f32.load offset=4 (local.get $p)) (f32.load (local.get $p))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tLoop)))
      ;; the chunk's own samples the groups of four left, one at a time
      (local.set $p (i32.add (i32.const ${a.stats}) (i32.shl (i32.sub (local.get $next) (local.get $from)) (i32.const 2))))
      (block $sDone (loop $sLoop
        (br_if $sDone (i32.ge_s (local.get $next) (local.get $c1)))
        (local.set $pk (f32x4.pmax (local.get $pk) (f32x4.abs (v128.load32_zero (local.get $p)))))
        (local.set $x (f64.promote_f32 (f32.load (local.get $p))))
        (local.set $x (f64.mul (local.get $x) (local.get $x)))
        (local.set $own (f64.add (local.get $own) (local.get $x)))
        (if (i32.eq (local.get $sums) (i32.const 2)) (then (local.set $all (f64.add (local.get $all) (local.get $x)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $next (i32.add (local.get $next) (i32.const 1)))
        (br $sLoop)))
      (local.set $out (i32.shl (i32.sub (local.get $k) (local.get $k0)) (i32.const 3)))
      (f64.store (i32.add (i32.const ${a.m}) (local.get $out)) (f64.promote_f32 (local.get $mm)))
      (f64.store (i32.add (i32.const ${a.d}) (local.get $out)) (f64.promote_f32 (local.get $dd)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $chunk)))
    (f64.store offset=${a.levels} (i32.const 0) (local.get $own))
    (f64.store offset=${a.levels + 8} (i32.const 0) (local.get $all))
    (v128.store offset=${a.levels + 16} (i32.const 0) (local.get $pk)))

  ;; max(peak, |y_p[i]|) over $chunks staged chunks (each ${STAGED_CHUNK} samples from $base: x[start − ${BEFORE}] first), ${CHUNK} outputs each.
  ;; Four outputs at a time are screened in binary32; only where one could beat $best are they summed exactly.
  (func (export "filter") (param $base i32) (param $chunks i32) (param $peak f64) (result f64)
    (local $c i32) (local $i i32) (local $p i32) (local $q i32) (local $best v128) (local $y1 v128) (local $y2 v128) (local $y3 v128) ${xLocals}
    (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128) (local $mv v128) (local $thr32 v128)
    (local $m f64) (local $thr f64) (local $bestScalar f64)
    (local.set $best (f64x2.splat (local.get $peak)))
    (block $done (loop $chunk
      (br_if $done (i32.ge_u (local.get $c) (local.get $chunks)))
      (local.set $p (i32.add (local.get $base) (i32.mul (local.get $c) (i32.const ${4 * STAGED_CHUNK}))))
      ;; m = max |x| over the staged chunk: a bound on every sample its outputs read
      (local.set $mv (v128.const i32x4 0 0 0 0))
      (local.set $i (i32.const 0))
      (block $mDone (loop $mLoop
        (br_if $mDone (i32.ge_u (local.get $i) (i32.const ${STAGED_CHUNK})))
        (local.set $mv (f32x4.max (local.get $mv) (f32x4.abs (v128.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $mLoop)))
      (local.set $m (f64.promote_f32 (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
                                              (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv))))))${threshold}
      (local.set $i (i32.const 0))
      (block $outDone (loop $out
        (br_if $outDone (i32.ge_u (local.get $i) (i32.const ${CHUNK})))
        ${screen}
        (if (i32.eqz (i32x4.all_true (f32x4.le
              (f32x4.max (f32x4.max (f32x4.abs (local.get $s1)) (f32x4.abs (local.get $s2))) (f32x4.abs (local.get $s3)))
              (local.get $thr32))))
          (then
            (local.set $q (local.get $p))
            ${exactPair('(local.get $q)')}
            (local.set $q (i32.add (local.get $p) (i32.const 8)))
            ${exactPair('(local.get $q)')}${threshold}))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $out)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $chunk)))
    (f64.max (f64x2.extract_lane 0 (local.get $best)) (f64x2.extract_lane 1 (local.get $best))))
)`;
}

interface TruePeakExports {
  stats(from: number, to: number, k0: number, k1: number, sums: number): void;
  filter(base: number, chunks: number, peak: number): number;
}

const STAGE_SAMPLES = STATS_CHUNKS * CHUNK + BEFORE + 1 + AFTER + 4;
const PHASE_COUNT = 3;

/** Byte addresses in the kernel's memory: the views TruePeakSimd carves, in order, out of a WasmArena. */
interface Layout {
  stats: number;
  levels: number;
  m: number;
  d: number;
  batch: number;
  taps: number;
  taps32: number;
  bytes: number;
}

function layout(): Layout {
  const { offsets: at, bytes } = WasmArena.offsetsOf([4 * STAGE_SAMPLES, 8 * STATS_CHUNKS, 8 * STATS_CHUNKS, 4 * STAGED_CHUNK * FILTER_BATCH, 16 * TAPS_PER_PHASE * PHASE_COUNT, 16 * TAPS_PER_PHASE * PHASE_COUNT, 32]);
  return { stats: at[0], m: at[1], d: at[2], batch: at[3], taps: at[4], taps32: at[5], levels: at[6], bytes };
}

/** The kernel's WebAssembly text (compile it with compileWat, on whichever thread has the compiler, and hand the module to TruePeakSimd). */
export function truePeakWat(): string {
  return truePeakWatOf(truePeakTaps(), layout());
}

/**
 * The WebAssembly steps of one true-peak search over a staging memory of their own (allocated once;
 * the signal is copied in a block of chunks at a time, never whole), from the module compiled from
 * truePeakWat() — which a worker thread may compile and post (a WebAssembly.Module crosses threads).
 */
export class TruePeakSimd implements TruePeakSteps {
  private readonly exports: TruePeakExports;
  private readonly stage: Float32Array;
  private readonly m: Float64Array;
  private readonly d: Float64Array;
  private readonly batch: Float32Array;
  /** The levels kernel's running sums (this channel's Σx², all channels' Σx²) and its f32x4 of largest |x|. */
  private readonly levelSums: Float64Array;
  private readonly levelPeaks: Float32Array;

  constructor(module: object) {
    const at = layout();
    const arena = new WasmArena(at.bytes);
    this.stage = arena.f32(STAGE_SAMPLES);
    this.m = arena.f64(STATS_CHUNKS);
    this.d = arena.f64(STATS_CHUNKS);
    this.batch = arena.f32(STAGED_CHUNK * FILTER_BATCH);
    const taps = arena.f64(2 * TAPS_PER_PHASE * PHASE_COUNT);
    const taps32 = arena.f32(4 * TAPS_PER_PHASE * PHASE_COUNT);
    this.levelSums = arena.f64(2);
    this.levelPeaks = arena.f32(4);
    if (this.levelSums.byteOffset !== at.levels || this.levelPeaks.byteOffset !== at.levels + 16 || taps32.byteOffset !== at.taps32 || this.batch.byteOffset !== at.batch) throw new Error('TruePeakSimd: memory layout differs from the kernel text');
    truePeakTaps().forEach((t, p) =>
      t.forEach((v, j) => {
        taps.fill(v, 2 * (TAPS_PER_PHASE * p + j), 2 * (TAPS_PER_PHASE * p + j) + 2);
        taps32.fill(v, 4 * (TAPS_PER_PHASE * p + j), 4 * (TAPS_PER_PHASE * p + j) + 4);
      }),
    );
    this.exports = instantiateWasm<TruePeakExports>(module, arena.memory);
  }

  chunkStats(samples: Float32Array, first: number, mOut: Float64Array, dOut: Float64Array): void {
    this.stagedChunkStats(samples, first, mOut, dOut);
  }

  levelsAndChunkStats(samples: Float32Array, overallSumSquares: number | undefined, m: Float64Array, d: Float64Array): ChannelLevelSums {
    this.levelSums[0] = 0;
    this.levelSums[1] = overallSumSquares ?? 0;
    this.levelPeaks.fill(0);
    this.stagedChunkStats(samples, 0, m, d, overallSumSquares !== undefined);
    const p = this.levelPeaks;
    return { peak: Math.max(p[0], p[1], p[2], p[3]), sumSquares: this.levelSums[0], overallSumSquares: overallSumSquares === undefined ? this.levelSums[0] : this.levelSums[1] };
  }

  /** chunkStats, and with `overall` set (whole channels only) the levels of each chunk's own samples in the same loop. */
  private stagedChunkStats(samples: Float32Array, first: number, mOut: Float64Array, dOut: Float64Array, overall?: boolean): void {
    const n = samples.length;
    const end = first + mOut.length;
    for (let k0 = first; k0 < end; k0 += STATS_CHUNKS) {
      const k1 = Math.min(end, k0 + STATS_CHUNKS);
      const from = Math.max(0, k0 * CHUNK - BEFORE - 1), to = Math.min(n, k1 * CHUNK + AFTER);
      this.stage.set(samples.subarray(from, to));
      this.exports.stats(from, to, k0, k1, overall === undefined ? 0 : overall ? 2 : 1);
      mOut.set(this.m.subarray(0, k1 - k0), k0 - first);
      dOut.set(this.d.subarray(0, k1 - k0), k0 - first);
    }
  }

  readonly batchChunks = FILTER_BATCH;

  interiorPeaks(samples: Float32Array, chunks: Uint32Array, count: number, peakSoFar: number): number {
    for (let i = 0; i < count; i++) {
      const start = chunks[i] * CHUNK;
      this.batch.set(samples.subarray(start - BEFORE, start + CHUNK + AFTER), i * STAGED_CHUNK);
    }
    return this.exports.filter(this.batch.byteOffset, count, peakSoFar);
  }

  interiorPeak(samples: Float32Array, start: number, end: number, peakSoFar: number): number {
    if (end - start !== CHUNK) throw new RangeError(`TruePeakSimd: interior chunks are ${CHUNK} samples, got ${end - start}`);
    this.batch.set(samples.subarray(start - BEFORE, end + AFTER));
    return this.exports.filter(this.batch.byteOffset, 1, peakSoFar);
  }
}
