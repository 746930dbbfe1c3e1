import { range } from './watText.ts';

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

/**
 * WebAssembly text of the haptic engine's mix kernels (contract and measured figures in mixKernel.ts):
 * mixLinear, mixSpan, mixCubic and mixGain, the per-span FIR taps of the travelling stimuli and the
 * standing bus. A fragment of the module HAPTIC_MIX_WAT (mixKernel.ts) composes.
 */
export const MIX_FUNCTIONS_WAT = String.raw`
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
      (br $tloop))))`;
