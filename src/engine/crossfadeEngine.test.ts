import { describe, expect, it } from 'vitest';
import { ToyFilter } from '../conformance/brokenEngines.ts';
import { Prng } from '../dsp/prng.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { CrossfadeEngine, stagedSwitches } from './crossfadeEngine.ts';
import { type TimedEvent, at, } from './events.ts';
import { render } from './render.ts';
import { parseParams } from './params.ts';
import { setPrepareWarmUp } from './prepareWarmUp.ts';
import { LossyEngine } from '../lossy/lossyEngine.ts';
import { lossyParamsSchema } from '../lossy/lossyParams.ts';

const FS = 48000;
const FRAMES = 9000;
const SWAP_AT = 3001;
const FADE = 480; // CROSSFADE_MS at 48 kHz
const OLD = { lines: 8, rt60Seconds: 1.2, wetDry: 0.4 } as const;
const NEW = { lines: 16, rt60Seconds: 0.6, wetDry: 0.4, delayMinMs: 11, delayMaxMs: 41 } as const;

const input = (() => {
  const g = new Prng(5);
  const x = Float32Array.from({ length: FRAMES }, () => 0.3 * g.nextBipolar());
  return [x, x];
})();
/** Continuous changes around the switch: before it, inside the fade, after it. */
const paramEvents: TimedEvent[] = [at.param(1000, 0, 0.6), at.param(SWAP_AT + 100, 0, 0.2), at.param(SWAP_AT + 2000, 2, 0.9)];

/** The reverb through the slot, NEW staged before rendering and switched to at SWAP_AT. */
function renderWithSwitch(blockFrames: number): Float32Array[] {
  const slot = new CrossfadeEngine(new FdnReverb(OLD));
  slot.prepare({ sampleRate: FS, maxBlockFrames: blockFrames });
  const next = new FdnReverb(NEW);
  next.prepare({ sampleRate: FS, maxBlockFrames: blockFrames });
  expect(slot.stage(7, next)).toBeUndefined();
  return render(slot, { sampleRate: FS, blockFrames, frames: FRAMES, input, events: [...paramEvents, at.swap(SWAP_AT, 7)], prepare: false });
}

describe('CrossfadeEngine: a new engine instance takes over with a crossfade', () => {
  it.each([
    ['the reverb', () => new FdnReverb(OLD)],
    // An engine with a latency: prepare()'s warm-up switches last longer and must all have ended.
    ['the lossy effect (514 frames of latency)', () => new LossyEngine(parseParams(lossyParamsSchema, {}, 'test'))],
  ] as const)('passes a block without a switch straight through: %s, bit-identical to the bare engine', (_name, make) => {
    const warmUp = setPrepareWarmUp(true); // the warm-up's own switches are part of what must leave no trace
    try {
      const bare = render(make(), { sampleRate: FS, blockFrames: 64, frames: FRAMES, input, events: paramEvents });
      const wrapped = render(new CrossfadeEngine(make()), { sampleRate: FS, blockFrames: 64, frames: FRAMES, input, events: paramEvents });
      expect(wrapped.map((c, k) => c.findIndex((v, t) => !Object.is(v, bare[k][t])))).toEqual([-1, -1]);
    } finally {
      setPrepareWarmUp(warmUp);
    }
  });

  it('plays the old engine before the switch, the equal-gain fade with the new one fed a faded-in input, then the new one alone', () => {
    const out = renderWithSwitch(64);
    const old = render(new FdnReverb(OLD), { sampleRate: FS, blockFrames: 64, frames: FRAMES, input, events: paramEvents });
    // The new engine alone from the switch, on the input faded in over FADE frames, with the later events.
    const faded = input.map((x) => Float32Array.from(x.subarray(SWAP_AT), (v, j) => (j < FADE ? v * ((j + 1) / FADE) : v)));
    const later = paramEvents.filter((e) => e.atFrame >= SWAP_AT).map((e) => ({ ...e, atFrame: e.atFrame - SWAP_AT }));
    const fresh = render(new FdnReverb(NEW), { sampleRate: FS, blockFrames: 64, frames: FRAMES - SWAP_AT, input: faded, events: later });
    for (let c = 0; c < 2; c++) {
      const expected = Float32Array.from({ length: FRAMES }, (_, t) => {
        if (t < SWAP_AT) return old[c][t];
        const j = t - SWAP_AT;
        return j < FADE ? (1 - (j + 1) / FADE) * old[c][t] + fresh[c][j] : fresh[c][j];
      });
      const first = out[c].findIndex((v, t) => !Object.is(v, expected[t]));
      expect(first, `channel ${c}: first differing frame`).toBe(-1);
    }
  });

  it.each([1, 17, 512])('gives the same output at block size %i as at 64 (the switch is sample-exact)', (blockFrames) => {
    const reference = renderWithSwitch(64);
    const out = renderWithSwitch(blockFrames);
    for (let c = 0; c < 2; c++) expect(out[c].findIndex((v, t) => !Object.is(v, reference[c][t]))).toBe(-1);
  });

  it('starts the fade-out an incoming engine\'s latency after the switch (latencySamples), so the fades meet', () => {
    const latency = 100;
    class Late extends ToyFilter {
      readonly latencySamples = latency;
    }
    const x = [Float32Array.from({ length: 2000 }, (_, i) => 0.3 * Math.sin(i / 5))];
    const slot = new CrossfadeEngine(new ToyFilter());
    slot.prepare({ sampleRate: FS, maxBlockFrames: 64 });
    const next = new Late();
    next.prepare({ sampleRate: FS, maxBlockFrames: 64 });
    slot.stage(1, next);
    const out = render(slot, { sampleRate: FS, blockFrames: 64, frames: 2000, input: x, events: [at.swap(500, 1)], prepare: false });
    const old = render(new ToyFilter(), { sampleRate: FS, blockFrames: 64, frames: 2000, input: x });
    const faded = [Float32Array.from(x[0].subarray(500), (v, j) => (j + 1 < FADE ? v * ((j + 1) / FADE) : v))];
    const fresh = render(new ToyFilter(), { sampleRate: FS, blockFrames: 64, frames: 1500, input: faded });
    const expected = Float32Array.from({ length: 2000 }, (_, t) => {
      if (t < 500) return old[0][t];
      const k = t - 500 + 1 - latency;
      const h = k <= 0 ? 1 : k < FADE ? 1 - k / FADE : 0;
      return h * old[0][t] + fresh[0][t - 500];
    });
    expect(out[0].findIndex((v, t) => !Object.is(v, expected[t]))).toBe(-1);
    expect(slot.busy).toBe(false);
  });

  it('ignores and counts a switch to an id nothing was staged for', () => {
    const slot = new CrossfadeEngine(new FdnReverb(OLD));
    const out = render(slot, { sampleRate: FS, blockFrames: 64, frames: 2000, input, events: [at.swap(500, 3)] });
    const bare = render(new FdnReverb(OLD), { sampleRate: FS, blockFrames: 64, frames: 2000, input });
    expect(out[0].findIndex((v, t) => !Object.is(v, bare[0][t]))).toBe(-1);
    expect(slot.stats).toMatchObject({ swaps: 0, missedSwaps: 1 });
  });

  it('refuses to stage an engine of another shape, or when every slot waits', () => {
    const slot = new CrossfadeEngine(new FdnReverb(OLD), { slots: 1 });
    expect(slot.stage(1, new ToyFilter())).toMatch(/not prepared/);
    slot.prepare({ sampleRate: FS, maxBlockFrames: 64 });
    expect(slot.stage(1, new ToyFilter())).toMatch(/cannot replace reverb/);
    expect(slot.stage(1, new FdnReverb(NEW))).toBeUndefined();
    expect(slot.busy).toBe(true);
    expect(slot.stage(2, new FdnReverb(NEW))).toMatch(/all 1 engine slots/);
  });
});

describe('stagedSwitches (the offline rule\'s slot)', () => {
  it('stages each switch prepared for its Swap, and refuses, naming the switch, an engine the slot cannot take', () => {
    const opts = { sampleRate: FS, maxBlockFrames: 64 };
    const slot = stagedSwitches(new FdnReverb(OLD), [{ id: 7, engine: new FdnReverb(NEW) }], opts);
    expect(slot.busy).toBe(true);
    expect(slot.unstage(7)).toBe(true);
    expect(() => stagedSwitches(new FdnReverb(OLD), [{ id: 3, engine: new ToyFilter() }], opts)).toThrow(/switch 3 cannot be staged for the offline render: a toy/);
  });
});
