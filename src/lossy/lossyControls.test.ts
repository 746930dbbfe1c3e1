import { describe, expect, it } from 'vitest';
import { dbToGain, pow2 } from '../dsp/portableMath.ts';
import { Prng } from '../dsp/prng.ts';
import { LossyControls } from './lossyControls.ts';
import { LOSSY_PARAM_NAMES, LOSSY_PARAM_RANGES, LossyParamIndex } from './lossyParams.ts';

/** What each stage computed for itself before the controls did it once per change (the reference). */
const REFERENCE: Record<number, (v: number) => number> = {
  [LossyParamIndex.bitDepth]: (v) => pow2(v - 1),
  [LossyParamIndex.lossPercent]: (v) => v,
  [LossyParamIndex.gateThresholdDb]: dbToGain,
  [LossyParamIndex.limiterCeilingDb]: dbToGain,
  [LossyParamIndex.outputGainDb]: dbToGain,
};

describe('LossyControls', () => {
  it('gives each linear form bit for bit as pow2 / dbToGain do, on whole, fractional and seeded values of every range', () => {
    const controls = new LossyControls();
    const rng = new Prng(7);
    for (let index = 0; index < LOSSY_PARAM_NAMES.length; index++) {
      const [lo, hi] = LOSSY_PARAM_RANGES[index];
      const values = [lo, hi, (lo + hi) / 2, Math.ceil(lo + 0.3), ...Array.from({ length: 2000 }, () => lo + rng.nextFloat() * (hi - lo))];
      for (let w = Math.ceil(lo); w <= hi; w++) values.push(w);
      for (const v of values) {
        controls.incoming[0] = v;
        controls.set(index);
        expect(Object.is(controls.linear[index], REFERENCE[index](v)), `${LOSSY_PARAM_NAMES[index]} = ${v}`).toBe(true);
      }
    }
  });

  it('clamps a value to its range and ignores NaN and a bad index', () => {
    const controls = LossyControls.withValue(LossyParamIndex.limiterCeilingDb, -6);
    controls.incoming[0] = 12;
    expect(controls.set(LossyParamIndex.limiterCeilingDb)).toBe(1);
    expect(controls.values[LossyParamIndex.limiterCeilingDb]).toBe(0);
    controls.incoming[0] = Number.NaN;
    expect(controls.set(LossyParamIndex.limiterCeilingDb)).toBe(0);
    expect(controls.set(LOSSY_PARAM_NAMES.length)).toBe(0);
    expect(controls.values[LossyParamIndex.limiterCeilingDb]).toBe(0);
  });
});
