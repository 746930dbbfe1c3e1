import FFT from 'fft.js';
import { WasmArena } from './wasmArena.ts';
import { compileWat, instantiateWasm } from './wasmRuntime.ts';

/**
 * fft.js (Fedor Indutny's radix-4 `_transform4` and `_realTransform4`, with their `_singleTransform2/4` and
 * `_singleRealTransform2/4` first stages) in WebAssembly SIMD, one complex number per f64x2 (lane 0 the real
 * part, lane 1 the imaginary part). Every output slot is computed by exactly fft.js's IEEE operations, lane by
 * lane, stage after stage as in fft.js (only the first stage takes its independent groups in another order: see
 * complexFirst), so the output is fft.js's to the last bit — all 2N slots, the ones realTransform leaves holding
 * intermediate values included (fftKernel.test.ts compares the bits). Rewritten without changing a bit:
 * - a complex product (x·t) as x·[tr, tr] + swap(x)·[−ti, ti]: lane 0 is xr·tr + (−(xi·ti)) = xr·tr − xi·ti
 *   (a − b is a + (−b), and a·(−b) = −(a·b), signed zeros included), lane 1 is xi·tr + xr·ti (+ commutes);
 * - fft.js's `inv · x` (inv = ±1) and its negations as sign flips (v128.xor with the sign bit): exact;
 * - x − (−y) as x + y: exact.
 * WebAssembly f64 arithmetic is IEEE binary64 with no contraction (no FMA, no relaxed SIMD). The module takes
 * the transform's size and its arrays' addresses as arguments: one module for every size, compiled once.
 *
 * Memory contract (byte addresses, each array 16-byte aligned): `table` f64[2N] (fft.js's: cos, −sin of π·i/N,
 * i even), `bitrev` i32[2^width] (fft.js's `_bitrev`), `data` f64[2N] (complex input; N for realTransform),
 * `out` f64[2N].
 */
function fftWat(): string {
  const swap = (v: string): string => `(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v})`;
  const SIGN0 = '(v128.const i64x2 0x8000000000000000 0)';
  const SIGN1 = '(v128.const i64x2 0 0x8000000000000000)';
  const SIGNS = '(v128.const i64x2 0x8000000000000000 0x8000000000000000)';
  /** $m ← $x times the twiddle at $t: x·[tr, tr] + swap(x)·[−ti, ti], with ti negated first for the inverse (fft.js's inv · table[k + 1]). */
  const twiddled = (m: string, x: string, t: string, inverse: boolean): string => `
          (local.set ${m} (f64x2.add
            (f64x2.mul (local.get ${x}) (v128.load64_splat (local.get ${t})))
            (f64x2.mul ${swap(`(local.get ${x})`)} (v128.xor (v128.load64_splat offset=8 (local.get ${t})) ${inverse ? SIGN1 : SIGN0}))))`;
  /**
   * $s ← swap(T3)·[1, −1] with fft.js's T3 = inv·(mb − md), from $diff = mb − md: FB = T1 + s, FD = T1 − s
   * (fft.js: FBr = T1r + T3i, FBi = T1i − T3r, FDr = T1r − T3i, FDi = T1i + T3r).
   */
  const crossed = (inverse: boolean): string => `(local.set $s (v128.xor ${swap('(local.get $diff)')} ${inverse ? SIGN0 : SIGN1}))`;

  const butterflyLocals = `
    (local $A i32) (local $B i32) (local $C i32) (local $D i32) (local $tb i32) (local $tc i32) (local $td i32) (local $group i32) (local $lenB i32) (local $qB i32) (local $dt i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $mb v128) (local $mc v128) (local $md v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $diff v128) (local $s v128)`;
  /** $A…$D ← the butterfly's four complex slots from $A, a…d loaded, twiddled and combined into t0, t1, t2, diff and s. */
  const butterfly = (inverse: boolean): string => `
          (local.set $B (i32.add (local.get $A) (local.get $qB)))
          (local.set $C (i32.add (local.get $B) (local.get $qB)))
          (local.set $D (i32.add (local.get $C) (local.get $qB)))
          (local.set $a (v128.load (local.get $A)))
          (local.set $b (v128.load (local.get $B)))
          (local.set $c (v128.load (local.get $C)))
          (local.set $d (v128.load (local.get $D)))
          ${twiddled('$mb', '$b', '$tb', inverse)}
          ${twiddled('$mc', '$c', '$tc', inverse)}
          ${twiddled('$md', '$d', '$td', inverse)}
          (local.set $t0 (f64x2.add (local.get $a) (local.get $mc)))
          (local.set $t1 (f64x2.sub (local.get $a) (local.get $mc)))
          (local.set $t2 (f64x2.add (local.get $mb) (local.get $md)))
          (local.set $diff (f64x2.sub (local.get $mb) (local.get $md)))
          ${crossed(inverse)}`;
  /** The twiddle pointers' steps after a butterfly: fft.js's k += step reads table[k], table[2k] and table[3k]. */
  const nextTwiddles = `
          (local.set $tb (i32.add (local.get $tb) (local.get $dt)))
          (local.set $tc (i32.add (local.get $tc) (i32.shl (local.get $dt) (i32.const 1))))
          (local.set $td (i32.add (local.get $td) (i32.mul (local.get $dt) (i32.const 3))))`;

  /** fft.js's radix-4 stages from `$step` down to 2, over the whole array; `body` is one group's butterflies. */
  const stages = (name: string, body: string): string => `
  (func $${name} (param $table i32) (param $csize i32) (param $step i32) (param $start i32) (param $end i32)
    (local $i i32) (local $hqB i32) (local $limit i32)${butterflyLocals}
    (block $stagesDone (loop $stage
      (br_if $stagesDone (i32.lt_u (local.get $step) (i32.const 2)))
      (local.set $lenB (i32.shl (i32.div_u (local.get $csize) (local.get $step)) (i32.const 4)))
      (local.set $qB (i32.shr_u (local.get $lenB) (i32.const 2)))
      (local.set $hqB (i32.shr_u (local.get $qB) (i32.const 1)))
      (local.set $dt (i32.shl (local.get $step) (i32.const 3)))
      (local.set $group (local.get $start))
      (block $groupsDone (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $group) (local.get $end)))
        (local.set $tb (local.get $table))
        (local.set $tc (local.get $table))
        (local.set $td (local.get $table))${body}
        (local.set $group (i32.add (local.get $group) (local.get $lenB)))
        (br $groups)))
      (local.set $step (i32.shr_u (local.get $step) (i32.const 2)))
      (br $stage))))`;

  /** fft.js _transform4's stages (inv = 0, or inv = 1 for inverseTransform). */
  const complexStages = (name: string, inverse: boolean): string =>
    stages(
      name,
      `
        (local.set $A (local.get $group))
        (local.set $limit (i32.add (local.get $group) (local.get $qB)))
        (block $bflyDone (loop $bfly
          (br_if $bflyDone (i32.ge_u (local.get $A) (local.get $limit)))${butterfly(inverse)}
          (v128.store (local.get $A) (f64x2.add (local.get $t0) (local.get $t2)))
          (v128.store (local.get $B) (f64x2.add (local.get $t1) (local.get $s)))
          (v128.store (local.get $C) (f64x2.sub (local.get $t0) (local.get $t2)))
          (v128.store (local.get $D) (f64x2.sub (local.get $t1) (local.get $s)))
          (local.set $A (i32.add (local.get $A) (i32.const 16)))${nextTwiddles}
          (br $bfly)))`,
    );

  /** fft.js _realTransform4's stages (inv = 0): the first half of each quarter, each butterfly also writing its mirror. */
  const realStages = stages(
    'realStages',
    `
        (local.set $i (i32.const 0))
        (block $bflyDone (loop $bfly
          (br_if $bflyDone (i32.gt_u (local.get $i) (local.get $hqB)))
          (local.set $A (i32.add (local.get $group) (local.get $i)))${butterfly(false)}
          (v128.store (local.get $A) (f64x2.add (local.get $t0) (local.get $t2)))
          (v128.store (local.get $B) (f64x2.add (local.get $t1) (local.get $s)))
          (if (i32.eqz (local.get $i))
            (then (v128.store (local.get $C) (f64x2.sub (local.get $t0) (local.get $t2))))
            (else (if (i32.ne (local.get $i) (local.get $hqB)) (then
              ;; the mirrored pair: SFA = (T1r + −T3i, −T1i + −T3r), SFB = (T0r + −T2r, −T0i − −T2i)
              (v128.store (i32.sub (i32.add (local.get $group) (local.get $qB)) (local.get $i))
                (f64x2.add (v128.xor (local.get $t1) ${SIGN1}) (v128.xor ${swap('(local.get $diff)')} ${SIGNS})))
              (v128.store (i32.sub (i32.add (local.get $group) (i32.shl (local.get $qB) (i32.const 1))) (local.get $i))
                (f64x2.add (v128.xor (local.get $t0) ${SIGN1}) (v128.xor (local.get $t2) ${SIGN0})))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))${nextTwiddles}
          (br $bfly)))`,
  );

  /**
   * One first-stage loop, u = 0 … $groups − 1: $P ← the output of group rev(u) (fft.js's `_bitrev[u]` shifted left by
   * `outShift`: 4 for groups of 32 bytes, 5 for 64), then `body` reading its inputs from $A, then $A += `inputStride`.
   */
  const firstLoop = (outShift: number, inputStride: number, body: string): string => `
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $u) (local.get $groups)))
          (local.set $P (i32.add (local.get $out) (i32.shl (i32.load (i32.add (local.get $bitrev) (i32.shl (local.get $u) (i32.const 2)))) (i32.const ${outShift}))))${body}
          (local.set $A (i32.add (local.get $A) (i32.const ${inputStride})))
          (local.set $u (i32.add (local.get $u) (i32.const 1)))
          (br $next)))`;
  const firstParams = '(param $data i32) (param $stepB i32) (param $bitrev i32) (param $out i32) (param $groups i32) (param $len4 i32)';

  /**
   * fft.js's first stage: group t (a radix-2 step of 32 bytes when $len4, else radix-4 of 64) reads its inputs from
   * fft.js's `_bitrev[t]` (in doubles) at strides of $stepB. Over the groups fft.js uses, `_bitrev[t]` is 2·rev(t),
   * rev reversing t's base-4 digits, and rev is its own inverse: so the groups are taken in the order of their inputs
   * (u = 0, 1, …: inputs at u, u + step, …, read in four sequential streams instead of scattered) and group t = rev(u)
   * is written at `_bitrev[u]`·lenB/2 — the same operations on the same values into the same slots, in another order
   * (the whole transform 1.3× faster at 262 144 points than with the scattered reads). Complex: _singleTransform2/4.
   */
  const complexFirst = (name: string, inverse: boolean): string => `
  (func $${name} ${firstParams}
    (local $u i32) (local $P i32) (local $A i32) (local $B i32) (local $C i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $diff v128) (local $s v128)
    (local.set $A (local.get $data))
    (if (local.get $len4)
      (then${firstLoop(
        4,
        16,
        `
          (local.set $a (v128.load (local.get $A)))
          (local.set $b (v128.load (i32.add (local.get $A) (local.get $stepB))))
          (v128.store offset=0 (local.get $P) (f64x2.add (local.get $a) (local.get $b)))
          (v128.store offset=16 (local.get $P) (f64x2.sub (local.get $a) (local.get $b)))`,
      )})
      (else${firstLoop(
        5,
        16,
        `
          (local.set $a (v128.load (local.get $A)))
          (local.set $b (v128.load (local.tee $B (i32.add (local.get $A) (local.get $stepB)))))
          (local.set $c (v128.load (local.tee $C (i32.add (local.get $B) (local.get $stepB)))))
          (local.set $d (v128.load (i32.add (local.get $C) (local.get $stepB))))
          (local.set $t0 (f64x2.add (local.get $a) (local.get $c)))
          (local.set $t1 (f64x2.sub (local.get $a) (local.get $c)))
          (local.set $t2 (f64x2.add (local.get $b) (local.get $d)))
          (local.set $diff (f64x2.sub (local.get $b) (local.get $d)))
          ${crossed(inverse)}
          (v128.store offset=0 (local.get $P) (f64x2.add (local.get $t0) (local.get $t2)))
          (v128.store offset=16 (local.get $P) (f64x2.add (local.get $t1) (local.get $s)))
          (v128.store offset=32 (local.get $P) (f64x2.sub (local.get $t0) (local.get $t2)))
          (v128.store offset=48 (local.get $P) (f64x2.sub (local.get $t1) (local.get $s)))`,
      )})))`;

  /**
   * The real input's first stage, in the same order: _singleRealTransform2 ([even + odd, 0, even − odd, 0]) or
   * _singleRealTransform4 ([T0 + T2, 0, T1, −T3, T0 − T2, 0, T1, T3]), reading the samples at fft.js's
   * `_bitrev[t] >>> 1` = u and strides of step >>> 1.
   */
  const realFirst = `
  (func $realFirst ${firstParams}
    (local $u i32) (local $P i32) (local $A i32) (local $B i32) (local $C i32) (local $ar f64) (local $br f64) (local $cr f64) (local $dr f64)
    (local $t0r f64) (local $t1r f64) (local $t2r f64) (local $t3r f64)
    (local.set $stepB (i32.shr_u (local.get $stepB) (i32.const 1)))
    (local.set $A (local.get $data))
    (if (local.get $len4)
      (then${firstLoop(
        4,
        8,
        `
          (local.set $ar (f64.load (local.get $A)))
          (local.set $br (f64.load (i32.add (local.get $A) (local.get $stepB))))
          (f64.store offset=0 (local.get $P) (f64.add (local.get $ar) (local.get $br)))
          (f64.store offset=8 (local.get $P) (f64.const 0))
          (f64.store offset=16 (local.get $P) (f64.sub (local.get $ar) (local.get $br)))
          (f64.store offset=24 (local.get $P) (f64.const 0))`,
      )})
      (else${firstLoop(
        5,
        8,
        `
          (local.set $ar (f64.load (local.get $A)))
          (local.set $br (f64.load (local.tee $B (i32.add (local.get $A) (local.get $stepB)))))
          (local.set $cr (f64.load (local.tee $C (i32.add (local.get $B) (local.get $stepB)))))
          (local.set $dr (f64.load (i32.add (local.get $C) (local.get $stepB))))
          (local.set $t0r (f64.add (local.get $ar) (local.get $cr)))
          (local.set $t1r (f64.sub (local.get $ar) (local.get $cr)))
          (local.set $t2r (f64.add (local.get $br) (local.get $dr)))
          (local.set $t3r (f64.sub (local.get $br) (local.get $dr)))
          (f64.store offset=0 (local.get $P) (f64.add (local.get $t0r) (local.get $t2r)))
          (f64.store offset=8 (local.get $P) (f64.const 0))
          (f64.store offset=16 (local.get $P) (local.get $t1r))
          (f64.store offset=24 (local.get $P) (f64.neg (local.get $t3r)))
          (f64.store offset=32 (local.get $P) (f64.sub (local.get $t0r) (local.get $t2r)))
          (f64.store offset=40 (local.get $P) (f64.const 0))
          (f64.store offset=48 (local.get $P) (local.get $t1r))
          (f64.store offset=56 (local.get $P) (local.get $t3r))`,
      )})))`;

  /** A whole transform: the first stage, then the radix-4 stages. */
  const driver = (name: string, first: string, stagesOf: string, exported: boolean): string => `
  (func $${name} ${exported ? `(export "${name}") ` : ''}(param $size i32) (param $width i32) (param $table i32) (param $bitrev i32) (param $data i32) (param $out i32)
    (local $csize i32) (local $step i32) (local $len4 i32)
    (local.set $csize (i32.shl (local.get $size) (i32.const 1)))
    (local.set $step (i32.shl (i32.const 1) (local.get $width)))
    (local.set $len4 (i32.eq (i32.div_u (local.get $csize) (local.get $step)) (i32.const 2)))
    (call $${first} (local.get $data) (i32.shl (local.get $step) (i32.const 3)) (local.get $bitrev) (local.get $out)
      (i32.shr_u (local.get $csize) (select (i32.const 2) (i32.const 3) (local.get $len4))) (local.get $len4))
    (call $${stagesOf} (local.get $table) (local.get $csize) (i32.shr_u (local.get $step) (i32.const 2)) (local.get $out)
      (i32.add (local.get $out) (i32.shl (local.get $csize) (i32.const 3)))))`;

  return `
(module
  (import "env" "memory" (memory 1))
${complexFirst('forwardFirst', false)}
${complexFirst('inverseFirst', true)}
${realFirst}
${complexStages('forwardStages', false)}
${complexStages('inverseStages', true)}
${realStages}
${driver('forward', 'forwardFirst', 'forwardStages', true)}
${driver('inverseUnscaled', 'inverseFirst', 'inverseStages', false)}
${driver('real', 'realFirst', 'realStages', true)}

  ;; fft.js inverseTransform: the inverse-direction transform, then every slot divided by N — as a product with 1/N,
  ;; which is exact for N a power of two: x/N and x·(1/N) are both x·2^−k correctly rounded (subnormals included),
  ;; the same bits, and a product costs a fraction of a division
  (func (export "inverse") (param $size i32) (param $width i32) (param $table i32) (param $bitrev i32) (param $data i32) (param $out i32)
    (local $p i32) (local $end i32) (local $n v128)
    (call $inverseUnscaled (local.get $size) (local.get $width) (local.get $table) (local.get $bitrev) (local.get $data) (local.get $out))
    (local.set $n (f64x2.splat (f64.div (f64.const 1) (f64.convert_i32_u (local.get $size)))))
    (local.set $p (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $size) (i32.const 4))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (f64x2.mul (v128.load (local.get $p)) (local.get $n)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next))))
)`;
}

/** The kernel's WebAssembly text: one module for every transform size. */
export const FFT_WAT = fftWat();

let compiled: object | undefined;
/** The kernel's module, compiled on first use (in a bundle: its prebuilt binary, src/browser/worklet/kernelBinaries.ts). */
export function fftKernelModule(): object {
  compiled ??= compileWat('fft.wat', FFT_WAT);
  return compiled;
}

/** fft.js's API, as this project uses it: complex data interleaved [re0, im0, re1, im1, …]; the inverse scales by 1/N. */
export interface FftTransforms {
  readonly size: number;
  transform(out: Float64Array, data: Float64Array): void;
  realTransform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
}

interface FftExports {
  forward(size: number, width: number, table: number, bitrev: number, data: number, out: number): void;
  inverse(size: number, width: number, table: number, bitrev: number, data: number, out: number): void;
  real(size: number, width: number, table: number, bitrev: number, data: number, out: number): void;
}

interface FftJsInternals {
  table: number[];
  _bitrev: number[];
  _width: number;
}

/**
 * fft.js's API (transform, realTransform, inverseTransform) on the WebAssembly kernel, same bits: the input is
 * copied into the kernel's memory and the output copied out (fft.js reads `data` and writes the first 2N slots
 * of `out`, and so does this). Allocates only in the constructor (its memory, ~48·N bytes), and not at all with
 * `data` of exactly the slots a transform reads (2N, or N for realTransform): then fit for process().
 */
export class WasmFft implements FftTransforms {
  /**
   * The kernel's two work arrays, 2N slots each, in its memory. `transformWithin(kind, from)` transforms one into the
   * other without copying (buffers[from] in, the other out; a real transform reads the first N slots), so a caller can
   * fill the input and read the output in place; transform/realTransform/inverseTransform copy through them. Shared by
   * every user of this instance (fftOfSize keeps one a size a thread): what a transform wrote lasts until the next.
   */
  readonly buffers: readonly [Float64Array, Float64Array];
  private readonly exports: FftExports;
  private readonly width: number;
  private readonly tableAt: number;
  private readonly bitrevAt: number;

  /**
   * `size` a power of two ≥ 2; `module` compiled from FFT_WAT; `reference` the fft.js instance whose tables it takes
   * (its twiddles may have been replaced, as portableFft's are), a fresh one by default. Every page of its memory it
   * uses is touched here.
   */
  constructor(readonly size: number, module: object = fftKernelModule(), reference: FFT = new FFT(size)) {
    const tables = reference as unknown as FftJsInternals;
    if (reference.size !== size) throw new RangeError(`WasmFft(${size}): the reference transform is of ${reference.size} points`);
    const bitrevLength = tables._bitrev.length;
    const arena = new WasmArena(WasmArena.bytesFor([2 * size, 2 * size, 2 * size], 8) + WasmArena.bytesFor([bitrevLength], 4));
    const table = arena.f64(2 * size);
    this.buffers = [arena.f64(2 * size), arena.f64(2 * size)];
    // A WebAssembly memory's pages are mapped on first touch: touched here, so that a first transform in process() faults
    // no page in (on this VM a page first touched can stall the CPU for up to a millisecond).
    this.buffers[0].fill(0);
    this.buffers[1].fill(0);
    const bitrevView = arena.f32(bitrevLength);
    const bitrev = new Int32Array(bitrevView.buffer, bitrevView.byteOffset, bitrevLength);
    table.set(tables.table);
    for (let t = 0; t < bitrevLength; t++) bitrev[t] = tables._bitrev[t];
    this.width = tables._width;
    this.tableAt = table.byteOffset;
    this.bitrevAt = bitrev.byteOffset;
    this.exports = instantiateWasm<FftExports>(module, arena.memory);
  }

  /** Complex forward transform of `data` (2N slots, interleaved) into `out` (≥ 2N slots). */
  transform(out: Float64Array, data: Float64Array): void {
    this.run(out, data, 2 * this.size, 'forward');
  }

  /** fft.js realTransform: N real samples in; bins 0 … N/2 of `out` are the spectrum (the rest hold fft.js's intermediate values, as fft.js leaves them). */
  realTransform(out: Float64Array, data: Float64Array): void {
    this.run(out, data, this.size, 'real');
  }

  /** Complex inverse transform, scaled by 1/N. */
  inverseTransform(out: Float64Array, data: Float64Array): void {
    this.run(out, data, 2 * this.size, 'inverse');
  }

  /** transform ('forward'), realTransform ('real') or inverseTransform ('inverse') of buffers[from] into the other buffer; returns that one. */
  transformWithin(kind: 'forward' | 'real' | 'inverse', from: 0 | 1): Float64Array {
    const input = this.buffers[from];
    const output = this.buffers[1 - from];
    this.exports[kind](this.size, this.width, this.tableAt, this.bitrevAt, input.byteOffset, output.byteOffset);
    return output;
  }

  private run(out: Float64Array, data: Float64Array, inputSlots: number, kind: 'forward' | 'real' | 'inverse'): void {
    if (out === data) throw new Error('Input and output buffers must be different');
    if (data.length < inputSlots || out.length < 2 * this.size) throw new RangeError(`WasmFft(${this.size}): data needs ${inputSlots} slots (has ${data.length}), out ${2 * this.size} (has ${out.length})`);
    this.buffers[0].set(data.length === inputSlots ? data : data.subarray(0, inputSlots));
    out.set(this.transformWithin(kind, 0));
  }
}
