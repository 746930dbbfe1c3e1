import { range } from './watText.ts';

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
 * WebAssembly text of the haptic engine's source kernels (contract in mixKernel.ts): sineRun and
 * sineRunMany (the stimuli's sines) and linearTaps (a travelling stimulus's tap table). A fragment of
 * the module HAPTIC_MIX_WAT (mixKernel.ts) composes.
 */
export const SOURCE_FUNCTIONS_WAT = String.raw`
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
      (i32.store (i32.add (local.get $t4) (local.get $cb)) (i32.const 0)))))`;
