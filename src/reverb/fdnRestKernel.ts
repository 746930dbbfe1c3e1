import { WasmArena } from '../dsp/wasmArena.ts';
import { compileWat, instantiateWasm } from '../dsp/wasmRuntime.ts';
import { FdnCore } from './fdnCore.ts';
import {
  type FdnRestExports, H_IN_L, H_IN_R, H_MASK, H_OUT_L, H_OUT_R, H_PRE_L, H_PRE_MASK, H_PRE_R, H_RING, H_STATE,
  PARAMS_BYTE, PARAM_B0, paramBlockWords, PARAM_DRY, PARAM_INPUT_GAIN, PARAM_SCALE, PARAM_WET, fdnRestWat,
} from './fdnRestWat.ts';
import { R_MIX, R_PRE_DELAY, type ReverbSmoothing, S_DRY, S_PRE_DELAY, S_WET } from './reverbSmoothing.ts';
import { StereoPreDelay } from './stereoPreDelay.ts';

/** One compiled module per line count, compiled on first use (in a prepare()). */
const modules = new Map<number, object>();
const CACHE_LINE_DOUBLES = 8;

/**
 * The whole reverb at rest, in WebAssembly: for a Hadamard network of N = 4…32 lines while nothing
 * ramps (pre-delay, mix and loop coefficients at rest, no modulation, no low shelves), one pass per
 * sample through the pre-delay, the network and the dry/wet mix (fdnRestWat.ts: f64x2 lanes, the same
 * operations in the same order as the JavaScript path, so the output is bit-identical to it and every
 * golden stays as it is). Everything else — every ramp, modulation, shelves, other matrices — runs the
 * JavaScript kernels, which stay the reference.
 *
 * It owns the engine's WebAssembly memory: the network's rings and one-pole states and the pre-delay's
 * rings are views of it (`alloc`), shared with the JavaScript path, as are the input and output blocks
 * (`inL/inR/outL/outR`, one block each) that FdnReverb copies the host's buffers into and out of.
 * Measured (48 kHz stereo, CPU time, medians of interleaved runs on this 2-core machine at load 21):
 * `npm run bench -- fdn8_stereo fdn16_stereo` 1425× / 669× real time; Faust's re.fdnrev0 on the same
 * lines (`node scripts/bench-peers.mjs`) 648× / 297× with g++ -O3, 1054× / 368× with -march=native.
 */
export class FdnRestKernel {
  readonly inL: Float32Array;
  readonly inR: Float32Array;
  readonly outL: Float32Array;
  readonly outR: Float32Array;
  private readonly arena: WasmArena;
  private readonly params: Float64Array;
  private readonly lines: number;
  private exports: FdnRestExports | null = null;

  /** True for the networks this kernel renders: Hadamard with a power of two 4…32 of lines. */
  static supports(lines: number, matrix: string): boolean {
    return matrix === 'hadamard' && lines >= 4 && lines <= 32 && (lines & (lines - 1)) === 0;
  }

  /** Reserves the memory for a network of these line lengths at this rate (call in prepare(), then `alloc`, then `bind`). */
  constructor(delaySamples: readonly number[], sampleRate: number, maxBlockFrames: number) {
    const n = delaySamples.length;
    this.lines = n;
    const ring = FdnCore.ringFrames(delaySamples);
    const pre = StereoPreDelay.ringFrames(sampleRate);
    const block = Math.max(1, maxBlockFrames);
    const shared = [...delaySamples.map(() => ring), n, pre, pre];
    const bytes = WasmArena.bytesFor([...shared, ...shared.map(() => CACHE_LINE_DOUBLES), paramBlockWords(n)], 8) + WasmArena.bytesFor([block, block, block, block], 4);
    this.arena = new WasmArena(bytes, PARAMS_BYTE);
    this.params = this.arena.f64(paramBlockWords(n)); // first after the reserved header: at PARAMS_BYTE
    this.inL = this.arena.f32(block);
    this.inR = this.arena.f32(block);
    this.outL = this.arena.f32(block);
    this.outR = this.arena.f32(block);
  }

  /**
   * Makes one Float64Array in the kernel's memory (for FdnCore's and StereoPreDelay's `alloc`), followed
   * by a gap of one cache line: the rings are powers of two long and all written at the same index, so
   * back to back every write of a sample would fall in the same L1 cache set (16 lines in an 8-way set).
   */
  readonly alloc = (length: number): Float64Array => {
    const view = this.arena.f64(length);
    this.arena.f64(CACHE_LINE_DOUBLES);
    return view;
  };

  /** Writes the addresses of the core's and pre-delay's arrays into the header and instantiates the kernel. */
  bind(core: FdnCore, pre: StereoPreDelay): void {
    const n = this.lines;
    const header = new Int32Array(this.arena.memory.buffer, 0, H_RING + 2 * n);
    header[H_MASK] = core.mask;
    header[H_PRE_L] = pre.left.byteOffset;
    header[H_PRE_R] = pre.right.byteOffset;
    header[H_PRE_MASK] = pre.mask;
    header[H_IN_L] = this.inL.byteOffset;
    header[H_IN_R] = this.inR.byteOffset;
    header[H_OUT_L] = this.outL.byteOffset;
    header[H_OUT_R] = this.outR.byteOffset;
    header[H_STATE] = core.filterState.byteOffset;
    for (let i = 0; i < n; i++) {
      if (core.rings[i].buffer !== this.arena.memory.buffer) throw new Error('FdnRestKernel.bind: the core was not allocated in the kernel memory');
      header[H_RING + i] = core.rings[i].byteOffset;
      header[H_RING + n + i] = core.delaySamples[i];
    }
    this.params.set(core.inSign, PARAM_B0 + 2 * n);
    this.exports = instantiateWasm<FdnRestExports>(FdnRestKernel.module(n), this.arena.memory);
  }

  /**
   * The compiled kernel for `lines` lines, compiled on first use (2–10 ms: the text format parsed, then
   * compiled). A worker host compiles every line count before its stream starts (precompile), so that a
   * structural change's build on its render thread never waits for it.
   */
  static module(lines: number): object {
    let module = modules.get(lines);
    if (module === undefined) {
      module = compileWat(`fdnRest${lines}.wat`, fdnRestWat(lines));
      modules.set(lines, module);
    }
    return module;
  }

  /** Compiles the kernel of every line count it supports (4, 8, 16, 32) in this thread. */
  static precompile(): void {
    for (let lines = 4; lines <= 32; lines *= 2) FdnRestKernel.module(lines);
  }

  /** True when the network, the pre-delay and the mix are all at rest (the kernel may render). */
  covers(core: FdnCore, smoothing: ReverbSmoothing): boolean {
    return smoothing.remaining[R_PRE_DELAY] === 0 && smoothing.remaining[R_MIX] === 0 && core.atRest();
  }

  /** Renders `frames` samples from block index `offset` (inL/inR → outL/outR) and moves the rings on. */
  render(core: FdnCore, pre: StereoPreDelay, smoothing: ReverbSmoothing, offset: number, frames: number): void {
    const p = this.params;
    const c = core.coefficients;
    const n = this.lines;
    p[PARAM_INPUT_GAIN] = pre.inputGain;
    p[PARAM_WET] = smoothing.values[S_WET];
    p[PARAM_DRY] = smoothing.values[S_DRY];
    p[PARAM_SCALE] = core.scale[0];
    p.set(c.b0, PARAM_B0);
    p.set(c.pole, PARAM_B0 + n);
    (this.exports as FdnRestExports).render(frames, offset, core.pos, pre.pos, smoothing.values[S_PRE_DELAY]);
    core.advance(frames);
    pre.pos = (pre.pos + frames) & pre.mask;
  }

  /** Copies `frames` of the host's input into inL/inR (one memcpy when the buffer fits the block). */
  copyIn(xL: Float32Array, xR: Float32Array, frames: number): void {
    copyInto(this.inL, xL, frames);
    copyInto(this.inR, xR, frames);
  }

  /** Copies `frames` of outL/outR into the host's outputs. */
  copyOut(oL: Float32Array, oR: Float32Array, frames: number): void {
    if (frames === this.outL.length && oL.length >= frames && oR.length >= frames) {
      oL.set(this.outL);
      oR.set(this.outR);
      return;
    }
    for (let i = 0; i < frames; i++) {
      oL[i] = this.outL[i];
      oR[i] = this.outR[i];
    }
  }
}

function copyInto(dst: Float32Array, src: Float32Array, frames: number): void {
  if (src.length <= dst.length) dst.set(src);
  else for (let i = 0; i < frames; i++) dst[i] = src[i];
}
