import { LN10_OVER_20, exp, pow2 } from '../dsp/portableMath.ts';
import { LOSSY_PARAM_NAMES, LOSSY_PARAM_RANGES, LossyParamIndex, automatableValues, lossyParamsSchema } from './lossyParams.ts';

/** The smoothing time of the lossy chain's level parameters (output gain, limiter ceiling): a linear ramp this long. */
export const LOSSY_RAMP_MS = 10;

/**
 * The lossy chain's automatable parameters as the stages read them, shared by reference between the
 * engine (which writes them) and the stages. Two typed arrays in `paramIndex` order (LOSSY_PARAM_NAMES):
 * - `values`: the present parameter values (bit depth, loss %, gate threshold dB, limiter ceiling dB,
 *   output gain dB), clamped to LOSSY_PARAM_RANGES;
 * - `linear`: what the stages compute with — q = 2^(bitDepth − 1) steps per unit, the loss in percent,
 *   the threshold, ceiling and output gain as linear gains 10^(dB/20) (portableMath: the same bits as
 *   before the split, when the stages converted at every range).
 *
 * Why: the conversions ran once per processed range inside the stages, inlined into the engine's
 * process() until TurboFan's inlining budget ran out; the calls left over (exp, expReduced, exactPow2)
 * boxed their double arguments and results — ~700 bytes a block under parameter changes on the live
 * rig's defaults. Now they run only when a value changes, in `derive`, a small function whose only
 * argument is a small integer (nothing boxed at the call, whether or not V8 inlines it) and inside which
 * the whole conversion fits the budget. The value itself comes in through `values`, never as an argument.
 */
export class LossyControls {
  readonly values = new Float64Array(LOSSY_PARAM_NAMES.length);
  readonly linear = new Float64Array(LOSSY_PARAM_NAMES.length);
  /** The value of the next `set` (a typed array, so no double crosses a call). */
  readonly incoming = new Float64Array(1);
  private readonly lowest = Float64Array.from(LOSSY_PARAM_RANGES, (r) => r[0]);
  private readonly highest = Float64Array.from(LOSSY_PARAM_RANGES, (r) => r[1]);
  /** 2^k for every whole k that bitDepth − 1 floors to (bitDepth ≤ 32). */
  private readonly wholePowersOfTwo = Float64Array.from({ length: LOSSY_PARAM_RANGES[LossyParamIndex.bitDepth][1] }, (_, k) => pow2(k));

  /** The engine's default values with parameter `index` at `value` (for a stage tested on its own). */
  static withValue(index: number, value: number): LossyControls {
    const values = automatableValues(lossyParamsSchema.parse({}));
    values[index] = value;
    const controls = new LossyControls();
    controls.setAll(values);
    return controls;
  }

  /** Every value from `values` (in `paramIndex` order), clamped, and every linear form. Not on the audio path. */
  setAll(values: ArrayLike<number>): void {
    for (let index = 0; index < this.values.length; index++) {
      this.incoming[0] = values[index];
      this.set(index);
    }
  }

  /**
   * Sets parameter `index` to `incoming[0]`, clamped to its range (NaN or a bad index: ignored), and its
   * linear form. Returns 1 when the value was taken, else 0.
   */
  set(index: number): number {
    const v = this.incoming[0];
    if (!(index >= 0 && index < this.values.length) || v !== v) return 0;
    const lo = this.lowest[index];
    const hi = this.highest[index];
    this.values[index] = v < lo ? lo : v > hi ? hi : v;
    this.derive(index);
    return 1;
  }

  /**
   * `linear[index]` from `values[index]`, through ONE call of exp, so that TurboFan inlines the whole
   * conversion (two calls, of dbToGain and pow2, overran its inlining budget and the calls left over
   * boxed their doubles: 4.8 bytes a block, measured). Same bits as before:
   * dbToGain(v) = exp(v·LN10_OVER_20); pow2(x) = exp((x − k)·ln 2)·2^k with k = ⌊x⌋ (pow2's own
   * expression; for a whole x, exp(0) = 1 exactly and 2^x is pow2's exact branch), 2^k from a table.
   */
  private derive(index: number): void {
    const v = this.values[index];
    if (index === LossyParamIndex.lossPercent) {
      this.linear[index] = v;
      return;
    }
    let whole = 0;
    let exponent = 0;
    if (index === LossyParamIndex.bitDepth) {
      const x = v - 1;
      whole = Math.floor(x);
      exponent = (x - whole) * Math.LN2;
    } else exponent = v * LN10_OVER_20;
    const e = exp(exponent);
    this.linear[index] = index === LossyParamIndex.bitDepth ? e * this.wholePowersOfTwo[whole] : e;
  }
}
