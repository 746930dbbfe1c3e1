import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, finishBackgroundCompiles, fullGc } from '../engine/allocationProbe.ts';
import { EventKind, makeEvent } from '../engine/events.ts';
import { isOptimized } from '../engine/v8Natives.ts';
import { HapticParam } from './hapticConfig.ts';
import { HapticEngine } from './hapticEngine.ts';
import { StimulusGenerator } from './stimulusGenerator.ts';
import { TravellingWaves } from './travellingWaves.ts';

/** The audio path's functions the warm-up compiles (methods, one JSFunction each on their prototypes). */
const AUDIO_PATH = [
  [HapticEngine, ['process', 'renderSpan', 'sync', 'syncPool', 'startSpeedFade', 'fadeSpeed', 'bakeMasterGain']],
  [TravellingWaves, ['start', 'beginFade', 'updateTaps', 'updateAllTaps', 'mixCubic', 'shiftHistory']],
  [StimulusGenerator, ['start', 'generate']],
] as const;
const BLOCKS = 3000;
const BLOCK = 64;

/**
 * The one-time warm-up's engines stay alive (HapticEngine.warmUp): V8's optimised code refers weakly to
 * the objects it was compiled against, and a collection of the throwaway engines deoptimised the code still
 * compiled against them ("weak objects" in --trace-deopt). In the render worker, whose warm-up ends with a
 * full collection (hostWorker.ts), nine functions of the audio path were deoptimised at once and ran
 * unoptimised — boxing doubles — into the live periods. Here: an engine renders BLOCKS blocks of notes, MPE
 * and gain changes (as the worker's warm-up host does), then a full collection must leave every function
 * of the audio path that was optimised optimised. Measured with the warm-up engines dropped: fadeSpeed,
 * renderSpan and mixCubic lost their code.
 */
describe.skipIf(allocationUnmeasurable)('the haptic engine\'s warm-up', () => {
  it('leaves no optimised function of the audio path to be deoptimised by a full collection', () => {
    const engine = new HapticEngine({});
    engine.prepare({ sampleRate: 48000, maxBlockFrames: BLOCK });
    const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(BLOCK));
    const inputs: Float32Array[] = [];
    const [note, mpe, gain] = [makeEvent(), makeEvent(), makeEvent()];
    const events = [note, mpe, gain];
    for (let n = 0; n < BLOCKS; n++) {
      Object.assign(note, { kind: n % 40 === 20 ? EventKind.NoteOff : EventKind.NoteOn, channel: n % 16, note: 36 + (n % 48), value: 100 });
      Object.assign(mpe, { kind: EventKind.Pressure, channel: (n * 3 + 1) % 16, value: (n % 10) / 10.5, offsetFrames: 3 });
      Object.assign(gain, { kind: EventKind.Param, paramIndex: HapticParam.masterGainDb, value: -24 + (n % 7) * 0.9, offsetFrames: 9 });
      engine.process(inputs, outputs, BLOCK, events, n % 16 === 0 ? 3 : 2);
    }
    const optimized = (): string[] => AUDIO_PATH.flatMap(([cls, names]) =>
      names.filter((name) => isOptimized((cls.prototype as unknown as Record<string, unknown>)[name])).map((name) => `${cls.name}.${name}`));
    const before = optimized();
    fullGc();
    fullGc();
    const after = optimized();
    // The check can fail: the warm-up and the blocks optimised most of the path.
    expect(before.length).toBeGreaterThan(AUDIO_PATH.reduce((k, [, names]) => k + names.length, 0) / 2);
    expect(before.filter((f) => !after.includes(f))).toEqual([]);
  });
});

/**
 * A stimulus's oscillator is re-anchored every 4096 samples of its life (stimulusGenerator.ts), a branch that
 * only a note held 64 periods of 64 frames reaches — in each of the ways a block renders a stimulus: batched at a
 * constant gain (flush()), generate()'s fast path when the anchor falls inside a block, and its general loop
 * while pressure moves. First taken on the render thread, it deoptimised generate() and flush() there (seen with
 * --trace-deopt-verbose in the render worker at full polyphony, under load): the function then runs unoptimised,
 * boxing its doubles, until V8 has compiled it again. Here: after the warm-up and a few hundred blocks of short
 * notes (the live warm-up's load), notes held across two anchors in each way, on both pools; no function of the
 * generator that was optimised before a block may have lost its code after it.
 */
describe.skipIf(allocationUnmeasurable)('the haptic engine\'s warm-up, the oscillator\'s anchor points', () => {
  it('leaves no function of the generator to be deoptimised when a held note reaches one', () => {
    const engine = new HapticEngine({});
    engine.prepare({ sampleRate: 48000, maxBlockFrames: BLOCK });
    const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(BLOCK));
    const inputs: Float32Array[] = [];
    const [note, mpe] = [makeEvent(), makeEvent()];
    for (let n = 0; n < 300; n++) {
      Object.assign(note, { kind: n % 40 === 20 ? EventKind.NoteOff : EventKind.NoteOn, channel: n % 16, note: 36 + (n % 48), value: n % 2 ? 40 : 100, offsetFrames: n % 7 });
      Object.assign(mpe, { kind: EventKind.Pressure, channel: (n * 3 + 1) % 16, value: (n % 10) / 10.5, offsetFrames: 3 });
      engine.process(inputs, outputs, BLOCK, [note, mpe], 2);
    }
    const generator = StimulusGenerator.prototype as unknown as Record<string, unknown>;
    const watched = ['generate', 'flush', 'queue', 'batchable'];
    const optimized = () => watched.filter((name) => isOptimized(generator[name]));
    const phases = [
      { name: 'batched', velocity: 40, offsetFrames: 0, pressureMoves: false },
      { name: 'fast path, anchor inside a block', velocity: 40, offsetFrames: 5, pressureMoves: false },
      { name: 'general loop, pressure moving', velocity: 40, offsetFrames: 0, pressureMoves: true },
      { name: 'standing, batched', velocity: 100, offsetFrames: 0, pressureMoves: false },
      { name: 'standing, fast path', velocity: 100, offsetFrames: 5, pressureMoves: false },
      { name: 'standing, pressure moving', velocity: 100, offsetFrames: 0, pressureMoves: true },
    ];
    for (const phase of phases) {
      const lost: string[] = [];
      Object.assign(note, { kind: EventKind.Panic, channel: 0, note: 0, value: 0, offsetFrames: 0 });
      engine.process(inputs, outputs, BLOCK, [note], 1);
      finishBackgroundCompiles();
      // The check can fail: the generator's rendering functions run optimised code before the note starts.
      expect(optimized(), phase.name).toEqual(expect.arrayContaining(['generate', 'flush']));
      Object.assign(note, { kind: EventKind.NoteOn, channel: 2, note: 60, value: phase.velocity, offsetFrames: phase.offsetFrames });
      for (let n = 0; n < (2 * 4096) / BLOCK + 2; n++) {
        Object.assign(mpe, { kind: EventKind.Pressure, channel: 2, value: 0.5 + 0.4 * Math.sin(n), offsetFrames: 9 });
        const before = optimized();
        engine.process(inputs, outputs, BLOCK, [note, mpe], n === 0 ? 1 + Number(phase.pressureMoves) : Number(phase.pressureMoves));
        if (n === 0) note.offsetFrames = 0; // the note-on went out in block 0; the record is not read again
        lost.push(...before.filter((f) => !optimized().includes(f)).map((f) => `${f} at block ${n}`));
      }
      expect(lost, phase.name).toEqual([]);
    }
  });
});
