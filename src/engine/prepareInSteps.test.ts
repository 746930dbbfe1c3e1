import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { LossyEngine } from '../lossy/lossyEngine.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import type { Engine } from './engine.ts';
import { prepareInSteps, runSteps, ZERO_STEP_SAMPLES, zeroInSteps } from './prepareInSteps.ts';
import { setPrepareWarmUp } from './prepareWarmUp.ts';

/**
 * A live host builds the next engine with prepareSteps() between the blocks of the engine that plays
 * (workerEngineBuilds.ts): the engine it makes must be the one prepare() makes, and the playing engine
 * must not hear it — no state shared between instances that a build's steps (the warm-up renders blocks
 * through the same kernels) could change under it.
 */
const FS = 48000;
const BLOCK = 64;
const BLOCKS = 400;
const opts = { sampleRate: FS, maxBlockFrames: BLOCK };

function noise(seed: number): Float32Array[] {
  const g = new Prng(seed);
  return [0, 1].map(() => Float32Array.from({ length: BLOCK * BLOCKS }, () => 0.3 * g.nextBipolar()));
}

/** Renders `input` through `engine` block by block, calling `between()` after each block. */
function play(engine: Engine, input: Float32Array[], between: () => void = () => {}): Float32Array[] {
  const out = [new Float32Array(input[0].length), new Float32Array(input[0].length)];
  const y = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  for (let b = 0; b < BLOCKS; b++) {
    engine.process(input.map((x) => x.subarray(b * BLOCK, (b + 1) * BLOCK)), y, BLOCK, [], 0);
    out[0].set(y[0], b * BLOCK);
    out[1].set(y[1], b * BLOCK);
    between();
  }
  return out;
}

const same = (a: Float32Array[], b: Float32Array[]) => a.every((ch, k) => ch.every((v, i) => Object.is(v, b[k][i])));

let warmUpWas = true;
beforeAll(() => { warmUpWas = setPrepareWarmUp(true); }); // the warm-up's steps are most of a build
afterAll(() => { setPrepareWarmUp(warmUpWas); });

describe.each([
  ['reverb, a new network shape (16 lines, modulated)', () => new FdnReverb({ lines: 8, rt60Seconds: 1.2, wetDry: 0.5 }), () => new FdnReverb({ lines: 16, rt60Seconds: 2, wetDry: 0.6, modDepthMs: 1 })],
  ['reverb, the same shape', () => new FdnReverb({ lines: 8, rt60Seconds: 1.2, wetDry: 0.5 }), () => new FdnReverb({ lines: 8, rt60Seconds: 0.7, wetDry: 0.5, damping: 0.4 })],
  ['lossy', () => new LossyEngine({}), () => new LossyEngine({ bitcrush: { enabled: true, bitDepth: 6 } })],
] as const)('prepareSteps() beside a playing engine: %s', (_name, playing, next) => {
  it('builds the engine prepare() builds, and the playing engine plays as if alone', () => {
    const input = noise(3);
    const alone = playing();
    alone.prepare(opts);
    const expectedPlaying = play(alone, input);

    const live = playing();
    live.prepare(opts);
    const built = next();
    const steps = prepareInSteps(built, opts);
    let stepCount = 0;
    let finished = false;
    // A few steps between blocks, as the render thread takes them; the build spans many blocks.
    const played = play(live, input, () => {
      for (let k = 0; k < 5 && !finished; k++) {
        finished = steps.next().done === true;
        stepCount++;
      }
    });
    runSteps(steps);
    expect(stepCount).toBeGreaterThan(BLOCKS); // it was still building at the last block: every block interleaved
    expect(same(played, expectedPlaying)).toBe(true);

    const whole = next();
    whole.prepare(opts);
    expect(same(play(built, noise(4)), play(whole, noise(4)))).toBe(true);
  });
});

describe('zeroInSteps', () => {
  it('zeroes the whole array, ZERO_STEP_SAMPLES a step', () => {
    const a = new Float64Array(2 * ZERO_STEP_SAMPLES + 5).fill(1);
    const steps = zeroInSteps(a);
    expect(steps.next().done).toBe(false);
    expect(a[ZERO_STEP_SAMPLES - 1]).toBe(0);
    expect(a[ZERO_STEP_SAMPLES]).toBe(1);
    runSteps(steps);
    expect(a.every((v) => v === 0)).toBe(true);
  });
});
