import { describe, expect, it } from 'vitest';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { FdnReverb } from './fdnReverb.ts';
import { REVERB_PARAM_NAMES, type ReverbParamsInput } from './reverbParams.ts';
import { designShelved } from './threeAnchorAbsorption.ts';

const SAMPLE_RATE = 48000;

function wetImpulseResponse(params: Partial<ReverbParamsInput>, frames: number, events = [] as ReturnType<typeof at.param>[]): Float32Array[] {
  const impulse = new Float32Array(frames);
  impulse[0] = 1;
  return render(new FdnReverb({ lines: 8, wetDry: 1, ...params }), { sampleRate: SAMPLE_RATE, blockFrames: 64, frames, input: [impulse, impulse], events });
}

describe('pre-delay in samples', () => {
  it('delays the wet response by exactly preDelaySamples samples (bit-identical shift)', () => {
    const shift = 777;
    const plain = wetImpulseResponse({ preDelaySamples: 0 }, 4000);
    const delayed = wetImpulseResponse({ preDelaySamples: shift }, 4000 + shift);
    for (let c = 0; c < 2; c++) {
      expect(delayed[c].subarray(0, shift).every((x) => x === 0)).toBe(true);
      expect(delayed[c].subarray(shift)).toEqual(plain[c]);
    }
  });

  it('preDelayMs 10 and preDelaySamples 480 render the same bits at 48 kHz', () => {
    expect(wetImpulseResponse({ preDelaySamples: 480 }, 3000)).toEqual(wetImpulseResponse({ preDelayMs: 10 }, 3000));
  });

  it('a preDelaySamples Param event moves the pre-delay like a preDelayMs event of the same length', () => {
    const events = (name: 'preDelayMs' | 'preDelaySamples', value: number) => [at.param(100, REVERB_PARAM_NAMES.indexOf(name), value)];
    expect(wetImpulseResponse({}, 3000, events('preDelaySamples', 240))).toEqual(wetImpulseResponse({}, 3000, events('preDelayMs', 5)));
  });
});

describe('low RT60 target in the engine', () => {
  it("gives every line the shelved design of its length (b0 with the line's gain, the shelf as designed)", () => {
    const engine = new FdnReverb({ lines: 8, rt60Seconds: 2.2, rt60HighSeconds: 1.4, rt60LowSeconds: 2.8 });
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 64 });
    const { b0, pole, shelf } = engine.lineCoefficients;
    engine.delaySamples.forEach((m, i) => {
      const c = designShelved(m, SAMPLE_RATE, 2.2, 500, 1.4, 4000, 2.8, 250);
      expect(c.met).toBe(true);
      expect([b0[i], pole[i], shelf[0][i], shelf[1][i], shelf[2][i]]).toEqual([c.b0, c.pole, c.c0, c.c1, c.q]);
    });
  });

  it('an rt60LowSeconds Param event switches a two-anchor engine to the shelved design (same coefficients after the ramp)', () => {
    const events = [at.param(10, REVERB_PARAM_NAMES.indexOf('rt60LowSeconds'), 2.8)];
    const switched = new FdnReverb({ lines: 8, rt60Seconds: 2.2, rt60HighSeconds: 1.4 });
    render(switched, { sampleRate: SAMPLE_RATE, blockFrames: 64, frames: 2000, events });
    const built = new FdnReverb({ lines: 8, rt60Seconds: 2.2, rt60HighSeconds: 1.4, rt60LowSeconds: 2.8 });
    built.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 64 });
    const a = switched.lineCoefficients;
    const b = built.lineCoefficients;
    expect([a.b0, a.pole, ...a.shelf]).toEqual([b.b0, b.pole, ...b.shelf]);
  });
});
