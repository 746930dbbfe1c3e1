import { type WasmMemory, compileWat, createWasmMemory, instantiateWasm } from '../dsp/wasmRuntime.ts';

export { type WasmMemory, createWasmMemory };

const range = (n: number) => Array.from({ length: n }, (_, k) => k);

/**
 * v128 accumulators of mixSpan: 4 frames each, summed over every stimulus and stored once. Measured
 * fastest at 4 (with 8, TurboFan hoists the 16 loads of a stimulus and spills; with 2, the per-stimulus
 * table reads repeat twice as often).
 */
const MIX_CHUNK_VECTORS = 4;

/** For table entry $e at frame byte $f: $q = address of x[n − D − 1] (the older linear tap), $a and $b the gains c0, c1 splatted. */
const tapSetup = String.raw`(local.set $q (i32.add (i32.load (local.get $e)) (local.get $f)))
          (local.set $a (v128.load32_splat offset=4 (local.get $e)))
          (local.set $b (v128.load32_splat offset=8 (local.get $e)))`;

/** c0·x[n−D] + c1·x[n−D−1] for the four frames at byte offset `at` from $q + 4 (the linear tap, as mixLinear computes it). */
const linearTap = (at: number) =>
  `(f32x4.add (f32x4.mul (v128.load offset=${at + 4} (local.get $q)) (local.get $a)) (f32x4.mul (v128.load offset=${at} (local.get $q)) (local.get $b)))`;

/** The f64 at byte `at` of table entries $e and $e + 48 as one f64x2. */
const pairLoad = (at: number) => `(f64x2.replace_lane 1 (f64x2.splat (f64.load offset=${at} (local.get $e))) (f64.load offset=${at + 48} (local.get $e)))`;

/** v = g·sin per lane, |v| < 1e−30 → 0 (for the pairs A and B). */
const sineValues = ['A', 'B'].map((x) => `(local.set $v${x} (f64x2.mul (local.get $g${x}) (local.get $s${x})))
          (local.set $v${x} (v128.andnot (local.get $v${x}) (f64x2.lt (f64x2.abs (local.get $v${x})) (v128.const f64x2 1e-30 1e-30))))`).join('\n          ');

/** cos' = cos·cs − sin·ss, sin' = sin·cs + cos·ss per lane. */
const sineRotate = ['A', 'B'].map((x) => `(local.set $c2 (f64x2.sub (f64x2.mul (local.get $c${x}) (local.get $cs${x})) (f64x2.mul (local.get $s${x}) (local.get $ss${x}))))
          (local.set $s${x} (f64x2.add (f64x2.mul (local.get $s${x}) (local.get $cs${x})) (f64x2.mul (local.get $c${x}) (local.get $ss${x}))))
          (local.set $c${x} (local.get $c2))`).join('\n          ');

/**
 * finish's loop over `rows` channels at a time (while that many are left). 4 frames at a time: $av = |v|
 * before the clamp, $n counts |v| > 1 per lane (a true compare is −1), $av ← min(1, |v|) is |clamped v|
 * (NaN → 1, as the clamp maps it); the peak is taken before the flush and zeroed when under FLT_MIN (then
 * every vector frame was flushed). Then each row's lanes are reduced, (l0 + l1) + (l2 + l3), and its
 * tail frames done one by one.
 */
const finishRows = (rows: number) => String.raw`(block $rows${rows}done (loop $rows${rows}
      (br_if $rows${rows}done (i32.gt_u (i32.add (local.get $t) (i32.const ${rows})) (local.get $numT)))
      ${range(rows).map((r) => `(local.set $pk${r} (v128.const f32x4 0 0 0 0)) (local.set $ss${r} (v128.const f32x4 0 0 0 0))
      (local.set $d${r} (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${r}))))`).join('\n      ')}
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (i32.sub (local.get $d0) (local.get $out)) (local.get $vend)))
        ${range(rows).map((r) => `(local.set $v${r} (v128.load (local.get $d${r})))
        (local.set $av${r} (v128.and (local.get $v${r}) (local.get $absMask)))
        (local.set $n (i32x4.sub (local.get $n) (f32x4.gt (local.get $av${r}) (local.get $one))))
        (local.set $v${r} (f32x4.pmax (local.get $minusOne) (f32x4.pmin (local.get $one) (local.get $v${r}))))
        (local.set $av${r} (f32x4.pmin (local.get $one) (local.get $av${r})))
        (local.set $v${r} (v128.and (local.get $v${r}) (f32x4.ge (local.get $av${r}) (local.get $fltMin))))
        (v128.store (local.get $d${r}) (local.get $v${r}))
        (local.set $pk${r} (f32x4.pmax (local.get $pk${r}) (local.get $av${r})))
        (local.set $ss${r} (f32x4.add (local.get $ss${r}) (f32x4.mul (local.get $v${r}) (local.get $v${r}))))
        (local.set $d${r} (i32.add (local.get $d${r}) (i32.const 16)))`).join('\n        ')}
        (br $vloop)))
      ${range(rows).map((r) => finishTail(r)).join('\n      ')}
      (local.set $out (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${rows}))))
      (local.set $t (i32.add (local.get $t) (i32.const ${rows})))
      (br $rows${rows})))`;

/** Row r of finish after its vector frames: lanes reduced, tail frames one by one, peak and sumsq stored for channel $t + r. */
const finishTail = (r: number) => String.raw`(local.set $pks (f32.max (f32.max (f32x4.extract_lane 0 (local.get $pk${r})) (f32x4.extract_lane 1 (local.get $pk${r})))
                               (f32.max (f32x4.extract_lane 2 (local.get $pk${r})) (f32x4.extract_lane 3 (local.get $pk${r})))))
      (if (f32.lt (local.get $pks) (f32.const 1.17549435e-38)) (then (local.set $pks (f32.const 0))))
      (local.set $sss (f32.add (f32.add (f32x4.extract_lane 0 (local.get $ss${r})) (f32x4.extract_lane 1 (local.get $ss${r})))
                               (f32.add (f32x4.extract_lane 2 (local.get $ss${r})) (f32x4.extract_lane 3 (local.get $ss${r})))))
      (block $sdone${r} (loop $sloop${r}
        (br_if $sdone${r} (i32.ge_u (i32.sub (local.get $d${r}) (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${r})))) (local.get $end)))
        (local.set $s (f32.load (local.get $d${r})))
        (if (f32.gt (f32.abs (local.get $s)) (f32.const 1))
          (then (local.set $clipped (i32.add (local.get $clipped) (i32.const 1)))))
        (if (f32.gt (local.get $s) (f32.const 1)) (then (local.set $s (f32.const 1))))
        (if (f32.lt (local.get $s) (f32.const -1)) (then (local.set $s (f32.const -1))))
        (if (f32.ne (local.get $s) (local.get $s)) (then (local.set $s (f32.const 1))))
        (local.set $as (f32.abs (local.get $s)))
        (if (f32.lt (local.get $as) (f32.const 1.17549435e-38)) (then (local.set $s (f32.const 0)) (local.set $as (f32.const 0))))
        (f32.store (local.get $d${r}) (local.get $s))
        (local.set $pks (f32.max (local.get $pks) (local.get $as)))
        (local.set $sss (f32.add (local.get $sss) (f32.mul (local.get $s) (local.get $s))))
        (local.set $d${r} (i32.add (local.get $d${r}) (i32.const 4)))
        (br $sloop${r})))
      (f32.store offset=${4 * r} (i32.add (local.get $peak) (i32.shl (local.get $t) (i32.const 2))) (local.get $pks))
      (f32.store offset=${4 * r} (i32.add (local.get $sumsq) (i32.shl (local.get $t) (i32.const 2))) (local.get $sss))`;

/**
 * The haptic engine's block kernels, in WebAssembly (SIMD, f32x4), compiled at load time from the WAT
 * text below with the `wabt` npm package. They are the hot path of the engine: with 8 travelling
 * stimuli × 32 transducers, each output sample is 256 fractional delay-line taps.
 *
 * Why not src/dsp/delayLine.ts: that delay line is a general per-sample primitive (Float64 ring with a
 * mask, one interpolator call per read). Here one delay line per stimulus feeds 32 taps whose delay and
 * gain are constant over a span, so the work is a 2- or 4-tap FIR over a *linear* float32 history with
 * contiguous, unmasked, vectorisable reads. Measured on the full load (CPU time, medians of interleaved
 * runs on this 2-core machine at load 21): `npm run bench -- haptic` 156× real time with these kernels,
 * `haptic_js_kernel` 20× with the same block structure in plain typed-array JavaScript (jsMixKernel.ts,
 * bit-identical output); the block-structured C peer (`node scripts/bench-peers.mjs`) 331× with gcc -O3
 * -march=native (AVX2: twice WebAssembly's 128-bit lanes).
 *
 * Memory contract (byte addresses into the shared memory):
 * - `out` points at out[0][spanStart]; channel t is `t·strideBytes` further (channel-major, float32).
 * - `src` points at x[n0], the history sample of the span's first frame (already written).
 * - `coef` is one stimulus's coefficient block: D[numT] (i32 integer delay), then c0…c3 [numT] (f32).
 *   Linear tap t: y[n] = c0·x[n−D] + c1·x[n−D−1].
 *   Cubic tap t:  y[n] = ((c0·x[n−D+1] + c1·x[n−D]) + c2·x[n−D−1]) + c3·x[n−D−2].
 * - Each result is added to out: out[t][n] ← out[t][n] + y[n].
 * Every frame gets the same IEEE f32 operations in the same order whether it falls in the 4-lane loop or
 * the scalar tail, so splitting a span anywhere does not change the bits (no FMA, no relaxed SIMD).
 */
export const HAPTIC_MIX_WAT = String.raw`
(module
  (import "env" "memory" (memory 1))

  (func (export "mixLinear")
    (param $out i32) (param $strideB i32) (param $src i32) (param $frames i32) (param $coef i32) (param $numT i32)
    (local $t i32) (local $p i32) (local $q i32) (local $dst i32) (local $end i32) (local $vend i32)
    (local $cb i32) (local $a v128) (local $b v128) (local $as f32) (local $bs f32)
    (local.set $cb (i32.shl (local.get $numT) (i32.const 2)))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $t) (local.get $numT)))
      (local.set $as (f32.load (i32.add (local.get $coef) (local.get $cb))))
      (local.set $bs (f32.load (i32.add (local.get $coef) (i32.shl (local.get $cb) (i32.const 1)))))
      (local.set $a (f32x4.splat (local.get $as)))
      (local.set $b (f32x4.splat (local.get $bs)))
      (local.set $p (i32.sub (local.get $src) (i32.shl (i32.load (local.get $coef)) (i32.const 2))))
      (local.set $q (i32.sub (local.get $p) (i32.const 4)))
      (local.set $dst (local.get $out))
      (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $frames) (i32.const 2))))
      (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $vend)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst))
            (f32x4.add (f32x4.mul (v128.load (local.get $p)) (local.get $a))
                       (f32x4.mul (v128.load (local.get $q)) (local.get $b)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.add (f32.load (local.get $dst))
            (f32.add (f32.mul (f32.load (local.get $p)) (local.get $as))
                     (f32.mul (f32.load (local.get $q)) (local.get $bs)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $sloop)))
      (local.set $out (i32.add (local.get $out) (local.get $strideB)))
      (local.set $coef (i32.add (local.get $coef) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tloop))))

  ;; One whole span of the linear mix, written (not added) to out: for each transducer t and frame n,
  ;;   out[t][n] = (((0 + y_0[t][n]) + y_1[t][n]) + … + y_{count−1}[t][n]) + bus[n]·g[t]
  ;; with y_s the linear tap of the s-th stimulus of the list (count i32 pairs [src, coef], in that order)
  ;; and the bus term only when $bus ≠ 0 (gains f32[numT] at $gains): the same f32 operations in the same
  ;; order per frame as zeroing the span, one mixLinear per stimulus, then mixGain. First a table of
  ;; [address of x[n0−D−1], c0, c1] per transducer and stimulus (16 bytes each, at $tab: numT·count
  ;; entries); then MIX_CHUNK_VECTORS·4 frames at a time are summed in v128 registers over all stimuli and stored once.
  (func (export "mixSpan")
    (param $out i32) (param $strideB i32) (param $frames i32) (param $numT i32) (param $list i32) (param $count i32)
    (param $bus i32) (param $gains i32) (param $tab i32)
    (local $t4 i32) (local $row i32) (local $f i32) (local $e i32) (local $eEnd i32) (local $w i32) (local $coef i32) (local $q i32) (local $cb i32)
    (local $tabT i32) (local $tabEnd i32) (local $endChunk i32) (local $end4 i32) (local $end i32)
    (local $a v128) (local $b v128) (local $g v128) (local $gs f32) (local $accs f32)
    ${range(MIX_CHUNK_VECTORS).map((k) => `(local $acc${k} v128)`).join(' ')}
    (local.set $cb (i32.shl (local.get $numT) (i32.const 2)))
    (local.set $endChunk (i32.shl (i32.and (local.get $frames) (i32.const ${-4 * MIX_CHUNK_VECTORS})) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $frames) (i32.const 2)))
    (local.set $eEnd (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
    ;; the table, transducer-major
    (local.set $w (local.get $tab))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $t4) (local.get $cb)))
      (local.set $e (local.get $list))
      (block $edone (loop $eloop
        (br_if $edone (i32.ge_u (local.get $e) (local.get $eEnd)))
        (local.set $coef (i32.add (i32.load offset=4 (local.get $e)) (local.get $t4)))
        (i32.store (local.get $w) (i32.sub (i32.sub (i32.load (local.get $e)) (i32.shl (i32.load (local.get $coef)) (i32.const 2))) (i32.const 4)))
        (local.set $coef (i32.add (local.get $coef) (local.get $cb)))
        (f32.store offset=4 (local.get $w) (f32.load (local.get $coef)))
        (f32.store offset=8 (local.get $w) (f32.load (i32.add (local.get $coef) (local.get $cb))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 8)))
        (br $eloop)))
      (local.set $t4 (i32.add (local.get $t4) (i32.const 4)))
      (br $bloop)))
    (local.set $row (local.get $out))
    (local.set $tabT (local.get $tab))
    (local.set $t4 (i32.const 0))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $t4) (local.get $cb)))
      (local.set $tabEnd (i32.add (local.get $tabT) (i32.shl (local.get $count) (i32.const 4))))
      (if (local.get $bus) (then (local.set $gs (f32.load (i32.add (local.get $gains) (local.get $t4))))))
      (local.set $g (f32x4.splat (local.get $gs)))
      (local.set $f (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $f) (local.get $endChunk)))
        ${range(MIX_CHUNK_VECTORS).map((k) => `(local.set $acc${k} (v128.const i32x4 0 0 0 0))`).join('\n        ')}
        (local.set $e (local.get $tabT))
        (block $sdone (loop $sloop
          (br_if $sdone (i32.ge_u (local.get $e) (local.get $tabEnd)))
          ${tapSetup}
          ${range(MIX_CHUNK_VECTORS).map((k) => `(local.set $acc${k} (f32x4.add (local.get $acc${k}) ${linearTap(16 * k)}))`).join('\n          ')}
          (local.set $e (i32.add (local.get $e) (i32.const 16)))
          (br $sloop)))
        (if (local.get $bus) (then
          (local.set $q (i32.add (local.get $bus) (local.get $f)))
          ${range(MIX_CHUNK_VECTORS).map((k) => `(local.set $acc${k} (f32x4.add (local.get $acc${k}) (f32x4.mul (v128.load offset=${16 * k} (local.get $q)) (local.get $g))))`).join('\n          ')}))
        (local.set $q (i32.add (local.get $row) (local.get $f)))
        ${range(MIX_CHUNK_VECTORS).map((k) => `(v128.store offset=${16 * k} (local.get $q) (local.get $acc${k}))`).join('\n        ')}
        (local.set $f (i32.add (local.get $f) (i32.const ${16 * MIX_CHUNK_VECTORS})))
        (br $cloop)))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $f) (local.get $end4)))
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $e (local.get $tabT))
        (block $sdone2 (loop $sloop2
          (br_if $sdone2 (i32.ge_u (local.get $e) (local.get $tabEnd)))
          ${tapSetup}
          (local.set $acc0 (f32x4.add (local.get $acc0) ${linearTap(0)}))
          (local.set $e (i32.add (local.get $e) (i32.const 16)))
          (br $sloop2)))
        (if (local.get $bus) (then
          (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (i32.add (local.get $bus) (local.get $f))) (local.get $g))))))
        (v128.store (i32.add (local.get $row) (local.get $f)) (local.get $acc0))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (br $vloop)))
      (block $fdone (loop $floop
        (br_if $fdone (i32.ge_u (local.get $f) (local.get $end)))
        (local.set $accs (f32.const 0))
        (local.set $e (local.get $tabT))
        (block $sdone3 (loop $sloop3
          (br_if $sdone3 (i32.ge_u (local.get $e) (local.get $tabEnd)))
          (local.set $q (i32.add (i32.load (local.get $e)) (local.get $f)))
          (local.set $accs (f32.add (local.get $accs)
            (f32.add (f32.mul (f32.load offset=4 (local.get $q)) (f32.load offset=4 (local.get $e)))
                     (f32.mul (f32.load (local.get $q)) (f32.load offset=8 (local.get $e))))))
          (local.set $e (i32.add (local.get $e) (i32.const 16)))
          (br $sloop3)))
        (if (local.get $bus) (then
          (local.set $accs (f32.add (local.get $accs) (f32.mul (f32.load (i32.add (local.get $bus) (local.get $f))) (local.get $gs))))))
        (f32.store (i32.add (local.get $row) (local.get $f)) (local.get $accs))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $floop)))
      (local.set $row (i32.add (local.get $row) (local.get $strideB)))
      (local.set $tabT (local.get $tabEnd))
      (local.set $t4 (i32.add (local.get $t4) (i32.const 4)))
      (br $tloop))))

  (func (export "mixCubic")
    (param $out i32) (param $strideB i32) (param $src i32) (param $frames i32) (param $coef i32) (param $numT i32)
    (local $t i32) (local $p i32) (local $dst i32) (local $end i32) (local $vend i32) (local $cb i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $as f32) (local $bs f32) (local $cs f32) (local $ds f32)
    (local.set $cb (i32.shl (local.get $numT) (i32.const 2)))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $t) (local.get $numT)))
      (local.set $as (f32.load (i32.add (local.get $coef) (local.get $cb))))
      (local.set $bs (f32.load (i32.add (local.get $coef) (i32.mul (local.get $cb) (i32.const 2)))))
      (local.set $cs (f32.load (i32.add (local.get $coef) (i32.mul (local.get $cb) (i32.const 3)))))
      (local.set $ds (f32.load (i32.add (local.get $coef) (i32.mul (local.get $cb) (i32.const 4)))))
      (local.set $a (f32x4.splat (local.get $as)))
      (local.set $b (f32x4.splat (local.get $bs)))
      (local.set $c (f32x4.splat (local.get $cs)))
      (local.set $d (f32x4.splat (local.get $ds)))
      ;; p = address of x[n − D + 1]
      (local.set $p (i32.add (i32.sub (local.get $src) (i32.shl (i32.load (local.get $coef)) (i32.const 2))) (i32.const 4)))
      (local.set $dst (local.get $out))
      (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $frames) (i32.const 2))))
      (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $vend)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst))
            (f32x4.add
              (f32x4.add
                (f32x4.add (f32x4.mul (v128.load (local.get $p)) (local.get $a))
                           (f32x4.mul (v128.load (i32.sub (local.get $p) (i32.const 4))) (local.get $b)))
                (f32x4.mul (v128.load (i32.sub (local.get $p) (i32.const 8))) (local.get $c)))
              (f32x4.mul (v128.load (i32.sub (local.get $p) (i32.const 12))) (local.get $d)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.add (f32.load (local.get $dst))
            (f32.add
              (f32.add
                (f32.add (f32.mul (f32.load (local.get $p)) (local.get $as))
                         (f32.mul (f32.load (i32.sub (local.get $p) (i32.const 4))) (local.get $bs)))
                (f32.mul (f32.load (i32.sub (local.get $p) (i32.const 8))) (local.get $cs)))
              (f32.mul (f32.load (i32.sub (local.get $p) (i32.const 12))) (local.get $ds)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $sloop)))
      (local.set $out (i32.add (local.get $out) (local.get $strideB)))
      (local.set $coef (i32.add (local.get $coef) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tloop))))

  ;; out[t][n] += g[t] · src[n]  (the standing-wave bus; g at $gains, f32[numT])
  (func (export "mixGain")
    (param $out i32) (param $strideB i32) (param $src i32) (param $frames i32) (param $gains i32) (param $numT i32)
    (local $t i32) (local $p i32) (local $dst i32) (local $end i32) (local $vend i32) (local $g v128) (local $gs f32)
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $t) (local.get $numT)))
      (local.set $gs (f32.load (local.get $gains)))
      (local.set $g (f32x4.splat (local.get $gs)))
      (local.set $p (local.get $src))
      (local.set $dst (local.get $out))
      (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $frames) (i32.const 2))))
      (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $vend)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (f32x4.mul (v128.load (local.get $p)) (local.get $g))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.add (f32.load (local.get $dst)) (f32.mul (f32.load (local.get $p)) (local.get $gs))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $sloop)))
      (local.set $out (i32.add (local.get $out) (local.get $strideB)))
      (local.set $gains (i32.add (local.get $gains) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tloop))))

  ;; The source of a sustained stimulus: n samples of g·sin(φ) by quadrature rotation, in f64.
  ;; state (f64 at $state): g, cos, sin, cosStep, sinStep; cos/sin are written back.
  ;; Per sample: v = g·sin; |v| < 1e-30 → 0; dst ← f32(v) (or f32(f64(dst) + v) when $acc);
  ;; cos' = cos·cs − sin·ss, sin' = sin·cs + cos·ss. The same f64 operations as the JS loop, so the same bits.
  (func (export "sineRun") (param $dst i32) (param $n i32) (param $state i32) (param $acc i32)
    (local $g f64) (local $c f64) (local $s f64) (local $cs f64) (local $ss f64) (local $v f64) (local $c2 f64) (local $end i32)
    (local.set $g (f64.load (local.get $state)))
    (local.set $c (f64.load offset=8 (local.get $state)))
    (local.set $s (f64.load offset=16 (local.get $state)))
    (local.set $cs (f64.load offset=24 (local.get $state)))
    (local.set $ss (f64.load offset=32 (local.get $state)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (local.set $v (f64.mul (local.get $g) (local.get $s)))
      (if (f64.lt (f64.abs (local.get $v)) (f64.const 1e-30)) (then (local.set $v (f64.const 0))))
      (if (local.get $acc)
        (then (f32.store (local.get $dst) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (local.get $dst))) (local.get $v)))))
        (else (f32.store (local.get $dst) (f32.demote_f64 (local.get $v)))))
      (local.set $c2 (f64.sub (f64.mul (local.get $c) (local.get $cs)) (f64.mul (local.get $s) (local.get $ss))))
      (local.set $s (f64.add (f64.mul (local.get $s) (local.get $cs)) (f64.mul (local.get $c) (local.get $ss))))
      (local.set $c (local.get $c2))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $next)))
    (f64.store offset=8 (local.get $state) (local.get $c))
    (f64.store offset=16 (local.get $state) (local.get $s)))

  ;; sineRun for the first (count & −4) entries of a table of 48-byte entries [g, cos, sin, cosStep, sinStep: f64;
  ;; dst: i32], four at a time in two f64x2 pairs so the four rotations overlap. $bus = 0: entry k's samples
  ;; are stored at its dst; else they are added to the bus, entry by entry in table order for each sample
  ;; (f32(f64(bus) + v) four times). Per lane the same f64 operations as sineRun, so the same bits.
  (func (export "sineRunMany") (param $tab i32) (param $count i32) (param $n i32) (param $bus i32)
    (local $e i32) (local $eEnd i32) (local $i i32) (local $end i32)
    (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    ${['g', 'c', 's', 'cs', 'ss', 'v'].map((x) => `(local $${x}A v128) (local $${x}B v128)`).join(' ')}
    (local $c2 v128) (local $f v128) (local $b f64)
    (local.set $eEnd (i32.add (local.get $tab) (i32.mul (i32.and (local.get $count) (i32.const -4)) (i32.const 48))))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $e (local.get $tab))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $e) (local.get $eEnd)))
      ${[['g', 0], ['c', 8], ['s', 16], ['cs', 24], ['ss', 32]].map(([x, at]) => `(local.set $${x}A ${pairLoad(at as number)})
      (local.set $${x}B ${pairLoad((at as number) + 96)})`).join('\n      ')}
      ${range(4).map((k) => `(local.set $d${k} (i32.load offset=${40 + 48 * k} (local.get $e)))`).join(' ')}
      (local.set $i (i32.const 0))
      (if (local.get $bus)
        (then (block $adone (loop $aloop
          (br_if $adone (i32.ge_u (local.get $i) (local.get $end)))
          ${sineValues}
          (local.set $b (f64.promote_f32 (f32.load (i32.add (local.get $bus) (local.get $i)))))
          ${[['A', 0], ['A', 1], ['B', 0]].map(([x, lane]) => `(local.set $b (f64.promote_f32 (f32.demote_f64 (f64.add (local.get $b) (f64x2.extract_lane ${lane} (local.get $v${x}))))))`).join('\n          ')}
          (f32.store (i32.add (local.get $bus) (local.get $i)) (f32.demote_f64 (f64.add (local.get $b) (f64x2.extract_lane 1 (local.get $vB)))))
          ${sineRotate}
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $aloop))))
        (else (block $sdone (loop $sloop
          (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
          ${sineValues}
          (local.set $f (f32x4.demote_f64x2_zero (local.get $vA)))
          (f32.store (i32.add (local.get $d0) (local.get $i)) (f32x4.extract_lane 0 (local.get $f)))
          (f32.store (i32.add (local.get $d1) (local.get $i)) (f32x4.extract_lane 1 (local.get $f)))
          (local.set $f (f32x4.demote_f64x2_zero (local.get $vB)))
          (f32.store (i32.add (local.get $d2) (local.get $i)) (f32x4.extract_lane 0 (local.get $f)))
          (f32.store (i32.add (local.get $d3) (local.get $i)) (f32x4.extract_lane 1 (local.get $f)))
          ${sineRotate}
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $sloop)))))
      ${[['A', 0], ['B', 96]].map(([x, at]) => [0, 1].map((lane) => `(f64.store offset=${(at as number) + 48 * lane + 8} (local.get $e) (f64x2.extract_lane ${lane} (local.get $c${x})))
      (f64.store offset=${(at as number) + 48 * lane + 16} (local.get $e) (f64x2.extract_lane ${lane} (local.get $s${x})))`).join('\n      ')).join('\n      ')}
      (local.set $e (i32.add (local.get $e) (i32.const 192)))
      (br $gloop))))

  ;; The linear taps of one travelling stimulus (tapCoefficients.ts with cubic = 0), two transducers at a
  ;; time in f64x2: $args holds f64 [x, y, samplesPerMetre, gainLinear], $xs and $ys f64[numT] the
  ;; transducer positions; writes D[numT] (i32), c0, c1 (f32) and zeros for c2, c3 at $coef. Per lane the
  ;; same f64 operations as writeTapCoefficients (sqrt and division are correctly rounded), so the same bits.
  (func (export "linearTaps") (param $xs i32) (param $ys i32) (param $numT i32) (param $args i32) (param $coef i32)
    (local $t8 i32) (local $pairEnd i32) (local $t4 i32) (local $cb i32)
    (local $x v128) (local $y v128) (local $spm v128) (local $gain v128)
    (local $dx v128) (local $dy v128) (local $d v128) (local $g v128) (local $delay v128) (local $fl v128) (local $f v128)
    (local $xs1 f64) (local $ys1 f64) (local $d1 f64) (local $g1 f64) (local $delay1 f64) (local $fl1 f64) (local $f1 f64)
    (local.set $x (v128.load64_splat (local.get $args)))
    (local.set $y (v128.load64_splat offset=8 (local.get $args)))
    (local.set $spm (v128.load64_splat offset=16 (local.get $args)))
    (local.set $gain (v128.load64_splat offset=24 (local.get $args)))
    (local.set $cb (i32.shl (local.get $numT) (i32.const 2)))
    (local.set $pairEnd (i32.shl (i32.and (local.get $numT) (i32.const -2)) (i32.const 3)))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (local.get $t8) (local.get $pairEnd)))
      (local.set $t4 (i32.add (local.get $coef) (i32.shr_u (local.get $t8) (i32.const 1))))
      (local.set $dx (f64x2.sub (local.get $x) (v128.load (i32.add (local.get $xs) (local.get $t8)))))
      (local.set $dy (f64x2.sub (local.get $y) (v128.load (i32.add (local.get $ys) (local.get $t8)))))
      (local.set $d (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $dx) (local.get $dx)) (f64x2.mul (local.get $dy) (local.get $dy)))))
      (local.set $g (f64x2.div (local.get $gain) (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (v128.const f64x2 2 2) (local.get $d)))))
      (local.set $delay (f64x2.add (f64x2.mul (local.get $d) (local.get $spm)) (v128.const f64x2 0 0)))
      (local.set $fl (f64x2.floor (local.get $delay)))
      (local.set $f (f64x2.sub (local.get $delay) (local.get $fl)))
      (v128.store64_lane 0 (local.get $t4) (i32x4.trunc_sat_f64x2_s_zero (local.get $fl)))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (v128.store64_lane 0 (local.get $t4)
        (f32x4.demote_f64x2_zero (f64x2.mul (local.get $g) (f64x2.sub (v128.const f64x2 1 1) (local.get $f)))))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (v128.store64_lane 0 (local.get $t4) (f32x4.demote_f64x2_zero (f64x2.mul (local.get $g) (local.get $f))))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (i64.store (local.get $t4) (i64.const 0))
      (i64.store (i32.add (local.get $t4) (local.get $cb)) (i64.const 0))
      (local.set $t8 (i32.add (local.get $t8) (i32.const 16)))
      (br $ploop)))
    (if (i32.and (local.get $numT) (i32.const 1)) (then
      (local.set $t4 (i32.add (local.get $coef) (i32.shr_u (local.get $t8) (i32.const 1))))
      (local.set $xs1 (f64.sub (f64.load (local.get $args)) (f64.load (i32.add (local.get $xs) (local.get $t8)))))
      (local.set $ys1 (f64.sub (f64.load offset=8 (local.get $args)) (f64.load (i32.add (local.get $ys) (local.get $t8)))))
      (local.set $d1 (f64.sqrt (f64.add (f64.mul (local.get $xs1) (local.get $xs1)) (f64.mul (local.get $ys1) (local.get $ys1)))))
      (local.set $g1 (f64.div (f64.load offset=24 (local.get $args)) (f64.add (f64.const 1) (f64.mul (f64.const 2) (local.get $d1)))))
      (local.set $delay1 (f64.add (f64.mul (local.get $d1) (f64.load offset=16 (local.get $args))) (f64.const 0)))
      (local.set $fl1 (f64.floor (local.get $delay1)))
      (local.set $f1 (f64.sub (local.get $delay1) (local.get $fl1)))
      (i32.store (local.get $t4) (i32.trunc_sat_f64_s (local.get $fl1)))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (f32.store (local.get $t4) (f32.demote_f64 (f64.mul (local.get $g1) (f64.sub (f64.const 1) (local.get $f1)))))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (f32.store (local.get $t4) (f32.demote_f64 (f64.mul (local.get $g1) (local.get $f1))))
      (local.set $t4 (i32.add (local.get $t4) (local.get $cb)))
      (i32.store (local.get $t4) (i32.const 0))
      (i32.store (i32.add (local.get $t4) (local.get $cb)) (i32.const 0)))))

  ;; The limiter and the status meter, in place over numT channels of $frames:
  ;; v ← clamp(v, −1, 1), then |v| < FLT_MIN → 0. peak[t] = max |v|, sumsq[t] = Σ v² (f32, after the clamp).
  ;; Returns the number of samples whose |v| exceeded 1 before the clamp. Channels go two at a time (their
  ;; sums of squares are two independent chains of additions), then the last one alone if numT is odd.
  (func (export "finish")
    (param $out i32) (param $strideB i32) (param $frames i32) (param $numT i32) (param $peak i32) (param $sumsq i32)
    (result i32)
    (local $t i32) (local $end i32) (local $vend i32) (local $clipped i32) (local $n v128)
    ${range(2).map((r) => `(local $d${r} i32) (local $v${r} v128) (local $av${r} v128) (local $pk${r} v128) (local $ss${r} v128)`).join(' ')}
    (local $s f32) (local $as f32) (local $pks f32) (local $sss f32)
    (local $one v128) (local $minusOne v128) (local $fltMin v128) (local $absMask v128)
    ;; constants in locals: TurboFan rebuilds a v128.const at every use inside a loop
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $minusOne (v128.const f32x4 -1 -1 -1 -1))
    (local.set $fltMin (v128.const f32x4 1.17549435e-38 1.17549435e-38 1.17549435e-38 1.17549435e-38))
    (local.set $absMask (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
    (local.set $end (i32.shl (local.get $frames) (i32.const 2)))
    (local.set $vend (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2)))
    ${finishRows(2)}
    ${finishRows(1)}
    (i32.add (local.get $clipped)
      (i32.add (i32.add (i32x4.extract_lane 0 (local.get $n)) (i32x4.extract_lane 1 (local.get $n)))
               (i32.add (i32x4.extract_lane 2 (local.get $n)) (i32x4.extract_lane 3 (local.get $n))))))
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
