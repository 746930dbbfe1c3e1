import { WasmArena } from '../dsp/wasmArena.ts';
import { compileWat, instantiateWasm } from '../dsp/wasmRuntime.ts';
import type { FdnCore } from './fdnCore.ts';
import type { LineCoefficients } from './lineCoefficients.ts';
import {
  D_B0, D_B0_STEP, D_B0_TARGET, D_DAMPING, D_DELAYS, D_LINES, D_POLE, D_POLE_STEP, D_POLE_TARGET, D_RT60_MODE, D_SHELF,
  D_SHELF_STEP, D_SHELF_TARGET, D_VALUES, DESIGN_HEADER_WORDS, DESIGN_RATE_BYTE, DESIGN_RESERVED_BYTES, LINE_DESIGN_IMPORTS,
  type LineDesignExports, lineDesignWat,
} from './lineDesignWat.ts';
import { REVERB_PARAM_NAMES, type ReverbParams } from './reverbParams.ts';

/** Coefficient arrays of LineCoefficients: b0, pole, their targets and steps, shelf, shelfTarget, shelfStep (3 each). */
const COEFFICIENT_ARRAYS = 15;
let module: object | null = null;

/**
 * Designs every line's loop coefficients from the present parameter values and starts the network's
 * ramp to them (lineCoefficients.ts):
 * - RT60 mode: b0_i = f·b_i and p_i from Jot's rule and the two-anchor one-pole (absorptionDesign.ts),
 *   T60(500 Hz) = rt60Seconds, T60(4 kHz) = rt60HighSeconds (NaN: follows rt60Seconds), f = feedbackGain;
 *   with the low shelves on, the three-anchor design (threeAnchorAbsorption.ts) adds T60(250 Hz) =
 *   rt60LowSeconds and the shelf [c0, c1, q].
 * - Manual mode: b0_i = f·(1 − d_i), p_i = d_i with the per-line damping d_i.
 * The arithmetic runs in WebAssembly (lineDesignWat.ts, bit-identical to those JavaScript functions,
 * which stay the reference), so a Param event allocates nothing however rarely it comes: JavaScript
 * run that rarely stays unoptimised, and boxes every double it computes. The kernel works on the
 * coefficient arrays themselves: FdnCore makes them with `alloc` (in this kernel's memory), then `bind`.
 */
export class LineCoefficientDesign {
  private readonly arena: WasmArena;
  private readonly values: Float64Array;
  private readonly lines: number;
  private exports: LineDesignExports | null = null;

  /** Reserves the kernel's memory and writes the fixed inputs (call in prepare(), then FdnCore with `alloc`, then `bind`). */
  constructor(params: ReverbParams, sampleRate: number, delaySamples: readonly number[]) {
    const n = delaySamples.length;
    this.lines = n;
    this.arena = new WasmArena(WasmArena.bytesFor([REVERB_PARAM_NAMES.length, n, n, ...Array<number>(COEFFICIENT_ARRAYS).fill(n)], 8), DESIGN_RESERVED_BYTES);
    this.values = this.arena.f64(REVERB_PARAM_NAMES.length);
    const delays = this.arena.f64(n);
    const damping = this.arena.f64(n);
    const d = params.damping;
    for (let i = 0; i < n; i++) {
      delays[i] = delaySamples[i];
      damping[i] = typeof d === 'number' ? d : d[i];
    }
    const header = new Int32Array(this.arena.memory.buffer, 0, DESIGN_HEADER_WORDS);
    header[D_LINES] = n;
    header[D_RT60_MODE] = params.decayMode === 'rt60' ? 1 : 0;
    header[D_VALUES] = this.values.byteOffset;
    header[D_DELAYS] = delays.byteOffset;
    header[D_DAMPING] = damping.byteOffset;
    new Float64Array(this.arena.memory.buffer, DESIGN_RATE_BYTE, 1)[0] = sampleRate;
  }

  /** Makes one coefficient array in the kernel's memory (FdnCore's `coefficientAlloc`). */
  readonly alloc = (length: number): Float64Array => this.arena.f64(length);

  /** Points the kernel at `coefficients` (made with `alloc`) and instantiates it. */
  bind(coefficients: LineCoefficients): void {
    const c = coefficients;
    const arrays = [c.b0, c.pole, c.b0Target, c.poleTarget, c.b0Step, c.poleStep, ...c.shelf, ...c.shelfTarget, ...c.shelfStep];
    if (arrays.some((a) => a.buffer !== this.arena.memory.buffer || a.length !== this.lines)) {
      throw new Error('LineCoefficientDesign.bind: the coefficients were not made with this design\'s alloc');
    }
    const header = new Int32Array(this.arena.memory.buffer, 0, DESIGN_HEADER_WORDS);
    const words = [D_B0, D_POLE, D_B0_TARGET, D_POLE_TARGET, D_B0_STEP, D_POLE_STEP, D_SHELF, D_SHELF + 1, D_SHELF + 2,
      D_SHELF_TARGET, D_SHELF_TARGET + 1, D_SHELF_TARGET + 2, D_SHELF_STEP, D_SHELF_STEP + 1, D_SHELF_STEP + 2];
    words.forEach((word, k) => {
      header[word] = arrays[k].byteOffset;
    });
    module ??= compileWat('lineDesign.wat', lineDesignWat());
    this.exports = instantiateWasm<LineDesignExports>(module, this.arena.memory, LINE_DESIGN_IMPORTS);
  }

  /**
   * Designs each line's targets from `values` (in `REVERB_PARAM_NAMES` order) and ramps `core` (whose
   * coefficients were bound) to them over `rampFrames`. Moves no double through JavaScript: `values`
   * is copied as a block.
   */
  apply(values: Float64Array, core: FdnCore, rampFrames: number): void {
    this.values.set(values);
    (this.exports as LineDesignExports).design(rampFrames, core.shelved ? 1 : 0);
    core.coefficients.remainingFrames = rampFrames > 0 ? rampFrames : 0;
  }
}
