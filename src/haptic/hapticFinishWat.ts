import { range } from './watText.ts';

/**
 * The limiter and meter on the v128 in local $v (clamped and flushed in place), with the locals of
 * LIMITER_LOCALS: $av = |v| before the clamp, $n counts |v| > 1 per lane (a true compare is −1),
 * $av ← min(1, |v|) is |clamped v| (NaN → 1, as the clamp maps it); the peak $pk is taken before the flush
 * (reduceMeters zeroes it when under FLT_MIN: then every vector frame was flushed), $ss sums v².
 */
const limitVector = (v: string, pk: string, ss: string) => String.raw`(local.set $av (v128.and (local.get $${v}) (local.get $absMask)))
        (local.set $n (i32x4.sub (local.get $n) (f32x4.gt (local.get $av) (local.get $one))))
        (local.set $${v} (f32x4.pmax (local.get $minusOne) (f32x4.pmin (local.get $one) (local.get $${v}))))
        (local.set $av (f32x4.pmin (local.get $one) (local.get $av)))
        (local.set $${v} (v128.and (local.get $${v}) (f32x4.ge (local.get $av) (local.get $fltMin))))
        (local.set $${pk} (f32x4.pmax (local.get $${pk}) (local.get $av)))
        (local.set $${ss} (f32x4.add (local.get $${ss}) (f32x4.mul (local.get $${v}) (local.get $${v}))))`;

/** The vector meters reduced to $pks (max of the lanes, 0 under FLT_MIN) and $sss ((l0 + l1) + (l2 + l3)), before the tail frames. */
const reduceMeters = (pk: string, ss: string) => String.raw`(local.set $pks (f32.max (f32.max (f32x4.extract_lane 0 (local.get $${pk})) (f32x4.extract_lane 1 (local.get $${pk})))
                               (f32.max (f32x4.extract_lane 2 (local.get $${pk})) (f32x4.extract_lane 3 (local.get $${pk})))))
      (if (f32.lt (local.get $pks) (f32.const 1.17549435e-38)) (then (local.set $pks (f32.const 0))))
      (local.set $sss (f32.add (f32.add (f32x4.extract_lane 0 (local.get $${ss})) (f32x4.extract_lane 1 (local.get $${ss})))
                               (f32.add (f32x4.extract_lane 2 (local.get $${ss})) (f32x4.extract_lane 3 (local.get $${ss})))))`;

/** The limiter and meter on one tail frame in local $s: clip count, clamp (NaN → 1), flush, $pks and $sss. */
const limitScalar = String.raw`(if (f32.gt (f32.abs (local.get $s)) (f32.const 1))
          (then (local.set $clipped (i32.add (local.get $clipped) (i32.const 1)))))
        (if (f32.gt (local.get $s) (f32.const 1)) (then (local.set $s (f32.const 1))))
        (if (f32.lt (local.get $s) (f32.const -1)) (then (local.set $s (f32.const -1))))
        (if (f32.ne (local.get $s) (local.get $s)) (then (local.set $s (f32.const 1))))
        (local.set $as (f32.abs (local.get $s)))
        (if (f32.lt (local.get $as) (f32.const 1.17549435e-38)) (then (local.set $s (f32.const 0)) (local.set $as (f32.const 0))))
        (local.set $pks (f32.max (local.get $pks) (local.get $as)))
        (local.set $sss (f32.add (local.get $sss) (f32.mul (local.get $s) (local.get $s))))`;

/**
 * The locals the limiter uses and its constants, set before the loops (TurboFan rebuilds a v128.const
 * at every use inside a loop: 3 instructions each).
 */
const LIMITER_LOCALS = String.raw`(local $clipped i32) (local $n v128) (local $av v128) (local $s f32) (local $as f32) (local $pks f32) (local $sss f32)
    (local $one v128) (local $minusOne v128) (local $fltMin v128) (local $absMask v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $minusOne (v128.const f32x4 -1 -1 -1 -1))
    (local.set $fltMin (v128.const f32x4 1.17549435e-38 1.17549435e-38 1.17549435e-38 1.17549435e-38))
    (local.set $absMask (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))`;

/** The clipped-sample count: the tail frames' plus the vector lanes'. */
const CLIPPED_COUNT = String.raw`(i32.add (local.get $clipped)
      (i32.add (i32.add (i32x4.extract_lane 0 (local.get $n)) (i32x4.extract_lane 1 (local.get $n)))
               (i32.add (i32x4.extract_lane 2 (local.get $n)) (i32x4.extract_lane 3 (local.get $n)))))`;

/**
 * finish's loop over `rows` channels at a time (while that many are left): 4 frames at a time through
 * limitVector, then each row's meters reduced and its tail frames done one by one.
 */
const finishRows = (rows: number) => String.raw`(block $rows${rows}done (loop $rows${rows}
      (br_if $rows${rows}done (i32.gt_u (i32.add (local.get $t) (i32.const ${rows})) (local.get $numT)))
      ${range(rows).map((r) => `(local.set $pk${r} (v128.const f32x4 0 0 0 0)) (local.set $ss${r} (v128.const f32x4 0 0 0 0))
      (local.set $d${r} (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${r}))))`).join('\n      ')}
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (i32.sub (local.get $d0) (local.get $out)) (local.get $vend)))
        ${range(rows).map((r) => `(local.set $v${r} (v128.load (local.get $d${r})))
        ${limitVector(`v${r}`, `pk${r}`, `ss${r}`)}
        (v128.store (local.get $d${r}) (local.get $v${r}))
        (local.set $d${r} (i32.add (local.get $d${r}) (i32.const 16)))`).join('\n        ')}
        (br $vloop)))
      ${range(rows).map((r) => finishTail(r)).join('\n      ')}
      (local.set $out (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${rows}))))
      (local.set $t (i32.add (local.get $t) (i32.const ${rows})))
      (br $rows${rows})))`;

/** Row r of finish after its vector frames: meters reduced, tail frames one by one, peak and sumsq stored for channel $t + r. */
const finishTail = (r: number) => String.raw`${reduceMeters(`pk${r}`, `ss${r}`)}
      (block $sdone${r} (loop $sloop${r}
        (br_if $sdone${r} (i32.ge_u (i32.sub (local.get $d${r}) (i32.add (local.get $out) (i32.mul (local.get $strideB) (i32.const ${r})))) (local.get $end)))
        (local.set $s (f32.load (local.get $d${r})))
        ${limitScalar}
        (f32.store (local.get $d${r}) (local.get $s))
        (local.set $d${r} (i32.add (local.get $d${r}) (i32.const 4)))
        (br $sloop${r})))
      (f32.store offset=${4 * r} (i32.add (local.get $peak) (i32.shl (local.get $t) (i32.const 2))) (local.get $pks))
      (f32.store offset=${4 * r} (i32.add (local.get $sumsq) (i32.shl (local.get $t) (i32.const 2))) (local.get $sss))`;

/**
 * WebAssembly text of the haptic engine's output stage (contract in mixKernel.ts): finish, the limiter
 * and the status meter. A fragment of the module HAPTIC_MIX_WAT (mixKernel.ts) composes.
 */
export const FINISH_FUNCTION_WAT = String.raw`
  ;; The limiter and the status meter, in place over numT channels of $frames:
  ;; v ← clamp(v, −1, 1), then |v| < FLT_MIN → 0. peak[t] = max |v|, sumsq[t] = Σ v² (f32, after the clamp).
  ;; Returns the number of samples whose |v| exceeded 1 before the clamp. Channels go two at a time (their
  ;; sums of squares are two independent chains of additions), then the last one alone if numT is odd.
  (func (export "finish")
    (param $out i32) (param $strideB i32) (param $frames i32) (param $numT i32) (param $peak i32) (param $sumsq i32)
    (result i32)
    (local $t i32) (local $end i32) (local $vend i32)
    ${range(2).map((r) => `(local $d${r} i32) (local $v${r} v128) (local $pk${r} v128) (local $ss${r} v128)`).join(' ')}
    ${LIMITER_LOCALS}
    (local.set $end (i32.shl (local.get $frames) (i32.const 2)))
    (local.set $vend (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2)))
    ${finishRows(2)}
    ${finishRows(1)}
    ${CLIPPED_COUNT})`;
