import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at } from '../../src/engine/events.ts';
import { render } from '../../src/engine/render.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';
import { REVERB_PARAM_NAMES, type ReverbParamName, type ReverbParamsInput } from '../../src/reverb/reverbParams.ts';

const SAMPLE_RATE = 48000;
const EVENT_FRAME = 9600;
const FRAMES = 19200;
const RAMP_FRAMES = 480; // the default 10 ms
/** During a ramp no sample-to-sample step may exceed this multiple of the steady steps around it (+1e-3). */
const STEP_RATIO_LIMIT = 1.6;

/** Jumps a listener would make; pre-delay and depth jumps are kept small (a 10 ms glide over them bends pitch by ≤ 30 %). */
const jumps: Record<ReverbParamName, [number, number]> = {
  wetDry: [0, 1], feedbackGain: [0.5, 1], rt60Seconds: [0.2, 10], rt60HighSeconds: [0.2, 10],
  preDelayMs: [0, 3], modDepthMs: [0, 1], modRateHz: [0, 10],
  // A low target switches the lines to the shelved second-order section mid-stream (b1, a2 ramp from 0).
  rt60LowSeconds: [0.8, 2.4], preDelaySamples: [0, 144],
};

const BASE: Partial<ReverbParamsInput> = { lines: 8, rt60Seconds: 1.5, wetDry: 0.5, preDelayMs: 1, modDepthMs: 0.2 };

function stepsAroundJump(params: Partial<ReverbParamsInput>, name: ReverbParamName, value: number) {
  const sine = Float32Array.from({ length: FRAMES }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / SAMPLE_RATE));
  const out = render(new FdnReverb(params), {
    sampleRate: SAMPLE_RATE, blockFrames: 128, frames: FRAMES, input: [sine, sine],
    events: [at.param(EVENT_FRAME, REVERB_PARAM_NAMES.indexOf(name), value)],
  });
  const maxStep = (from: number, to: number) => {
    let m = 0;
    for (const ch of out) for (let i = from; i < to; i++) m = Math.max(m, Math.abs(ch[i] - ch[i - 1]));
    return m;
  };
  const during = maxStep(EVENT_FRAME, EVENT_FRAME + RAMP_FRAMES + 96);
  const steady = Math.max(maxStep(EVENT_FRAME - 2400, EVENT_FRAME), maxStep(EVENT_FRAME + RAMP_FRAMES + 960, EVENT_FRAME + RAMP_FRAMES + 3360));
  return { during, steady };
}

describe('parameter smoothing', () => {
  it('no parameter jump makes a sample-to-sample step above 1.6 × the steady steps around it (sine input, 10 ms ramps)', () => {
    const names = Object.keys(jumps) as ReverbParamName[];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.double({ min: 0, max: 1, noNaN: true }), (name, u) => {
        const [lo, hi] = jumps[name];
        const value = lo + u * (hi - lo);
        const { during, steady } = stepsAroundJump(BASE, name, value);
        expect(during, `${name} → ${value}: step ${during.toFixed(5)} during the ramp, steady ${steady.toFixed(5)}`).toBeLessThanOrEqual(STEP_RATIO_LIMIT * steady + 1e-3);
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 14) },
    );
  });

  it('detects an unsmoothed jump (smoothingMs 0, wetDry 0 → 1): the step is far above the limit', () => {
    const { during, steady } = stepsAroundJump({ ...BASE, wetDry: 0, smoothingMs: 0 }, 'wetDry', 1);
    expect(during).toBeGreaterThan(3 * (STEP_RATIO_LIMIT * steady + 1e-3));
  });
});
