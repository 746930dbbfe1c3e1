import { WasmArena } from '../../dsp/wasmArena.ts';
import { instantiateWasm } from '../../dsp/wasmInstance.ts';
import { kWeighting } from './kWeighting.ts';
import { FLUSH_BELOW } from './subBlockEnergies.ts';

/** Sub-blocks staged per kernel call (100 ms each: 4 800 samples per channel at 48 kHz). */
const SUB_BLOCKS_PER_CALL = 64;

/**
 * addKWeightedSubBlockEnergies for two channels at once in WebAssembly SIMD: lane 0 of every f64x2 is
 * channel a, lane 1 channel b, and each lane runs exactly the scalar recursion of subBlockEnergies.ts
 * (shelf then high-pass, transposed direct form II, the same products and sums in the same order, no
 * FMA), so the sums are the same to the last bit at half the instructions. The coefficients are read
 * from memory (the doubles kWeighting(fs) gives); the filter state lives in memory between calls.
 *
 * Memory contract (byte addresses): `coef` f64x2[9] (b0, b1, b2, a1, a2, c1, c2, −2, FLUSH_BELOW, each in
 * both lanes), `state` f64x2[4] (s1, s2, t1, t2), `lengths` i32[sub-blocks], `sums` f64x2[sub-blocks]
 * (Σz² of each sub-block, lane = channel), then the staged samples of a and of b (float32).
 */
function kWeightingWat(a: Layout): string {
  const c = (i: number): string => `(v128.load offset=${a.coef + 16 * i} (i32.const 0))`;
  const flush = (v: string): string =>
    `(local.set ${v} (v128.andnot (local.get ${v}) (f64x2.lt (f64x2.abs (local.get ${v})) (local.get $flush))))`;
  return `
(module
  (import "env" "memory" (memory 1))

  ;; $count sub-blocks of the staged samples (lengths[k] samples each, channel a at $xa, b at $xb):
  ;; sums[k] ← (Σz² of a, Σz² of b), the state carried from call to call; states below FLUSH_BELOW are
  ;; set to +0 at each sub-block's end (per lane), as the scalar version does.
  (func (export "run") (param $xa i32) (param $xb i32) (param $count i32)
    (local $k i32) (local $i i32) (local $end i32) (local $x v128) (local $y v128) (local $z v128) (local $sum v128)
    (local $s1 v128) (local $s2 v128) (local $t1 v128) (local $t2 v128) (local $flush v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128) (local $c1 v128) (local $c2 v128) (local $m2 v128)
    (local.set $b0 ${c(0)}) (local.set $b1 ${c(1)}) (local.set $b2 ${c(2)}) (local.set $a1 ${c(3)}) (local.set $a2 ${c(4)})
    (local.set $c1 ${c(5)}) (local.set $c2 ${c(6)}) (local.set $m2 ${c(7)}) (local.set $flush ${c(8)})
    (local.set $s1 (v128.load offset=${a.state} (i32.const 0)))
    (local.set $s2 (v128.load offset=${a.state + 16} (i32.const 0)))
    (local.set $t1 (v128.load offset=${a.state + 32} (i32.const 0)))
    (local.set $t2 (v128.load offset=${a.state + 48} (i32.const 0)))
    (block $done (loop $block
      (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
      (local.set $end (i32.add (local.get $i) (i32.shl (i32.load offset=${a.lengths} (i32.shl (local.get $k) (i32.const 2))) (i32.const 2))))
      (local.set $sum (v128.const i32x4 0 0 0 0))
      (block $sdone (loop $sample
        (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $xa) (local.get $i)))))
          (f64.promote_f32 (f32.load (i32.add (local.get $xb) (local.get $i))))))
        ;; y = b0·x + s1; s1 = b1·x − a1·y + s2; s2 = b2·x − a2·y
        (local.set $y (f64x2.add (f64x2.mul (local.get $b0) (local.get $x)) (local.get $s1)))
        (local.set $s1 (f64x2.add (f64x2.sub (f64x2.mul (local.get $b1) (local.get $x)) (f64x2.mul (local.get $a1) (local.get $y))) (local.get $s2)))
        (local.set $s2 (f64x2.sub (f64x2.mul (local.get $b2) (local.get $x)) (f64x2.mul (local.get $a2) (local.get $y))))
        ;; z = y + t1; t1 = −2·y − c1·z + t2; t2 = y − c2·z; sum += z·z
        (local.set $z (f64x2.add (local.get $y) (local.get $t1)))
        (local.set $t1 (f64x2.add (f64x2.sub (f64x2.mul (local.get $m2) (local.get $y)) (f64x2.mul (local.get $c1) (local.get $z))) (local.get $t2)))
        (local.set $t2 (f64x2.sub (local.get $y) (f64x2.mul (local.get $c2) (local.get $z))))
        (local.set $sum (f64x2.add (local.get $sum) (f64x2.mul (local.get $z) (local.get $z))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $sample)))
      (v128.store offset=${a.sums} (i32.shl (local.get $k) (i32.const 4)) (local.get $sum))
      ${flush('$s1')}
      ${flush('$s2')}
      ${flush('$t1')}
      ${flush('$t2')}
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $block)))
    (v128.store offset=${a.state} (i32.const 0) (local.get $s1))
    (v128.store offset=${a.state + 16} (i32.const 0) (local.get $s2))
    (v128.store offset=${a.state + 32} (i32.const 0) (local.get $t1))
    (v128.store offset=${a.state + 48} (i32.const 0) (local.get $t2)))
)`;
}

/** Byte addresses in the kernel's memory: the views KWeightingPair carves, in order, out of a WasmArena. */
interface Layout {
  coef: number;
  state: number;
  lengths: number;
  sums: number;
  bytes: number;
}

function layout(stagedSamples: number): Layout & { samples: number } {
  const { offsets: at, bytes } = WasmArena.offsetsOf([16 * 9, 16 * 4, 4 * SUB_BLOCKS_PER_CALL, 16 * SUB_BLOCKS_PER_CALL, 4 * stagedSamples, 4 * stagedSamples]);
  return { coef: at[0], state: at[1], lengths: at[2], sums: at[3], samples: at[4], bytes };
}

/** The kernel's WebAssembly text (compile it with compileWat, on whichever thread has the compiler, and hand the module to KWeightingPair). */
export function kWeightingPairWat(): string {
  return kWeightingWat(layout(0));
}

interface KWeightingExports {
  run(xa: number, xb: number, count: number): void;
}

/**
 * K-weighted sub-block energies of channel pairs, from the module compiled from kWeightingPairWat().
 * `addEnergiesOfPair` equals addKWeightedSubBlockEnergies(a, …, weightA, energies) followed by
 * (b, …, weightB, energies) to the last bit (kWeightingSimd.test.ts). Allocates only in the constructor
 * (a staging memory sized for the longest run of sub-blocks at `sampleRateHz`).
 */
export class KWeightingPair {
  private readonly exports: KWeightingExports;
  private readonly coef: Float64Array;
  private readonly state: Float64Array;
  private readonly lengths: Int32Array;
  private readonly sums: Float64Array;
  private readonly a: Float32Array;
  private readonly b: Float32Array;

  constructor(module: object, readonly sampleRateHz: number) {
    const staged = SUB_BLOCKS_PER_CALL * (Math.ceil(sampleRateHz / 10) + 1);
    const at = layout(staged);
    const arena = new WasmArena(at.bytes);
    this.coef = arena.f64(18);
    this.state = arena.f64(8);
    const lengths = arena.f32(SUB_BLOCKS_PER_CALL);
    this.lengths = new Int32Array(lengths.buffer, lengths.byteOffset, SUB_BLOCKS_PER_CALL);
    this.sums = arena.f64(2 * SUB_BLOCKS_PER_CALL);
    this.a = arena.f32(staged);
    this.b = arena.f32(staged);
    if (this.sums.byteOffset !== at.sums || this.a.byteOffset !== at.samples) throw new Error('KWeightingPair: memory layout differs from the kernel text');
    const { shelf, highPass } = kWeighting(sampleRateHz);
    [shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2, highPass.a1, highPass.a2, -2, FLUSH_BELOW].forEach((v, i) => this.coef.fill(v, 2 * i, 2 * i + 2));
    this.exports = instantiateWasm<KWeightingExports>(module, arena.memory);
  }

  /** energies[k] += weightA·Σz²(a) then += weightB·Σz²(b) for every sub-block k of `bounds` (a weight 0 adds nothing). */
  addEnergiesOfPair(a: Float32Array, b: Float32Array, bounds: Float64Array, weightA: number, weightB: number, energies: Float64Array): void {
    this.state.fill(0);
    const count = bounds.length - 1;
    for (let k0 = 0; k0 < count; k0 += SUB_BLOCKS_PER_CALL) {
      const k1 = Math.min(count, k0 + SUB_BLOCKS_PER_CALL);
      const from = bounds[k0], to = bounds[k1];
      for (let k = k0; k < k1; k++) this.lengths[k - k0] = bounds[k + 1] - bounds[k];
      this.a.set(a.subarray(from, to));
      this.b.set(b.subarray(from, to));
      this.exports.run(this.a.byteOffset, this.b.byteOffset, k1 - k0);
      for (let k = k0; k < k1; k++) {
        if (weightA !== 0) energies[k] += weightA * this.sums[2 * (k - k0)];
        if (weightB !== 0) energies[k] += weightB * this.sums[2 * (k - k0) + 1];
      }
    }
  }
}
