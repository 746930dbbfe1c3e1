import { RT60_HIGH_HZ, RT60_LOW_HZ, RT60_MID_HZ } from './reverbParams.ts';
import { P_FEEDBACK, P_RT60, P_RT60_HIGH, P_RT60_LOW } from './reverbParamIndex.ts';

/**
 * The WebAssembly text of the FDN's per-line loop-filter design (see lineCoefficientDesign.ts): the
 * same IEEE f64 operations in the same order as the JavaScript reference functions
 * `designAbsorptionInto` (absorptionDesign.ts) and `designShelvedInto` with its fixed-point map and
 * peak bound (threeAnchorAbsorption.ts), then `LineCoefficients.startRamp` (lineCoefficients.ts), so
 * every coefficient is bit-identical to theirs (WebAssembly has no FMA contraction and no
 * reassociation; min/max/abs/sqrt are the IEEE operations JavaScript's are). The transcendental
 * functions are not reimplemented: the module imports JavaScript's own Math.pow/sin/cos/tan, which
 * V8 recognises and calls directly (its Wasm math intrinsics, the same C functions Math.* run, with no
 * JavaScript frame and no boxed double) — `a ** b` is Math.pow in V8.
 *
 * Why WebAssembly: the design runs once per Param event, too rarely for V8 to keep its JavaScript
 * optimised, and unoptimised JavaScript boxes every double it computes (measured before this kernel:
 * 3…18 KB per rare rt60/feedback event). WebAssembly never allocates on the JavaScript heap, in any tier.
 *
 * Memory (byte addresses, little-endian): the i32 header at 0 (`D_*` word indices: line count, mode,
 * and the byte address of each f64 array), the sample rate as f64 at `DESIGN_RATE_BYTE`, the arrays
 * where the header points (each N doubles; `values` the 9 parameters in REVERB_PARAM_NAMES order).
 */

/** i32 header words. D_SHELF, D_SHELF_TARGET, D_SHELF_STEP are followed by the words of c1 and q. */
export const D_LINES = 0, D_RT60_MODE = 1, D_VALUES = 2, D_DELAYS = 3, D_DAMPING = 4, D_B0 = 5, D_POLE = 6;
export const D_B0_TARGET = 7, D_POLE_TARGET = 8, D_B0_STEP = 9, D_POLE_STEP = 10, D_SHELF = 11, D_SHELF_TARGET = 14, D_SHELF_STEP = 17;
export const DESIGN_HEADER_WORDS = 20;
/** Byte address of the sample rate (f64), and the bytes reserved before the arrays. */
export const DESIGN_RATE_BYTE = 128;
export const DESIGN_RESERVED_BYTES = 144;

/** The module's export: designs every line's targets from `values` and starts the ramp (0 = at once); `shelved` 1 = the three-anchor design. */
export interface LineDesignExports {
  design(rampFrames: number, shelved: number): void;
}

/** The imports the module needs: JavaScript's own Math functions (bit-identical to the reference). */
export const LINE_DESIGN_IMPORTS = { math: { pow: Math.pow, sin: Math.sin, cos: Math.cos, tan: Math.tan } };

/** An f64 constant spelled exactly (hexadecimal float), so no decimal parsing can round it otherwise. */
function f64(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '(f64.const -0x0p+0)' : '(f64.const 0x0p+0)';
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const exponent = (hi >>> 20) & 0x7ff;
  const mantissa = ((BigInt(hi & 0xfffff) << 32n) | BigInt(lo)).toString(16).padStart(13, '0');
  if (exponent === 0) return `(f64.const ${sign}0x0.${mantissa}p-1022)`;
  return `(f64.const ${sign}0x1.${mantissa}p${exponent - 1023})`;
}

const PI = f64(Math.PI);
const TWO_PI = f64(2 * Math.PI);
/** absorptionDesign.ts: MAX_POLE, INFEASIBLE_POLE, MAX_GAIN; threeAnchorAbsorption.ts: MAX_GAIN, MAX_STEPS, PEAK_GRID. */
const MAX_POLE = 0.9999, INFEASIBLE_POLE = 0.99, MAX_GAIN = 0.999999, MAX_STEPS = 32, PEAK_GRID = 64;

/** Loads f64 element `index` (an i32 expression) of the array whose address is header word `word`. */
const at = (word: number, index: string) => `(i32.add (i32.load (i32.const ${4 * word})) (i32.shl ${index} (i32.const 3)))`;
const value = (index: number) => `(f64.load offset=${8 * index} (i32.load (i32.const ${4 * D_VALUES})))`;
const watIsNaN = (x: string) => `(f64.ne ${x} ${x})`;

/** WAT text of the design module (one for every line count: N is read from the header). */
export function lineDesignWat(): string {
  return `(module
  (import "math" "pow" (func $pow (param f64 f64) (result f64)))
  (import "math" "sin" (func $sin (param f64) (result f64)))
  (import "math" "cos" (func $cos (param f64) (result f64)))
  (import "math" "tan" (func $tan (param f64) (result f64)))
  (import "env" "memory" (memory 1))
  ;; results of $absorption, and the state of the shelved design (threeAnchorAbsorption.ts's solved[])
  (global $b0 (mut f64) (f64.const 0)) (global $pole (mut f64) (f64.const 0))
  (global $gM (mut f64) (f64.const 0)) (global $gH (mut f64) (f64.const 0)) (global $gL (mut f64) (f64.const 0))
  (global $vM (mut f64) (f64.const 0)) (global $vH (mut f64) (f64.const 0)) (global $vL (mut f64) (f64.const 0))
  (global $tM (mut f64) (f64.const 0)) (global $tH (mut f64) (f64.const 0)) (global $tL (mut f64) (f64.const 0))
  (global $t2 (mut f64) (f64.const 0)) (global $p (mut f64) (f64.const 0)) (global $g2 (mut f64) (f64.const 0))
  (global $next (mut f64) (f64.const 0)) (global $peak (mut f64) (f64.const 0))
  (global $c0 (mut f64) (f64.const 0)) (global $c1 (mut f64) (f64.const 0)) (global $q (mut f64) (f64.const 0))

  ;; designAbsorptionInto: one-pole meeting T60 $ta at $fa and $tb at $fb, into $b0, $pole
  (func $absorption (param $m f64) (param $fs f64) (param $ta f64) (param $fa f64) (param $tb f64) (param $fb f64)
    (local $ga f64) (local $gb f64) (local $ca f64) (local $cb f64) (local $pole f64) (local $r f64) (local $half f64)
    (local $b0 f64) (local $peak f64) (local $limit f64)
    (local.set $ga (call $pow (f64.const 10) (f64.div (f64.mul (f64.const -3) (local.get $m)) (f64.mul (local.get $fs) (local.get $ta)))))
    (local.set $gb (call $pow (f64.const 10) (f64.div (f64.mul (f64.const -3) (local.get $m)) (f64.mul (local.get $fs) (local.get $tb)))))
    (local.set $ca (call $cos (f64.div (f64.mul ${TWO_PI} (f64.min (local.get $fa) (f64.div (local.get $fs) (f64.const 2)))) (local.get $fs))))
    (local.set $cb (call $cos (f64.div (f64.mul ${TWO_PI} (f64.min (local.get $fb) (f64.div (local.get $fs) (f64.const 2)))) (local.get $fs))))
    (local.set $r (f64.mul (f64.div (local.get $ga) (local.get $gb)) (f64.div (local.get $ga) (local.get $gb))))
    (if (f64.gt (f64.abs (f64.sub (f64.const 1) (local.get $r))) ${f64(1e-12)})
      (then
        (local.set $half (f64.div (f64.sub (local.get $cb) (f64.mul (local.get $r) (local.get $ca))) (f64.sub (f64.const 1) (local.get $r))))
        (if (f64.gt (f64.abs (local.get $half)) (f64.const 1))
          (then (local.set $pole (f64.sub (local.get $half)
            (f64.mul (select (f64.const 1) (f64.const -1) (f64.gt (local.get $half) (f64.const 0)))
              (f64.sqrt (f64.sub (f64.mul (local.get $half) (local.get $half)) (f64.const 1)))))))
          (else (local.set $pole (select (f64.const 0) ${f64(INFEASIBLE_POLE)} (f64.gt (local.get $gb) (local.get $ga))))))
        (local.set $pole (f64.max ${f64(-MAX_POLE)} (f64.min ${f64(MAX_POLE)} (local.get $pole))))))
    (local.set $b0 (f64.mul (local.get $ga) (f64.sqrt (f64.add
      (f64.sub (f64.const 1) (f64.mul (f64.mul (f64.const 2) (local.get $pole)) (local.get $ca)))
      (f64.mul (local.get $pole) (local.get $pole))))))
    (local.set $peak (f64.div (local.get $b0) (f64.sub (f64.const 1) (f64.abs (local.get $pole)))))
    (local.set $limit (f64.min ${f64(MAX_GAIN)} (f64.sqrt (f64.max (local.get $ga) (local.get $gb)))))
    (if (f64.gt (local.get $peak) (local.get $limit))
      (then (local.set $b0 (f64.mul (local.get $b0) (f64.div (local.get $limit) (local.get $peak))))))
    (global.set $b0 (local.get $b0))
    (global.set $pole (local.get $pole)))

  ;; shelfFixedPoint at K = $k: the one-pole ($p, $g2) and the next K ($next)
  (func $fixedPoint (param $k f64)
    (local $aM f64) (local $aH f64) (local $p f64) (local $mu f64) (local $g2 f64) (local $y f64) (local $tau f64) (local $d f64)
    (local.set $aM (f64.div (f64.mul (global.get $gM) (f64.add (global.get $tM) (f64.div (global.get $t2) (local.get $k))))
      (f64.add (global.get $tM) (f64.mul (global.get $t2) (local.get $k)))))
    (local.set $aH (f64.div (f64.mul (global.get $gH) (f64.add (global.get $tH) (f64.div (global.get $t2) (local.get $k))))
      (f64.add (global.get $tH) (f64.mul (global.get $t2) (local.get $k)))))
    (local.set $p (f64.const nan))
    (if (f64.eq (local.get $aM) (local.get $aH))
      (then (local.set $p (f64.const 0)))
      (else
        (local.set $mu (f64.div (f64.sub (f64.mul (local.get $aH) (global.get $vH)) (f64.mul (local.get $aM) (global.get $vM)))
          (f64.sub (local.get $aM) (local.get $aH))))
        (if (f64.gt (local.get $mu) (f64.const 0))
          (then (local.set $p (f64.div (f64.const 1) (f64.add (f64.add (f64.const 1) (local.get $mu))
            (f64.sqrt (f64.mul (local.get $mu) (f64.add (local.get $mu) (f64.const 2))))))))
          (else (if (f64.lt (local.get $mu) (f64.const -2))
            (then (local.set $p (f64.div (f64.const 1) (f64.sub (f64.add (f64.const 1) (local.get $mu))
              (f64.sqrt (f64.mul (local.get $mu) (f64.add (local.get $mu) (f64.const 2)))))))))))))
    (local.set $d (f64.mul (f64.sub (f64.const 1) (local.get $p)) (f64.sub (f64.const 1) (local.get $p))))
    (local.set $g2 (f64.mul (local.get $aM) (f64.add (local.get $d) (f64.mul (f64.mul (f64.const 2) (local.get $p)) (global.get $vM)))))
    (global.set $p (local.get $p))
    (global.set $g2 (local.get $g2))
    (local.set $y (f64.div (f64.mul (global.get $gL) (f64.add (local.get $d) (f64.mul (f64.mul (f64.const 2) (local.get $p)) (global.get $vL))))
      (local.get $g2)))
    (local.set $tau (global.get $tL))
    (global.set $next (f64.div
      (f64.add (f64.mul (local.get $tau) (f64.sub (local.get $y) (f64.const 1)))
        (f64.sqrt (f64.add
          (f64.mul (f64.mul (f64.mul (local.get $tau) (local.get $tau)) (f64.sub (local.get $y) (f64.const 1))) (f64.sub (local.get $y) (f64.const 1)))
          (f64.mul (f64.mul (f64.mul (f64.const 4) (local.get $y)) (global.get $t2)) (global.get $t2)))))
      (f64.mul (f64.const 2) (global.get $t2)))))

  ;; peakGain at K = $k: the bound of max |S·P| into $peak
  (func $peakGain (param $k f64)
    (local $t2 f64) (local $p f64) (local $g2 f64) (local $peak f64) (local $prevS f64) (local $prevP f64)
    (local $j i32) (local $v f64) (local $tau f64) (local $s2 f64) (local $p2 f64) (local $bound f64)
    (local.set $t2 (global.get $t2)) (local.set $p (global.get $p)) (local.set $g2 (global.get $g2))
    (local.set $prevS (f64.mul (local.get $k) (local.get $k)))
    (local.set $prevP (f64.div (local.get $g2) (f64.mul (f64.sub (f64.const 1) (local.get $p)) (f64.sub (f64.const 1) (local.get $p)))))
    (loop $grid
      (local.set $v (f64.mul (f64.const 2) (call $pow ${f64(1e-6)}
        (f64.sub (f64.const 1) (f64.div (f64.convert_i32_s (local.get $j)) (f64.const ${PEAK_GRID}))))))
      (local.set $tau (f64.div (local.get $v) (f64.sub (f64.const 2) (local.get $v))))
      (local.set $s2 (if (result f64) (i32.eq (local.get $j) (i32.const ${PEAK_GRID}))
        (then (f64.const 1))
        (else (f64.div (f64.add (local.get $tau) (f64.mul (local.get $t2) (local.get $k))) (f64.add (local.get $tau) (f64.div (local.get $t2) (local.get $k)))))))
      (local.set $p2 (f64.div (local.get $g2) (f64.add (f64.mul (f64.sub (f64.const 1) (local.get $p)) (f64.sub (f64.const 1) (local.get $p)))
        (f64.mul (f64.mul (f64.const 2) (local.get $p)) (local.get $v)))))
      (local.set $bound (f64.mul (f64.max (local.get $prevS) (local.get $s2)) (f64.max (local.get $prevP) (local.get $p2))))
      (if (f64.gt (local.get $bound) (local.get $peak)) (then (local.set $peak (local.get $bound))))
      (local.set $prevS (local.get $s2))
      (local.set $prevP (local.get $p2))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $grid (i32.le_s (local.get $j) (i32.const ${PEAK_GRID}))))
    (global.set $peak (f64.sqrt (local.get $peak))))

  ;; sin(π·min(f, fs/2)/fs)
  (func $halfSine (param $f f64) (param $fs f64) (result f64)
    (call $sin (f64.div (f64.mul ${PI} (f64.min (local.get $f) (f64.div (local.get $fs) (f64.const 2)))) (local.get $fs))))

  ;; designShelvedInto: into $b0, $pole, $c0, $c1, $q (the two-anchor fallback with the identity shelf)
  (func $shelved (param $m f64) (param $fs f64) (param $tMid f64) (param $tHigh f64) (param $tLow f64)
    (local $s f64) (local $t f64) (local $k0 f64) (local $k1 f64) (local $k2 f64) (local $h0 f64) (local $h1 f64)
    (local $ok i32) (local $step i32) (local $sk f64) (local $norm f64)
    (global.set $gM (call $pow (f64.const 10) (f64.div (f64.mul (f64.const -6) (local.get $m)) (f64.mul (local.get $fs) (local.get $tMid)))))
    (global.set $gH (call $pow (f64.const 10) (f64.div (f64.mul (f64.const -6) (local.get $m)) (f64.mul (local.get $fs) (local.get $tHigh)))))
    (global.set $gL (call $pow (f64.const 10) (f64.div (f64.mul (f64.const -6) (local.get $m)) (f64.mul (local.get $fs) (local.get $tLow)))))
    (local.set $s (call $halfSine (f64.const ${RT60_MID_HZ}) (local.get $fs)))
    (global.set $vM (f64.mul (f64.mul (f64.const 2) (local.get $s)) (local.get $s)))
    (local.set $s (call $halfSine (f64.const ${RT60_HIGH_HZ}) (local.get $fs)))
    (global.set $vH (f64.mul (f64.mul (f64.const 2) (local.get $s)) (local.get $s)))
    (local.set $s (call $halfSine (f64.const ${RT60_LOW_HZ}) (local.get $fs)))
    (global.set $vL (f64.mul (f64.mul (f64.const 2) (local.get $s)) (local.get $s)))
    (local.set $t (call $tan (f64.div (f64.mul ${PI}
      (f64.min (f64.sqrt (f64.mul (f64.const ${RT60_MID_HZ}) (f64.const ${RT60_LOW_HZ}))) (f64.mul ${f64(0.45)} (local.get $fs)))) (local.get $fs))))
    (global.set $t2 (f64.mul (local.get $t) (local.get $t)))
    (global.set $tM (f64.div (global.get $vM) (f64.sub (f64.const 2) (global.get $vM))))
    (global.set $tH (f64.div (global.get $vH) (f64.sub (f64.const 2) (global.get $vH))))
    (global.set $tL (f64.div (global.get $vL) (f64.sub (f64.const 2) (global.get $vL))))
    ;; secant on h(K) = F(K) − K
    (local.set $k0 (f64.const 1))
    (call $fixedPoint (local.get $k0))
    (local.set $h0 (f64.sub (global.get $next) (local.get $k0)))
    (local.set $k1 (f64.add (local.get $k0) (local.get $h0)))
    (block $done
      (loop $secant
        (br_if $done (i32.eqz (i32.and (i32.lt_s (local.get $step) (i32.const ${MAX_STEPS}))
          (i32.and (f64.gt (local.get $k1) (f64.const 0)) (f64.lt (local.get $k1) ${f64(1e6)})))))
        (call $fixedPoint (local.get $k1))
        (local.set $h1 (f64.sub (global.get $next) (local.get $k1)))
        (if (i32.eqz (f64.gt (f64.abs (local.get $h1)) (f64.mul ${f64(1e-15)} (local.get $k1))))
          (then
            (local.set $ok (f64.eq (local.get $h1) (local.get $h1)))
            (br $done)))
        (local.set $k2 (f64.sub (local.get $k1) (f64.div (f64.mul (local.get $h1) (f64.sub (local.get $k1) (local.get $k0))) (f64.sub (local.get $h1) (local.get $h0)))))
        (local.set $k0 (local.get $k1))
        (local.set $h0 (local.get $h1))
        (local.set $k1 (local.get $k2))
        (local.set $step (i32.add (local.get $step) (i32.const 1)))
        (br $secant)))
    (if (local.get $ok)
      (then
        (call $fixedPoint (local.get $k1))
        (call $peakGain (local.get $k1))
        (local.set $ok (f64.le (global.get $peak)
          (f64.min ${f64(MAX_GAIN)} (f64.sqrt (f64.sqrt (f64.max (f64.max (global.get $gL) (global.get $gM)) (global.get $gH)))))))))
    (if (i32.eqz (local.get $ok))
      (then
        (call $absorption (local.get $m) (local.get $fs) (local.get $tMid) (f64.const ${RT60_MID_HZ}) (local.get $tHigh) (f64.const ${RT60_HIGH_HZ}))
        (global.set $c0 (f64.const 1))
        (global.set $c1 (f64.const 0))
        (global.set $q (f64.const 0))
        (return)))
    (local.set $sk (f64.sqrt (local.get $k1)))
    (local.set $norm (f64.div (f64.const 1) (f64.add (f64.const 1) (f64.div (local.get $t) (local.get $sk)))))
    (global.set $b0 (f64.sqrt (global.get $g2)))
    (global.set $pole (global.get $p))
    (global.set $c0 (f64.mul (f64.add (f64.const 1) (f64.mul (local.get $t) (local.get $sk))) (local.get $norm)))
    (global.set $c1 (f64.mul (f64.sub (f64.mul (local.get $t) (local.get $sk)) (f64.const 1)) (local.get $norm)))
    (global.set $q (f64.mul (f64.sub (f64.const 1) (f64.div (local.get $t) (local.get $sk))) (local.get $norm))))

  ;; present += (target − present)/R per sample: the step of one coefficient array (or, R ≤ 0, the snap)
  (func $ramp (param $present i32) (param $target i32) (param $step i32) (param $lines i32) (param $frames f64) (param $snap i32)
    (local $i i32) (local $a i32)
    (loop $each
      (local.set $a (i32.shl (local.get $i) (i32.const 3)))
      (if (local.get $snap)
        (then
          (f64.store (i32.add (local.get $present) (local.get $a)) (f64.load (i32.add (local.get $target) (local.get $a))))
          (f64.store (i32.add (local.get $step) (local.get $a)) (f64.const 0)))
        (else
          (f64.store (i32.add (local.get $step) (local.get $a)) (f64.div
            (f64.sub (f64.load (i32.add (local.get $target) (local.get $a))) (f64.load (i32.add (local.get $present) (local.get $a))))
            (local.get $frames)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_s (local.get $i) (local.get $lines)))))

  (func (export "design") (param $rampFrames i32) (param $shelved i32)
    (local $lines i32) (local $i i32) (local $fs f64) (local $feedback f64) (local $rt60 f64) (local $high f64) (local $m f64)
    (local $d f64) (local $c i32) (local $snap i32) (local $frames f64)
    (local.set $lines (i32.load (i32.const ${4 * D_LINES})))
    (local.set $fs (f64.load (i32.const ${DESIGN_RATE_BYTE})))
    (local.set $feedback ${value(P_FEEDBACK)})
    (local.set $rt60 ${value(P_RT60)})
    (local.set $high ${value(P_RT60_HIGH)})
    (if ${watIsNaN('(local.get $high)')} (then (local.set $high (local.get $rt60))))
    (loop $line
      (local.set $m (f64.load ${at(D_DELAYS, '(local.get $i)')}))
      (if (local.get $shelved)
        (then
          (call $shelved (local.get $m) (local.get $fs) (local.get $rt60) (local.get $high) ${value(P_RT60_LOW)})
          (f64.store ${at(D_B0_TARGET, '(local.get $i)')} (f64.mul (local.get $feedback) (global.get $b0)))
          (f64.store ${at(D_POLE_TARGET, '(local.get $i)')} (global.get $pole))
          (f64.store ${at(D_SHELF_TARGET, '(local.get $i)')} (global.get $c0))
          (f64.store ${at(D_SHELF_TARGET + 1, '(local.get $i)')} (global.get $c1))
          (f64.store ${at(D_SHELF_TARGET + 2, '(local.get $i)')} (global.get $q)))
        (else (if (i32.load (i32.const ${4 * D_RT60_MODE}))
          (then
            (call $absorption (local.get $m) (local.get $fs) (local.get $rt60) (f64.const ${RT60_MID_HZ}) (local.get $high) (f64.const ${RT60_HIGH_HZ}))
            (f64.store ${at(D_B0_TARGET, '(local.get $i)')} (f64.mul (local.get $feedback) (global.get $b0)))
            (f64.store ${at(D_POLE_TARGET, '(local.get $i)')} (global.get $pole)))
          (else
            (local.set $d (f64.load ${at(D_DAMPING, '(local.get $i)')}))
            (f64.store ${at(D_B0_TARGET, '(local.get $i)')} (f64.mul (local.get $feedback) (f64.sub (f64.const 1) (local.get $d))))
            (f64.store ${at(D_POLE_TARGET, '(local.get $i)')} (local.get $d))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $line (i32.lt_s (local.get $i) (local.get $lines))))
    ;; LineCoefficients.startRamp
    (local.set $snap (i32.le_s (local.get $rampFrames) (i32.const 0)))
    (local.set $frames (f64.convert_i32_s (local.get $rampFrames)))
    (call $ramp ${word(D_B0)} ${word(D_B0_TARGET)} ${word(D_B0_STEP)} (local.get $lines) (local.get $frames) (local.get $snap))
    (call $ramp ${word(D_POLE)} ${word(D_POLE_TARGET)} ${word(D_POLE_STEP)} (local.get $lines) (local.get $frames) (local.get $snap))
    (loop $shelf
      (call $ramp
        (i32.load (i32.add (i32.const ${4 * D_SHELF}) (i32.shl (local.get $c) (i32.const 2))))
        (i32.load (i32.add (i32.const ${4 * D_SHELF_TARGET}) (i32.shl (local.get $c) (i32.const 2))))
        (i32.load (i32.add (i32.const ${4 * D_SHELF_STEP}) (i32.shl (local.get $c) (i32.const 2))))
        (local.get $lines) (local.get $frames) (local.get $snap))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $shelf (i32.lt_s (local.get $c) (i32.const 3)))))
)`;
}

const word = (index: number) => `(i32.load (i32.const ${4 * index}))`;
