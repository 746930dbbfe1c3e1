import { describe, expect, it } from 'vitest';
import {
  PARAM_EVENT_MAX, PARAM_EVENT_MIN, P_DEPTH, P_FEEDBACK, P_PREDELAY, P_PREDELAY_SAMPLES, P_RATE, P_RT60, P_RT60_HIGH, P_RT60_LOW, P_WET,
} from './reverbParamIndex.ts';
import { REVERB_PARAM_NAMES } from './reverbParams.ts';

describe('reverbParamIndex', () => {
  it('indexes every name of REVERB_PARAM_NAMES where that list has it', () => {
    const indices = {
      wetDry: P_WET, feedbackGain: P_FEEDBACK, rt60Seconds: P_RT60, rt60HighSeconds: P_RT60_HIGH, preDelayMs: P_PREDELAY,
      modDepthMs: P_DEPTH, modRateHz: P_RATE, rt60LowSeconds: P_RT60_LOW, preDelaySamples: P_PREDELAY_SAMPLES,
    };
    expect(REVERB_PARAM_NAMES.map((name) => indices[name])).toEqual(REVERB_PARAM_NAMES.map((_, i) => i));
  });

  it('gives every parameter a range with min < max', () => {
    expect(PARAM_EVENT_MIN.length).toBe(REVERB_PARAM_NAMES.length);
    expect(PARAM_EVENT_MAX.length).toBe(REVERB_PARAM_NAMES.length);
    expect(PARAM_EVENT_MIN.every((min, i) => min < PARAM_EVENT_MAX[i])).toBe(true);
  });
});
