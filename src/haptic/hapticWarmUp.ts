import type { Engine } from '../engine/engine.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import { type HapticConfigInput, STEAL_POLICIES } from './hapticConfig.ts';
import type { NoteRouter } from './noteRouter.ts';

/**
 * Throwaway engines for the haptic engine's one-time warm-up: one per steal policy, each with other
 * branches of the configuration (interpolation, glide on/off, envelope, mode shape), so that every
 * engine a host makes later runs through code V8 has seen.
 */
export const WARM_UP_CONFIGS: readonly HapticConfigInput[] = STEAL_POLICIES.map((stealPolicy, v) => ({
  ...[
    { interpolation: 'linear', envelope: { attackMs: 2, releaseMs: 3 } },
    { interpolation: 'cubic', positionGlideMs: 0, envelope: { attackMs: 0, releaseMs: 0 } },
    { interpolation: 'linear', standingModeShape: [1, -0.5], envelope: { attackMs: 1, releaseMs: 1 } },
  ][v] as HapticConfigInput,
  layout: { rows: 1, columns: 2 },
  pools: { travelling: 2, standing: 1, stealPolicy },
}));

/** Calls every note handler 1500 times (on any channel, note and controller), panics and clears included. */
export function exerciseNoteHandlers(router: NoteRouter): void {
  for (let i = 0; i < 1500; i++) {
    const ch = i & 15;
    router.noteOn(ch, i % 128, 1 + (i % 127));
    router.markChannel((ch + 5) & 15);
    router.controlChange(ch, i % 3 === 0 ? 121 : i % 3 === 1 ? 123 : 7);
    router.noteOff((ch + 9) & 15, (i + 64) % 128);
    if (i % 4 === 0) router.panic();
    if (i % 5 === 0) { router.travelling.clear(); router.standing.clear(); }
  }
}

/**
 * Runs every event kind 1000 times through process() of a prepared engine (2 outputs, blocks of up to
 * 16), so the hot path has seen every branch (no late deopts). The event records are makeEvent()'s, the
 * one shape every host hands the engine (AudioHost, render(), the worklet's queue): process() reads them
 * monomorphically. Records of several hidden classes here made its loads of `offsetFrames`, `kind`,
 * `channel` and `value` megamorphic — generic loads that box a double field on every read: 16 bytes per
 * block without events, ~80 with a note and MPE every block (src/host/workerAllocation.ts, haptic).
 */
export function exerciseProcess(engine: Engine): void {
  const shapes: EngineEvent[] = [makeEvent(), makeEvent(), makeEvent()];
  const events = [shapes[0], makeEvent()];
  const outputs = [new Float32Array(16), new Float32Array(16)];
  const kinds = [EventKind.NoteOn, EventKind.Pressure, EventKind.PitchBend, EventKind.Timbre, EventKind.NoteOn,
    EventKind.NoteOff, EventKind.Param, EventKind.ControlChange, EventKind.Panic, 0 as EventKind];
  for (let i = 0; i < 1000; i++) {
    const kind = kinds[i % kinds.length];
    const ev = shapes[i % shapes.length];
    events[0] = ev;
    ev.kind = kind;
    ev.channel = (i >> 2) & 15;
    ev.note = kind === EventKind.ControlChange ? 121 : 40 + (i % 40);
    ev.value = kind === EventKind.NoteOn ? 1 + ((i * 37) % 127) : kind === EventKind.Param ? 20 + (i % 400) : kind === EventKind.PitchBend ? ((i % 9) - 4) / 4 : (i % 7) / 7;
    ev.paramIndex = i & 1;
    ev.offsetFrames = i % 13;
    events[1].kind = EventKind.NoteOn;
    events[1].offsetFrames = 14;
    events[1].value = i % 127;
    events[1].note = 50 + (i % 30);
    engine.process(outputs, outputs, i % 5 === 0 ? 15 : 16, events, i % 3);
  }
}

/** Samples between two of the oscillator's anchor points (stimulusGenerator.ts: OSC_ANCHOR_MASK + 1). */
const ANCHOR_SAMPLES = 4096;

/**
 * Holds one note at a time across two of the oscillator's anchor points (every 4096 samples of a stimulus's
 * life) in each way a block renders a stimulus — batched at a constant gain (flush()), generate()'s fast path
 * with the anchor inside a block, its general loop while pressure moves — on both pools (`velocities`: one
 * below the engine's velocity split, one at or above). No short note reaches an anchor, so without this the
 * branch was first taken on the render thread and deoptimised generate() and flush() there (hapticWarmUp.test.ts;
 * seen with --trace-deopt-verbose in the render worker at full polyphony). Blocks of 16 frames on 2 outputs.
 */
export function exerciseOscillatorAnchors(engine: Engine, velocities: readonly [number, number]): void {
  const note = makeEvent();
  const pressure = makeEvent();
  const events = [note, pressure];
  const outputs = [new Float32Array(16), new Float32Array(16)];
  for (const velocity of velocities) {
    for (const [offsetFrames, pressureMoves] of [[0, false], [5, false], [0, true]] as const) {
      note.kind = EventKind.Panic;
      engine.process(outputs, outputs, 16, events, 1);
      note.kind = EventKind.NoteOn;
      note.channel = 2;
      note.note = 60;
      note.value = velocity;
      note.offsetFrames = offsetFrames;
      pressure.kind = EventKind.Pressure;
      pressure.channel = 2;
      pressure.offsetFrames = 9;
      for (let n = 0; n < (2 * ANCHOR_SAMPLES) / 16 + 2; n++) {
        pressure.value = 0.5 + 0.4 * ((n % 7) / 7);
        if (n === 0) engine.process(outputs, outputs, 16, events, pressureMoves ? 2 : 1);
        else if (pressureMoves) engine.process(outputs, outputs, 16, [pressure], 1);
        else engine.process(outputs, outputs, 16, events, 0);
      }
    }
  }
  note.kind = EventKind.Panic;
  engine.process(outputs, outputs, 16, events, 1);
}
