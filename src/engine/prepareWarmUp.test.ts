import { describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { LossyEngine } from '../lossy/lossyEngine.ts';
import { LOSSY_PARAM_NAMES, lossyParamsSchema } from '../lossy/lossyParams.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { REVERB_PARAM_NAMES } from '../reverb/reverbParams.ts';
import { CrossfadeEngine } from './crossfadeEngine.ts';
import type { Engine } from './engine.ts';
import { type TimedEvent, at } from './events.ts';
import { parseParams } from './params.ts';
import { prepareWarmUpEnabled, setPrepareWarmUp } from './prepareWarmUp.ts';
import { render } from './render.ts';

/**
 * The warm-ups change no output: an engine prepared with its warm-up renders bit for bit what the same
 * engine prepared without it renders, events included — so the test files that turn warm-ups off
 * (prepareWarmUp.ts) render what the product renders. Shown red by leaving out FdnReverb's reset() after
 * its warm-up (the lines keep the warm-up's signal) and CrossfadeEngine's (a warm-up switch still fading).
 */
const FS = 48000;
const FRAMES = Math.round(0.25 * FS);
const BLOCK = 64;

const input = (() => {
  const g = new Prng(11);
  const burst = (i: number) => (i < 4800 || (i > 7000 && i < 7400) ? 0.3 * g.nextBipolar() : 0);
  return [Float32Array.from({ length: FRAMES }, (_, i) => burst(i)), Float32Array.from({ length: FRAMES }, (_, i) => burst(i))];
})();

const reverbIndex = (name: (typeof REVERB_PARAM_NAMES)[number]) => REVERB_PARAM_NAMES.indexOf(name);
/** Every reverb parameter changes once mid-render (the shelves switch on at rt60LowSeconds). */
const REVERB_EVENTS: TimedEvent[] = [
  at.param(1501, reverbIndex('wetDry'), 0.8), at.param(2000, reverbIndex('rt60Seconds'), 0.7), at.param(2003, reverbIndex('preDelayMs'), 7.3),
  at.param(3100, reverbIndex('rt60LowSeconds'), 1.1), at.param(4000, reverbIndex('feedbackGain'), 0.9), at.param(5000, reverbIndex('modDepthMs'), 1.1),
  at.param(6000, reverbIndex('modRateHz'), 3), at.param(6500, reverbIndex('rt60HighSeconds'), 0.5), at.param(7001, reverbIndex('preDelaySamples'), 211),
];
const LOSSY_EVENTS: TimedEvent[] = LOSSY_PARAM_NAMES.map((_, index) => at.param(1000 + 1500 * index + index, index, [10, 12, -70, -2, 2][index]));

const lossy = () => new LossyEngine(parseParams(lossyParamsSchema, {}, 'test'));
const ENGINES: [string, () => Engine, TimedEvent[]][] = [
  ['FdnReverb, 8 lines, Hadamard (the rest kernel)', () => new FdnReverb({ lines: 8 }), REVERB_EVENTS],
  ['FdnReverb, 16 lines, shelved, cubic-modulated', () => new FdnReverb({ lines: 16, rt60LowSeconds: 2, rt60HighSeconds: 0.9, modDepthMs: 0.4, interpolation: 'cubic' }), REVERB_EVENTS],
  ['FdnReverb, 4 lines, Householder, manual damping', () => new FdnReverb({ lines: 4, matrix: 'householder', decayMode: 'manual', feedbackGain: 0.95, damping: [0.1, 0.2, 0.3, 0.4] }), REVERB_EVENTS],
  ['FdnReverb, 8 lines, random orthogonal, linear-modulated', () => new FdnReverb({ lines: 8, matrix: 'randomOrthogonal', seed: 7, modDepthMs: 0.6, interpolation: 'linear' }), REVERB_EVENTS],
  ['LossyEngine (514 frames of latency)', lossy, LOSSY_EVENTS],
  ['CrossfadeEngine around a reverb', () => new CrossfadeEngine(new FdnReverb({ lines: 8 })), REVERB_EVENTS],
  ['CrossfadeEngine around the lossy effect', () => new CrossfadeEngine(lossy()), LOSSY_EVENTS],
];

function renderWith(warmUp: boolean, make: () => Engine, events: TimedEvent[]): Float32Array[] {
  const was = setPrepareWarmUp(warmUp);
  try {
    return render(make(), { sampleRate: FS, blockFrames: BLOCK, frames: FRAMES, input, events });
  } finally {
    setPrepareWarmUp(was);
  }
}

describe('prepare() with and without the warm-up', () => {
  it.each(ENGINES)('%s: the same output bit for bit', (_name, make, events) => {
    const warmed = renderWith(true, make, events);
    const cold = renderWith(false, make, events);
    expect(warmed.some((c) => c.some((v) => v !== 0))).toBe(true);
    expect(cold.map((c, k) => c.findIndex((v, t) => !Object.is(v, warmed[k][t])))).toEqual(cold.map(() => -1));
  });

  it('a switch to a second engine staged after a cold prepare() fades as after a warm one', () => {
    const run = (warmUp: boolean) => {
      const was = setPrepareWarmUp(warmUp);
      try {
        const slot = new CrossfadeEngine(new FdnReverb({ lines: 8 }));
        slot.prepare({ sampleRate: FS, maxBlockFrames: BLOCK });
        const next = new FdnReverb({ lines: 16, rt60Seconds: 0.6 });
        next.prepare({ sampleRate: FS, maxBlockFrames: BLOCK });
        expect(slot.stage(3, next)).toBeUndefined();
        return render(slot, { sampleRate: FS, blockFrames: BLOCK, frames: FRAMES, input, events: [...REVERB_EVENTS, at.swap(3001, 3)], prepare: false });
      } finally {
        setPrepareWarmUp(was);
      }
    };
    const warmed = run(true);
    expect(run(false).map((c, k) => c.findIndex((v, t) => !Object.is(v, warmed[k][t])))).toEqual([-1, -1]);
  });

  it('is on unless turned off, and setPrepareWarmUp returns the setting it replaced', () => {
    const was = setPrepareWarmUp(true);
    try {
      expect(setPrepareWarmUp(false)).toBe(true);
      expect(prepareWarmUpEnabled()).toBe(false);
      expect(setPrepareWarmUp(true)).toBe(false);
      expect(prepareWarmUpEnabled()).toBe(true);
    } finally {
      setPrepareWarmUp(was);
    }
  });
});
