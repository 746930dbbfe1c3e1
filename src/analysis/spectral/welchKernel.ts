import { WasmArena } from '../../dsp/wasmArena.ts';
import { instantiateWasm } from '../../dsp/wasmInstance.ts';
import { fftJsOfSize } from '../latency/fft.ts';

/**
 * The inner loop of powerSpectrum (Welch) in WebAssembly SIMD, two frames at a time: lane 0 of every
 * f64x2 holds one frame, lane 1 the next, and each lane goes through exactly the scalar operations of
 * powerSpectrum.ts — the Hann window product, fft.js's radix-4 `realTransform` (Fedor Indutny's
 * `_realTransform4` with its `_singleRealTransform4`/`2` first stage, inv = +1, its own twiddle table
 * and bit-reversal copied from an fft.js instance), then P[k] += re² + im² for lane 0, then for lane 1.
 * WebAssembly f64 arithmetic is IEEE binary64 with no contraction (no FMA, no relaxed SIMD) and the
 * per-bin sums run in frame order, so the spectrum is the same to the last bit as the JavaScript one
 * (powerSpectrumSimd.test.ts compares the bits). ×1 and −1× of fft.js's `inv` are exact and are left out.
 *
 * Memory contract (byte addresses): `table` f64[2N] (fft.js twiddles: cos, −sin of π·i/N, i even),
 * `window` f64[N], `data` f64x2[N] (windowed frames, lane = frame), `out` f64x2[2N] (complex
 * interleaved, lane = frame), `power` f64[N/2 + 1] (running sums), `bitrev` i32[2^width] (fft.js
 * `_bitrev[t] >>> 1`, the first stage's input index), `input` f32 samples staged by the caller.
 */
function welchWatOf(N: number, width: number, a: Layout): string {
  const size = 2 * N; // fft.js _csize: f64 slots of the complex output
  const firstStep = 1 << width;
  const firstLen = (size / firstStep) << 1;
  const half = N / 2;
  const o = (idx: string): string => `(i32.add (i32.const ${a.out}) (i32.shl ${idx} (i32.const 4)))`;
  const d = (idx: string): string => `(i32.add (i32.const ${a.data}) (i32.shl ${idx} (i32.const 4)))`;
  // The first stage's inputs: data entry idx (windowed frames), or windowed on the fly from the staged frames at $xa and $xb.
  const fromData = (idx: string): string => `(v128.load ${d(idx)})`;
  const fromFrames = (idx: string): string =>
    `(f64x2.mul (f64x2.replace_lane 1 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $xa) (i32.shl ${idx} (i32.const 2)))))) (f64.promote_f32 (f32.load (i32.add (local.get $xb) (i32.shl ${idx} (i32.const 2)))))) (v128.load64_splat (i32.add (i32.const ${a.window}) (i32.shl ${idx} (i32.const 3)))))`;
  const firstOf = (load: (idx: string) => string): string =>
    firstLen === 8
      ? `
        (local.set $ar ${load('(local.get $off)')})
        (local.set $br ${load(`(i32.add (local.get $off) (i32.const ${firstStep >>> 1}))`)})
        (local.set $cr ${load(`(i32.add (local.get $off) (i32.const ${2 * (firstStep >>> 1)}))`)})
        (local.set $dr ${load(`(i32.add (local.get $off) (i32.const ${3 * (firstStep >>> 1)}))`)})
        (local.set $t0r (f64x2.add (local.get $ar) (local.get $cr)))
        (local.set $t1r (f64x2.sub (local.get $ar) (local.get $cr)))
        (local.set $t2r (f64x2.add (local.get $br) (local.get $dr)))
        (local.set $t3r (f64x2.sub (local.get $br) (local.get $dr)))
        (local.set $p ${o('(local.get $outOff)')})
        (v128.store offset=0 (local.get $p) (f64x2.add (local.get $t0r) (local.get $t2r)))
        (v128.store offset=16 (local.get $p) (local.get $zero))
        (v128.store offset=32 (local.get $p) (local.get $t1r))
        (v128.store offset=48 (local.get $p) (f64x2.neg (local.get $t3r)))
        (v128.store offset=64 (local.get $p) (f64x2.sub (local.get $t0r) (local.get $t2r)))
        (v128.store offset=80 (local.get $p) (local.get $zero))
        (v128.store offset=96 (local.get $p) (local.get $t1r))
        (v128.store offset=112 (local.get $p) (local.get $t3r))`
      : `
        (local.set $ar ${load('(local.get $off)')})
        (local.set $br ${load(`(i32.add (local.get $off) (i32.const ${firstStep >>> 1}))`)})
        (local.set $p ${o('(local.get $outOff)')})
        (v128.store offset=0 (local.get $p) (f64x2.add (local.get $ar) (local.get $br)))
        (v128.store offset=16 (local.get $p) (local.get $zero))
        (v128.store offset=32 (local.get $p) (f64x2.sub (local.get $ar) (local.get $br)))
        (v128.store offset=48 (local.get $p) (local.get $zero))`;
  const firstLoop = (load: (idx: string) => string): string => `
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $outOff) (i32.const ${size})))
        (local.set $off (i32.load (i32.add (i32.const ${a.bitrev}) (i32.shl (local.get $t) (i32.const 2)))))${firstOf(load)}
        (local.set $outOff (i32.add (local.get $outOff) (i32.const ${firstLen})))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next)))`;
  const twiddled = (re: string, im: string, tr: string, ti: string, mr: string, mi: string): string => `
          (local.set ${mr} (f64x2.sub (f64x2.mul (local.get ${re}) (local.get ${tr})) (f64x2.mul (local.get ${im}) (local.get ${ti}))))
          (local.set ${mi} (f64x2.add (f64x2.mul (local.get ${re}) (local.get ${ti})) (f64x2.mul (local.get ${im}) (local.get ${tr}))))`;
  return `
(module
  (import "env" "memory" (memory 1))

  ;; data lane $lane (0 or 1) ← the N float32 samples at $x times the window, each product in f64.
  (func (export "window") (param $lane i32) (param $x i32)
    (local $i i32) (local $dst i32)
    (local.set $dst (i32.add (i32.const ${a.data}) (i32.shl (local.get $lane) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const ${N})))
      (f64.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 4)))
        (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
                 (f64.load (i32.add (i32.const ${a.window}) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))

  ;; fft.js _realTransform4 of both lanes of data into out, then power[k] += |out_k|² of lane 0, and of
  ;; lane 1 when $lanes is 2. With $xa ≠ 0 the frames are windowed as the first stage reads them, from
  ;; the staged samples at $xa (lane 0) and $xb (lane 1), each f64(x)·w[i] as "window" computes it.
  (func (export "transform") (param $lanes i32) (param $xa i32) (param $xb i32)
    (local $outOff i32) (local $t i32) (local $off i32) (local $p i32) (local $zero v128)
    (local $step i32) (local $len i32) (local $halfLen i32) (local $quarterLen i32) (local $hq i32)
    (local $i i32) (local $k i32) (local $A i32) (local $B i32) (local $C i32) (local $D i32)
    (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128) (local $cr v128) (local $ci v128) (local $dr v128) (local $di v128)
    (local $mbr v128) (local $mbi v128) (local $mcr v128) (local $mci v128) (local $mdr v128) (local $mdi v128)
    (local $t0r v128) (local $t0i v128) (local $t1r v128) (local $t1i v128) (local $t2r v128) (local $t2i v128) (local $t3r v128) (local $t3i v128)
    (local $tr v128) (local $ti v128) (local $v v128) (local $acc f64) (local $pw i32)
    ;; first stage: ${firstLen === 8 ? 'radix-4 (_singleRealTransform4)' : 'radix-2 (_singleRealTransform2)'} on bit-reversed inputs
    (if (i32.eqz (local.get $xa))
      (then${firstLoop(fromData)})
      (else${firstLoop(fromFrames)}))
    ;; radix-4 stages
    (local.set $step (i32.shr_u (i32.const ${firstStep}) (i32.const 2)))
    (block $stagesDone (loop $stage
      (br_if $stagesDone (i32.lt_u (local.get $step) (i32.const 2)))
      (local.set $len (i32.shl (i32.div_u (i32.const ${size}) (local.get $step)) (i32.const 1)))
      (local.set $halfLen (i32.shr_u (local.get $len) (i32.const 1)))
      (local.set $quarterLen (i32.shr_u (local.get $halfLen) (i32.const 1)))
      (local.set $hq (i32.shr_u (local.get $quarterLen) (i32.const 1)))
      (local.set $outOff (i32.const 0))
      (block $groupsDone (loop $group
        (br_if $groupsDone (i32.ge_u (local.get $outOff) (i32.const ${size})))
        (local.set $i (i32.const 0))
        (local.set $k (i32.const 0))
        (block $bflyDone (loop $bfly
          (br_if $bflyDone (i32.gt_u (local.get $i) (local.get $hq)))
          (local.set $A ${o('(i32.add (local.get $outOff) (local.get $i))')})
          (local.set $B (i32.add (local.get $A) (i32.shl (local.get $quarterLen) (i32.const 4))))
          (local.set $C (i32.add (local.get $B) (i32.shl (local.get $quarterLen) (i32.const 4))))
          (local.set $D (i32.add (local.get $C) (i32.shl (local.get $quarterLen) (i32.const 4))))
          (local.set $ar (v128.load (local.get $A)))
          (local.set $ai (v128.load offset=16 (local.get $A)))
          (local.set $br (v128.load (local.get $B)))
          (local.set $bi (v128.load offset=16 (local.get $B)))
          (local.set $cr (v128.load (local.get $C)))
          (local.set $ci (v128.load offset=16 (local.get $C)))
          (local.set $dr (v128.load (local.get $D)))
          (local.set $di (v128.load offset=16 (local.get $D)))
          (local.set $p (i32.add (i32.const ${a.table}) (i32.shl (local.get $k) (i32.const 3))))
          (local.set $tr (v128.load64_splat offset=0 (local.get $p)))
          (local.set $ti (v128.load64_splat offset=8 (local.get $p)))${twiddled('$br', '$bi', '$tr', '$ti', '$mbr', '$mbi')}
          (local.set $p (i32.add (i32.const ${a.table}) (i32.shl (local.get $k) (i32.const 4))))
          (local.set $tr (v128.load64_splat offset=0 (local.get $p)))
          (local.set $ti (v128.load64_splat offset=8 (local.get $p)))${twiddled('$cr', '$ci', '$tr', '$ti', '$mcr', '$mci')}
          (local.set $p (i32.add (i32.const ${a.table}) (i32.mul (local.get $k) (i32.const 24))))
          (local.set $tr (v128.load64_splat offset=0 (local.get $p)))
          (local.set $ti (v128.load64_splat offset=8 (local.get $p)))${twiddled('$dr', '$di', '$tr', '$ti', '$mdr', '$mdi')}
          (local.set $t0r (f64x2.add (local.get $ar) (local.get $mcr)))
          (local.set $t0i (f64x2.add (local.get $ai) (local.get $mci)))
          (local.set $t1r (f64x2.sub (local.get $ar) (local.get $mcr)))
          (local.set $t1i (f64x2.sub (local.get $ai) (local.get $mci)))
          (local.set $t2r (f64x2.add (local.get $mbr) (local.get $mdr)))
          (local.set $t2i (f64x2.add (local.get $mbi) (local.get $mdi)))
          (local.set $t3r (f64x2.sub (local.get $mbr) (local.get $mdr)))
          (local.set $t3i (f64x2.sub (local.get $mbi) (local.get $mdi)))
          (v128.store offset=0 (local.get $A) (f64x2.add (local.get $t0r) (local.get $t2r)))
          (v128.store offset=16 (local.get $A) (f64x2.add (local.get $t0i) (local.get $t2i)))
          (v128.store offset=0 (local.get $B) (f64x2.add (local.get $t1r) (local.get $t3i)))
          (v128.store offset=16 (local.get $B) (f64x2.sub (local.get $t1i) (local.get $t3r)))
          (if (i32.eqz (local.get $i))
            (then
              (v128.store offset=0 (local.get $C) (f64x2.sub (local.get $t0r) (local.get $t2r)))
              (v128.store offset=16 (local.get $C) (f64x2.sub (local.get $t0i) (local.get $t2i))))
            (else (if (i32.ne (local.get $i) (local.get $hq)) (then
              ;; the mirrored outputs: SFA = (T1r + −T3i, −T1i + −T3r), SFB = (T0r + −T2r, −T0i − −T2i)
              (local.set $p ${o('(i32.sub (i32.add (local.get $outOff) (local.get $quarterLen)) (local.get $i))')})
              (v128.store offset=0 (local.get $p) (f64x2.add (local.get $t1r) (f64x2.neg (local.get $t3i))))
              (v128.store offset=16 (local.get $p) (f64x2.add (f64x2.neg (local.get $t1i)) (f64x2.neg (local.get $t3r))))
              (local.set $p ${o('(i32.sub (i32.add (local.get $outOff) (local.get $halfLen)) (local.get $i))')})
              (v128.store offset=0 (local.get $p) (f64x2.add (local.get $t0r) (f64x2.neg (local.get $t2r))))
              (v128.store offset=16 (local.get $p) (f64x2.sub (f64x2.neg (local.get $t0i)) (f64x2.neg (local.get $t2i))))))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (local.set $k (i32.add (local.get $k) (local.get $step)))
          (br $bfly)))
        (local.set $outOff (i32.add (local.get $outOff) (local.get $len)))
        (br $group)))
      (local.set $step (i32.shr_u (local.get $step) (i32.const 2)))
      (br $stage)))
    ;; power[k] += re² + im², lane 0 then lane 1 (frame order); with both lanes two bins at a time
    (local.set $k (i32.const 0))
    (if (i32.eq (local.get $lanes) (i32.const 2)) (then
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (i32.add (local.get $k) (i32.const 1)) (i32.const ${half + 1})))
        (local.set $p ${o('(i32.shl (local.get $k) (i32.const 1))')})
        (local.set $ar (v128.load offset=0 (local.get $p)))
        (local.set $ai (v128.load offset=16 (local.get $p)))
        (local.set $v (f64x2.add (f64x2.mul (local.get $ar) (local.get $ar)) (f64x2.mul (local.get $ai) (local.get $ai))))
        (local.set $ar (v128.load offset=32 (local.get $p)))
        (local.set $ai (v128.load offset=48 (local.get $p)))
        (local.set $tr (f64x2.add (f64x2.mul (local.get $ar) (local.get $ar)) (f64x2.mul (local.get $ai) (local.get $ai))))
        (local.set $pw (i32.add (i32.const ${a.power}) (i32.shl (local.get $k) (i32.const 3))))
        (v128.store (local.get $pw) (f64x2.add
          (f64x2.add (v128.load (local.get $pw)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v) (local.get $tr)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v) (local.get $tr))))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $pairs)))))
    (block $powDone (loop $pow
      (br_if $powDone (i32.gt_u (local.get $k) (i32.const ${half})))
      (local.set $p ${o('(i32.shl (local.get $k) (i32.const 1))')})
      (local.set $ar (v128.load offset=0 (local.get $p)))
      (local.set $ai (v128.load offset=16 (local.get $p)))
      (local.set $v (f64x2.add (f64x2.mul (local.get $ar) (local.get $ar)) (f64x2.mul (local.get $ai) (local.get $ai))))
      (local.set $pw (i32.add (i32.const ${a.power}) (i32.shl (local.get $k) (i32.const 3))))
      (local.set $acc (f64.add (f64.load (local.get $pw)) (f64x2.extract_lane 0 (local.get $v))))
      (if (i32.eq (local.get $lanes) (i32.const 2))
        (then (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 1 (local.get $v))))))
      (f64.store (local.get $pw) (local.get $acc))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $pow))))
)`;
}

/** Byte addresses of the kernel's arrays in its memory. */
interface Layout {
  table: number;
  window: number;
  data: number;
  out: number;
  power: number;
  bitrev: number;
}

interface WelchExports {
  window(lane: number, x: number): void;
  /** xa = 0: the frames in data; else windowed from the staged frames at xa and xb as it reads them. */
  transform(lanes: number, xa: number, xb: number): void;
}

interface FftJsInternals {
  table: number[];
  _bitrev: number[];
  _width: number;
}

/** The arrays' byte addresses for N: table, window, data, out, power (f64), then bitrev (i32) and the input (f32), each 16-byte aligned. */
function layoutOf(N: number, bitrevLength: number): Layout & { input: number } {
  const { offsets: at, bytes } = WasmArena.offsetsOf([16 * N, 8 * N, 16 * N, 32 * N, 8 * (N / 2 + 1), 4 * bitrevLength]);
  return { table: at[0], window: at[1], data: at[2], out: at[3], power: at[4], bitrev: at[5], input: bytes };
}

/** The kernel's WebAssembly text for N-point frames (compile it with compileWat and hand the module to WelchKernel). */
export function welchWat(N: number): string {
  const fft = fftJsOfSize(N) as unknown as FftJsInternals;
  return welchWatOf(N, fft._width, layoutOf(N, fft._bitrev.length));
}

/**
 * Welch sums of N-point Hann frames (powerSpectrum's inner loop), two frames per kernel call. Feed frames
 * in the order powerSpectrum visits them with `addFrame`, call `releaseInput` before overwriting
 * `input`, and `finish` for the per-bin sums Σ|X_m[k]|² (before powerSpectrum's scaling). Allocates only
 * in the constructor.
 */
export class WelchKernel {
  /** Staging area: float32 samples the frames are read from (`addFrame` offsets index it). */
  readonly input: Float32Array;
  private readonly exports: WelchExports;
  private readonly power: Float64Array;
  /** 'none', 'staged' (a frame's address kept, still in `input`), or 'windowed' (already in data lane 0). */
  private pending: 'none' | 'staged' | 'windowed' = 'none';
  private pendingAddress = 0;

  /** `N` a power of two ≥ 16; `inputSamples` the size of the staging area (≥ N); `module` compiled from welchWat(N). */
  constructor(readonly N: number, window: Float64Array, inputSamples: number, module: object) {
    const fft = fftJsOfSize(N) as unknown as FftJsInternals;
    const half = N / 2;
    const bitrevLength = fft._bitrev.length;
    const arena = new WasmArena(WasmArena.bytesFor([2 * N, N, 2 * N, 4 * N, half + 1], 8) + WasmArena.bytesFor([bitrevLength, inputSamples], 4));
    const table = arena.f64(2 * N);
    const windowView = arena.f64(N);
    arena.f64(2 * N); // data: the kernel's own (windowed frames)
    arena.f64(4 * N); // out: the kernel's own (spectra)
    this.power = arena.f64(half + 1);
    const bitrevView = arena.f32(bitrevLength);
    const bitrev = new Int32Array(bitrevView.buffer, bitrevView.byteOffset, bitrevLength);
    this.input = arena.f32(inputSamples);
    table.set(fft.table);
    windowView.set(window);
    for (let t = 0; t < bitrevLength; t++) bitrev[t] = fft._bitrev[t] >>> 1;
    if (this.input.byteOffset !== layoutOf(N, bitrevLength).input) throw new Error('WelchKernel: memory layout differs from the kernel text');
    this.exports = instantiateWasm<WelchExports>(module, arena.memory);
  }

  /** Adds the frame of N samples starting at input[start] (frames in powerSpectrum's order). */
  addFrame(start: number): void {
    const address = this.input.byteOffset + 4 * start;
    if (this.pending === 'none') {
      this.pendingAddress = address;
      this.pending = 'staged';
      return;
    }
    if (this.pending === 'staged') this.exports.transform(2, this.pendingAddress, address);
    else {
      this.exports.window(1, address);
      this.exports.transform(2, 0, 0);
    }
    this.pending = 'none';
  }

  /** Call before overwriting `input`: a frame still waiting for its partner is windowed now. */
  releaseInput(): void {
    if (this.pending !== 'staged') return;
    this.exports.window(0, this.pendingAddress);
    this.pending = 'windowed';
  }

  /** Per-bin sums of |X|² over every frame added; the lone last frame of an odd count is transformed here. */
  finish(): Float64Array {
    this.releaseInput();
    if (this.pending === 'windowed') this.exports.transform(1, 0, 0);
    this.pending = 'none';
    return Float64Array.from(this.power);
  }
}
