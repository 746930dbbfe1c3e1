/**
 * The WebAssembly text of the Hadamard FDN's rest kernel (see fdnRestKernel.ts), generated for N lines
 * (a power of two ≥ 4). One sample of the whole reverb per loop iteration, with the same IEEE f64
 * operations in the same order as the JavaScript reference path — stereoPreDelay.ts at rest, then
 * readFilterGroup4/fused16 + the Hadamard stages + lastStagesAndWrite (hadamardKernels.ts), then
 * dryWetMix.ts at rest — so the output is bit-identical to it (WebAssembly has no FMA contraction and
 * no reassociation; f32 loads and stores round exactly as Float32Array does):
 *
 *   a = clean(x_L), b = clean(x_R)                       clean(x) = x if −1e9 < x < 1e9, else 0
 *   pre_L[w] = a, pre_R[w] = b; u = pre_L[w − d], v = pre_R[w − d]
 *   S = g·(u + v), D = g·(u − v)
 *   s_i = (scale·b0_i)·x_i[n − m_i] + p_i·s_i
 *   t = H·s (Sylvester FWHT, stages h = 1, 2, 4, …, N/2, each (a + b, a − b))
 *   x_i[n] = flush(σ_i·(i even ? S : D) + t_i)             flush(x) = x if |x| > 1e-30, else 0
 *   y_L = t_0, y_R = t_{N/4}
 *   out_L = f32(mix(dry·a + wet·y_L)), out_R likewise     mix(v) = v if 1e-30 < |v| < 1e30, else 0
 *
 * Lines are paired in f64x2 lanes as (k, k + N/2): every stage but the last pairs lines within the
 * same lane of two vectors; the last (h = N/2) pairs the two lanes of one vector, done as
 * swap(v) + (v with lane 1 negated) = (b + a, a + (−b)): IEEE addition commutes exactly and a − b is
 * defined as a + (−b), so the bits are those of the scalar (a + b, a − b).
 * Reads and writes use unmasked addresses within runs that cross no ring's end (the loop splits there).
 *
 * Memory (byte addresses, little-endian): the i32 header at 0 (HEADER_WORDS below), the f64 parameter
 * block at PARAMS_BYTE (PARAM_* below), everything else where the header points.
 */

/** i32 header word indices. `H_RING` + i: byte address of ring i; `H_DELAY` + i (after the N rings): m_i. */
export const H_MASK = 0, H_PRE_L = 1, H_PRE_R = 2, H_PRE_MASK = 3, H_IN_L = 4, H_IN_R = 5, H_OUT_L = 6, H_OUT_R = 7, H_STATE = 8, H_RING = 9;
/** Byte address of the f64 parameter block (after a header of at most 9 + 2·32 words). */
export const PARAMS_BYTE = 512;
/** f64 indices in the parameter block; `PARAM_B0` + i, then N poles, then N input signs σ_i. */
export const PARAM_INPUT_GAIN = 0, PARAM_WET = 1, PARAM_DRY = 2, PARAM_SCALE = 3, PARAM_B0 = 4;
/** f64 words of the parameter block for N lines: the scalars, b0, poles and signs (4 + 3N, even), then the kernel's 3N paired copies. */
export const paramWords = (lines: number) => 4 + 3 * lines;
export const paramBlockWords = (lines: number) => paramWords(lines) + 3 * lines;

/** The generated module's export. All arguments are integers (frames and sample positions). */
export interface FdnRestExports {
  /** Renders `frames` samples from in/out index `offset`; `pos`/`prePos` are the rings' write positions, `preDelay` d ≥ 0. */
  render(frames: number, offset: number, pos: number, prePos: number, preDelay: number): void;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** WAT text of the rest kernel for `lines` = N (4, 8, 16 or 32). */
export function fdnRestWat(lines: number): string {
  const n = lines;
  if (!(n >= 4 && n <= 32 && (n & (n - 1)) === 0)) throw new RangeError(`fdnRestWat: N must be 4, 8, 16 or 32, got ${n}`);
  const half = n / 2;
  const vectors = range(half);
  const param = (index: number) => `(f64.load (i32.const ${PARAMS_BYTE + 8 * index}))`;
  // The paired coefficients (b, p, σ of lines k and k + N/2) as vectors after the parameters: loaded
  // where used rather than held in 3·N/2 vector locals, which spill at N = 16.
  const vec = (which: 'b' | 'p' | 'e', k: number) => PARAMS_BYTE + 8 * paramWords(n) + 16 * ('bpe'.indexOf(which) * half + k);
  const coef = (which: 'b' | 'p' | 'e', k: number) => `(v128.load (i32.const ${vec(which, k)}))`;
  const word = (index: number) => `(i32.load (i32.const ${4 * index}))`;
  const lineLocals = range(n).map((i) => `(local $ring${i} i32) (local $m${i} i32) (local $rd${i} i32) (local $wr${i} i32)`).join(' ');
  const vecLocals = vectors.map((k) => `(local $s${k} v128)`).join(' ');
  // Stage locals: $h<h>_<k> holds vector k after the stage of span h (lines k and k + N/2 in its lanes).
  const inLaneSpans: number[] = [];
  for (let h = 1; h < half; h *= 2) inLaneSpans.push(h);
  const stageLocals = inLaneSpans.map((h) => vectors.map((k) => `(local $h${h}_${k} v128)`).join(' ')).join(' ');
  const last = (k: number) => (inLaneSpans.length ? `$h${inLaneSpans[inLaneSpans.length - 1]}_${k}` : `$s${k}`);

  const setup = [
    ...range(n).map((i) => `(local.set $ring${i} ${word(H_RING + i)}) (local.set $m${i} ${word(H_RING + n + i)})`),
    `(local.set $mask ${word(H_MASK)}) (local.set $size (i32.add (local.get $mask) (i32.const 1)))`,
    `(local.set $preMask ${word(H_PRE_MASK)}) (local.set $preSize (i32.add (local.get $preMask) (i32.const 1)))`,
    `(local.set $state ${word(H_STATE)})`,
    `(local.set $g ${param(PARAM_INPUT_GAIN)}) (local.set $wet ${param(PARAM_WET)}) (local.set $dry ${param(PARAM_DRY)})`,
    `(local.set $scale ${param(PARAM_SCALE)})`,
    ...vectors.map((k) => {
      const pair = (a: string, b: string) => `(f64x2.replace_lane 1 (f64x2.splat ${a}) ${b})`;
      const gain = (i: number) => `(f64.mul (local.get $scale) ${param(PARAM_B0 + i)})`;
      return [
        `(v128.store (i32.const ${vec('b', k)}) ${pair(gain(k), gain(k + half))})`,
        `(v128.store (i32.const ${vec('p', k)}) ${pair(param(PARAM_B0 + n + k), param(PARAM_B0 + n + k + half))})`,
        `(v128.store (i32.const ${vec('e', k)}) ${pair(param(PARAM_B0 + 2 * n + k), param(PARAM_B0 + 2 * n + k + half))})`,
        `(local.set $s${k} (v128.load64_lane 1 (i32.add (local.get $state) (i32.const ${8 * (k + half)})) (v128.load64_zero offset=${8 * k} (local.get $state))))`,
      ].join('\n    ');
    }),
  ].join('\n    ');

  // Start of a run: write index w, every read index, and the run length up to the first ring end.
  const shorten = (free: string) => `(if (i32.lt_u ${free} (local.get $run)) (then (local.set $run ${free})))`;
  const runSetup = [
    `(local.set $run (i32.sub (local.get $frames) (local.get $done)))`,
    `(local.set $w (i32.and (i32.add (local.get $pos) (local.get $done)) (local.get $mask)))`,
    shorten(`(i32.sub (local.get $size) (local.get $w))`),
    ...range(n).map((i) => [
      `(local.set $r (i32.and (i32.sub (i32.add (local.get $pos) (local.get $done)) (local.get $m${i})) (local.get $mask)))`,
      shorten(`(i32.sub (local.get $size) (local.get $r))`),
      `(local.set $rd${i} (i32.add (local.get $ring${i}) (i32.shl (local.get $r) (i32.const 3))))`,
      `(local.set $wr${i} (i32.add (local.get $ring${i}) (i32.shl (local.get $w) (i32.const 3))))`,
    ].join('\n      ')),
    `(local.set $r (i32.and (i32.add (local.get $prePos) (local.get $done)) (local.get $preMask)))`,
    shorten(`(i32.sub (local.get $preSize) (local.get $r))`),
    `(local.set $preWL (i32.add ${word(H_PRE_L)} (i32.shl (local.get $r) (i32.const 3))))`,
    `(local.set $preWR (i32.add ${word(H_PRE_R)} (i32.shl (local.get $r) (i32.const 3))))`,
    `(local.set $r (i32.and (i32.sub (i32.add (local.get $prePos) (local.get $done)) (local.get $preDelay)) (local.get $preMask)))`,
    shorten(`(i32.sub (local.get $preSize) (local.get $r))`),
    `(local.set $preRL (i32.add ${word(H_PRE_L)} (i32.shl (local.get $r) (i32.const 3))))`,
    `(local.set $preRR (i32.add ${word(H_PRE_R)} (i32.shl (local.get $r) (i32.const 3))))`,
    `(local.set $io (i32.shl (i32.add (local.get $offset) (local.get $done)) (i32.const 2)))`,
    `(local.set $inL (i32.add ${word(H_IN_L)} (local.get $io))) (local.set $inR (i32.add ${word(H_IN_R)} (local.get $io)))`,
    `(local.set $outL (i32.add ${word(H_OUT_L)} (local.get $io))) (local.set $outR (i32.add ${word(H_OUT_R)} (local.get $io)))`,
    `(local.set $k8 (i32.const 0)) (local.set $k4 (i32.const 0))`,
    `(local.set $end8 (i32.shl (local.get $run) (i32.const 3)))`,
  ].join('\n      ');

  const at = (base: string, step = '$k8') => `(i32.add (local.get ${base}) (local.get ${step}))`;
  const clean = (v: string) => `(select (local.get ${v}) (f64.const 0) (i32.and (f64.gt (local.get ${v}) (f64.const -1e9)) (f64.lt (local.get ${v}) (f64.const 1e9))))`;
  const inputStage = [
    `(local.set $x (f64.promote_f32 (f32.load ${at('$inL', '$k4')})))`,
    `(local.set $y (f64.promote_f32 (f32.load ${at('$inR', '$k4')})))`,
    `(local.set $a ${clean('$x')}) (local.set $bb ${clean('$y')})`,
    `(f64.store ${at('$preWL')} (local.get $a)) (f64.store ${at('$preWR')} (local.get $bb))`,
    `(local.set $u (f64.load ${at('$preRL')})) (local.set $v (f64.load ${at('$preRR')}))`,
    `(local.set $sum (f64.mul (local.get $g) (f64.add (local.get $u) (local.get $v))))`,
    `(local.set $diff (f64.mul (local.get $g) (f64.sub (local.get $u) (local.get $v))))`,
  ];
  const reads = vectors.map((k) =>
    `(local.set $s${k} (f64x2.add (f64x2.mul ${coef('b', k)} (v128.load64_lane 1 ${at(`$rd${k + half}`)} (v128.load64_zero ${at(`$rd${k}`)})))`
    + ` (f64x2.mul ${coef('p', k)} (local.get $s${k}))))`);
  const stages: string[] = [];
  let prev = (k: number) => `$s${k}`;
  for (const h of inLaneSpans) {
    const from = prev;
    for (const k of vectors) {
      const lower = (k & h) === 0;
      const a = lower ? k : k - h;
      const op = lower ? 'f64x2.add' : 'f64x2.sub';
      stages.push(`(local.set $h${h}_${k} (${op} (local.get ${from(a)}) (local.get ${from(a + h)})))`);
    }
    prev = (k: number) => `$h${h}_${k}`;
  }
  // The last stage (h = N/2, across lanes), the input, the flush and the write-back; the taps from lanes 0 of vectors 0 and N/4.
  const negateLane1 = 'v128.const f64x2 0 -0';
  const writes = vectors.flatMap((k) => [
    `(local.set $t (f64x2.add (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get ${last(k)}) (local.get ${last(k)})) (v128.xor (local.get ${last(k)}) (${negateLane1}))))`,
    ...(k === 0 ? ['(local.set $yL (f64x2.extract_lane 0 (local.get $t)))'] : []),
    ...(k === n / 4 ? ['(local.set $yR (f64x2.extract_lane 0 (local.get $t)))'] : []),
    `(local.set $t (f64x2.add (f64x2.mul ${coef('e', k)} (f64x2.splat (local.get ${k % 2 === 0 ? '$sum' : '$diff'}))) (local.get $t)))`,
    `(local.set $t (v128.and (local.get $t) (f64x2.gt (f64x2.abs (local.get $t)) (v128.const f64x2 1e-30 1e-30))))`,
    `(v128.store64_lane 0 ${at(`$wr${k}`)} (local.get $t))`,
    `(v128.store64_lane 1 ${at(`$wr${k + half}`)} (local.get $t))`,
  ]);
  const mixed = (clean: string, y: string) => `(f64.add (f64.mul (local.get $dry) (local.get ${clean})) (f64.mul (local.get $wet) (local.get ${y})))`;
  const flushOut = (v: string) =>
    `(f32.demote_f64 (select (local.get ${v}) (f64.const 0) (i32.and (f64.gt (f64.abs (local.get ${v})) (f64.const 1e-30)) (f64.lt (f64.abs (local.get ${v})) (f64.const 1e30)))))`;
  const outputStage = [
    `(local.set $l ${mixed('$a', '$yL')}) (local.set $rr ${mixed('$bb', '$yR')})`,
    `(f32.store ${at('$outL', '$k4')} ${flushOut('$l')})`,
    `(f32.store ${at('$outR', '$k4')} ${flushOut('$rr')})`,
  ];

  return `(module
  (import "env" "memory" (memory 1))
  (func (export "render") (param $frames i32) (param $offset i32) (param $pos i32) (param $prePos i32) (param $preDelay i32)
    (local $mask i32) (local $size i32) (local $preMask i32) (local $preSize i32) (local $state i32)
    (local $done i32) (local $run i32) (local $w i32) (local $r i32) (local $k8 i32) (local $k4 i32) (local $end8 i32) (local $io i32)
    (local $preWL i32) (local $preWR i32) (local $preRL i32) (local $preRR i32) (local $inL i32) (local $inR i32) (local $outL i32) (local $outR i32)
    (local $g f64) (local $wet f64) (local $dry f64) (local $scale f64)
    (local $x f64) (local $y f64) (local $a f64) (local $bb f64) (local $u f64) (local $v f64) (local $sum f64) (local $diff f64)
    (local $yL f64) (local $yR f64) (local $l f64) (local $rr f64) (local $t v128)
    ${lineLocals}
    ${vecLocals}
    ${stageLocals}
    ${setup}
    (block $exit (loop $runs
      (br_if $exit (i32.ge_u (local.get $done) (local.get $frames)))
      ${runSetup}
      (loop $samples
        ${[...inputStage, ...reads, ...stages, ...writes, ...outputStage].join('\n        ')}
        (local.set $k8 (i32.add (local.get $k8) (i32.const 8)))
        (local.set $k4 (i32.add (local.get $k4) (i32.const 4)))
        (br_if $samples (i32.lt_u (local.get $k8) (local.get $end8))))
      (local.set $done (i32.add (local.get $done) (local.get $run)))
      (br $runs)))
    ${vectors.map((k) => `(v128.store64_lane offset=${8 * k} 0 (local.get $state) (local.get $s${k})) (v128.store64_lane offset=${8 * (k + half)} 1 (local.get $state) (local.get $s${k}))`).join('\n    ')}))
`;
}
