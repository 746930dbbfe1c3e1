import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { EventKind, makeEvent } from '../engine/events.ts';
import { neverOptimize } from '../engine/v8Natives.ts';
import { HapticParam } from './hapticConfig.ts';
import { HapticEngine } from './hapticEngine.ts';

/**
 * A master-gain change ends in a bake (hapticEngine.ts: the ramp's target written into the taps and
 * standing gains), once a ramp: too rarely for V8 to keep bakeMasterGain() optimised on a render thread —
 * in the render worker it stayed unoptimised for ~1000 ramps, and every double it moved was a heap number
 * (32 B a bake; workerAllocation.test.ts). So the bake must allocate nothing even unoptimised: held so
 * here with V8's %NeverOptimizeFunction (v8Natives.ts). A cycle = a gain change, then blocks until its ramp
 * (10 ms) has ended and been baked, with two notes sounding.
 *
 * Limits: bytes over CYCLES cycles, the smallest of measureAllocation's repeats (young generation): what
 * the engine's load timing allocates by design (performance.now(), 2 × 16 B one block in 1024) and a
 * constant of the measurement (measured: 176 B over 100 cycles, 368 B over 800, the timing's slope). The
 * bake unoptimised as it was: 6576 B over 200 cycles (32 B a bake).
 */
const CYCLES = 200;
const SAMPLE_RATE = 48000;
const BLOCK = 64;
/** Blocks a cycle runs: the ramp's 480 frames and one more block. */
const BLOCKS_PER_CYCLE = Math.ceil((0.01 * SAMPLE_RATE) / BLOCK) + 1;
const LIMITS = { bytes: 2 * 16 * Math.ceil((CYCLES * BLOCKS_PER_CYCLE) / 1024) + 256 };

describe.skipIf(allocationUnmeasurable)('the haptic engine\'s master-gain bake', () => {
  it(`allocates nothing over ${CYCLES} gain changes with bakeMasterGain() held unoptimised`, async () => {
    neverOptimize((HapticEngine.prototype as unknown as { bakeMasterGain: unknown }).bakeMasterGain);
    const engine = new HapticEngine({ pools: { travelling: 4, standing: 2 } });
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: BLOCK });
    const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(BLOCK));
    const events = [makeEvent(), makeEvent()];
    const inputs: Float32Array[] = [];
    const block = (count: number): void => engine.process(inputs, outputs, BLOCK, events, count);
    for (const [i, note] of [[0, 48], [1, 60]]) Object.assign(events[i], { kind: EventKind.NoteOn, channel: i, note, value: 100, offsetFrames: 0 });
    block(2);
    const gain = events[0];
    Object.assign(gain, { kind: EventKind.Param, channel: 0, note: 0, paramIndex: HapticParam.masterGainDb, offsetFrames: 5 });
    let n = 0;
    const cycle = (): void => {
      // −30…−6 dB, fractional: a new target every cycle.
      gain.value = -30 + ((n++ * 7.25) % 24);
      block(1);
      for (let b = 1; b < BLOCKS_PER_CYCLE; b++) block(0);
    };
    const m = await measureAllocation(cycle, { calls: CYCLES, warmupCalls: 500, spaces: 'young' });
    // The gain reached the output: the bake happened (the taps hold the last target).
    expect(engine.getState()).toMatchObject({ masterGainDb: gain.value });
    expect(m.bytes).toBeLessThanOrEqual(LIMITS.bytes);
  });
});
