import { z } from 'zod';

/**
 * The scenario format (version 1): a timeline of events the HIL replays against the rig server, the
 * transport each travels by, what the engine is expected to do, and the budgets a run must meet.
 *
 * Times are given either in milliseconds (`atMs`) or in samples at the scenario's sample rate
 * (`atSamples`), never both. A `repeat` group replays its events `count` times, `everyMs` apart, with
 * optional per-repetition steps of note and channel (a compact way to write sweeps, storms and soaks).
 */
export const SCENARIO_FORMAT_VERSION = 1;

/**
 * Longest scenario timeline: 1 hour (the soak, the longest shipped scenario, runs 10 minutes). Bounds
 * every time in the file, so `atMs: 1e300` is refused when the file is read, not when the run fails.
 */
export const MAX_SCENARIO_MS = 3_600_000;
/** Most events after expanding repeat groups and MIDI files (the soak has 17 980). */
export const MAX_SCENARIO_EVENTS = 50_000;

/** The tags a scenario may carry (`rig hil --tag`). */
export const SCENARIO_TAGS = ['smoke', 'nightly-only', 'mpe', 'osc', 'latency', 'stress'] as const;

export const transportSchema = z.enum(['socket', 'osc', 'midi']);
export type Transport = z.infer<typeof transportSchema>;

const channel = z.number().int().min(0).max(15);
const note = z.number().int().min(0).max(127);
const timeMs = z.number().min(0).max(MAX_SCENARIO_MS);
const time = {
  atMs: timeMs.optional(),
  /** At most an hour at the highest scenario rate (192 kHz). */
  atSamples: z.number().int().min(0).max((MAX_SCENARIO_MS / 1000) * 192_000).optional(),
  transport: transportSchema.optional(),
};

const noteOn = z.strictObject({ ...time, type: z.literal('noteOn'), channel, note, velocity: z.number().int().min(1).max(127) });
const noteOff = z.strictObject({ ...time, type: z.literal('noteOff'), channel, note, velocity: z.number().int().min(0).max(127).default(0) });
const mpe = z.strictObject({
  ...time,
  type: z.literal('mpe'),
  channel,
  pressure: z.number().min(0).max(1).optional(),
  bend: z.number().min(-1).max(1).optional(),
  timbre: z.number().min(0).max(1).optional(),
});
const param = z.strictObject({ ...time, type: z.literal('param'), name: z.string().min(1).max(100), value: z.number() });
const panic = z.strictObject({ ...time, type: z.literal('panic') });
/** An effect scenario's preset load (`/<engine>/preset/load "name"`): a name in the scenario's presets folder or the shipped ones. */
const preset = z.strictObject({ ...time, type: z.literal('preset'), name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected a preset name (letters, digits, "_", "-", ".")') });
const oscMessage = z.strictObject({
  ...time,
  type: z.literal('osc'),
  address: z.string().max(200).regex(/^\//, 'expected an OSC address starting with "/"'),
  args: z.array(z.union([z.number(), z.string().max(1000)])).max(64).default([]),
});

export const scenarioEventSchema = z.discriminatedUnion('type', [noteOn, noteOff, mpe, param, panic, oscMessage, preset]);
export type ScenarioEventInput = z.input<typeof scenarioEventSchema>;

export const repeatGroupSchema = z.strictObject({
  type: z.literal('repeat'),
  atMs: timeMs.default(0),
  count: z.number().int().min(1).max(MAX_SCENARIO_EVENTS),
  everyMs: z.number().positive().max(MAX_SCENARIO_MS),
  /** Added to `note` on each repetition (wrapping inside 0…127). */
  noteStep: z.number().int().min(-127).max(127).default(0),
  /** Added to `channel` on each repetition (wrapping inside `channelRange`). */
  channelStep: z.number().int().min(-15).max(15).default(0),
  channelRange: z.tuple([channel, channel]).default([0, 15]),
  events: z.array(scenarioEventSchema).min(1).max(1000),
});

/** One timeline entry: an event or a repeat group, told apart by `type` (so an error names what was expected). */
export const timelineItemSchema = z.discriminatedUnion('type', [noteOn, noteOff, mpe, param, panic, oscMessage, preset, repeatGroupSchema]);

const latencyBudget = z.strictObject({
  p50Ms: z.number().positive().optional(),
  p95Ms: z.number().positive().optional(),
  p99Ms: z.number().positive().optional(),
  maxMs: z.number().positive().optional(),
});

export const budgetsSchema = z.strictObject({
  latency: latencyBudget.default({ p99Ms: 5 }),
  /** Standard deviation of event-to-transducer latency. */
  jitterMs: z.number().positive().optional(),
  /** Largest spread of onset times across the transducers one event drives, beyond the expected spread. */
  skewMs: z.number().positive().optional(),
  dropouts: z.number().int().min(0).default(0),
  /**
   * Underruns of the server's output ring that were the server's: not during a machine stall as long as the
   * render-ahead cushion, a frame jump, or a cycle the audio server ran early (dropoutAttribution.ts). A
   * block the server did not have ready, whether or not the content showed it (a silent moment hides one).
   * Not set: listed, not checked.
   */
  serverUnderruns: z.number().int().min(0).optional(),
  clippedSamples: z.number().int().min(0).default(0),
  /** Largest content residual (capture vs offline render) in dB below the render's level. */
  contentResidualDb: z.number().max(0).optional(),
  /** Effect scenarios: the effect's input → output latency (engine input to capture), ms, on every channel. */
  effectLatencyMs: z.number().positive().optional(),
  /**
   * Effect scenarios: the click-free bound. After every parameter change, over the engine's smoothing
   * time and a period, the capture's largest sample step may exceed the largest step of the offline
   * render (the engine with its smoothing, scaled by the path gain) by at most this many dB.
   */
  clickStepDb: z.number().min(0).max(40).default(1),
});
export type Budgets = z.infer<typeof budgetsSchema>;

export const expectationsSchema = z.strictObject({
  /** The pool steal policy the engine must be seen to apply (pool-exhaustion scenarios). */
  stealPolicy: z.enum(['drop', 'oldest', 'quietest']).optional(),
  /** Per-transducer arrival times must follow distance / wave speed (travelling-wave scenarios). */
  arrivalFollowsWaveSpeed: z.boolean().optional(),
  /** The output must be silent this long after the last event (panic, release). */
  silentAfterMs: z.number().min(0).optional(),
  /** Active stimuli must never exceed the pool capacities. */
  poolsNeverExceedCapacity: z.boolean().optional(),
});

/**
 * An effect scenario's programme material: what the rig server feeds the effect (`rig serve --input` /
 * `--noise` / `--tone`). `file`: a WAV (path relative to the scenario) played in a loop from its first
 * sample; `noise`: seeded uniform white noise in [−amplitude, amplitude) per input; `tone`: a sine.
 */
export const programmeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('noise'), seed: z.number().int().min(0).max(2 ** 32 - 1).default(1), amplitude: z.number().positive().max(1).default(0.25) }),
  z.strictObject({ kind: z.literal('tone'), frequencyHz: z.number().positive().max(20_000), amplitude: z.number().positive().max(1).default(0.25) }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1).max(500) }),
]);
export type Programme = z.infer<typeof programmeSchema>;

export const scenarioSchema = z.strictObject({
  /** The JSON Schema an editor validates the file with (schemas/scenario.schema.json); ignored here. */
  $schema: z.string().optional(),
  formatVersion: z.literal(SCENARIO_FORMAT_VERSION),
  description: z.string().max(2000).default(''),
  /** Smoke scenarios run in CI on the jack rig; nightly-only ones (the soak) are skipped by npm test. */
  tags: z.array(z.enum(SCENARIO_TAGS)).default([]),
  sampleRate: z.number().int().min(8000).max(192000).default(48000),
  /** The registered engine the rig server runs (the bundled haptic engine, or the user's own). */
  engineName: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a registered engine name, e.g. "haptic"').default('haptic'),
  /**
   * `instrument`: events drive the engine (latency of every note-on). `effect`: programme material runs
   * through the engine while the timeline automates its parameters and loads presets (content against
   * the offline render, the effect's latency, the click-free bound on every change).
   */
  kind: z.enum(['instrument', 'effect']).default('instrument'),
  /** Effect scenarios: the programme material (required there). */
  programme: programmeSchema.optional(),
  /** Effect scenarios: a folder (relative to the scenario) of presets the timeline may load, `<engine>/<name>.json`, before the shipped ones. */
  presetsDir: z.string().min(1).max(500).optional(),
  /** That engine's parameters for the run (validated by the engine's own schema). */
  engine: z.record(z.string(), z.unknown()).default({}),
  defaultTransport: transportSchema.default('socket'),
  /**
   * Timestamped sending: every command carries a timestamp this far ahead of the moment it is sent (an
   * OSC bundle time tag; an IPC frame's epochMs timestamp), so the server applies it at a fixed offset
   * instead of at its next block. The latency is then that offset plus the server's margin, buffering
   * and path, and its jitter is the clock map's — not a period's wait. Default: no timestamps.
   */
  scheduleAheadMs: z.number().min(0).max(1000).optional(),
  /** Length of the run after the first event; default: the last event plus 1 s. */
  durationMs: z.number().positive().max(MAX_SCENARIO_MS).optional(),
  /** A Standard MIDI File (path relative to the scenario) whose events are added to the timeline. */
  midiFile: z.string().max(500).optional(),
  timeline: z.array(timelineItemSchema).max(MAX_SCENARIO_EVENTS).default([]),
  expect: expectationsSchema.default({}),
  budgets: budgetsSchema.prefault({}),
}).superRefine((s, ctx) => {
  if (s.kind === 'effect' && !s.programme) ctx.addIssue({ code: 'custom', path: ['programme'], message: 'an effect scenario needs its programme material ({ "kind": "noise" | "tone" | "file", … })' });
  if (s.kind !== 'effect' && s.programme) ctx.addIssue({ code: 'custom', path: ['programme'], message: 'programme material is for effect scenarios ("kind": "effect")' });
  if (s.kind !== 'effect' && s.timeline.some((e) => e.type === 'preset')) ctx.addIssue({ code: 'custom', path: ['timeline'], message: 'preset loads are for effect scenarios ("kind": "effect")' });
});
export type Scenario = z.infer<typeof scenarioSchema>;
