import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { describeIssues } from '../../src/engine/params.ts';
import { JsonTextError, parseJsonText } from '../../src/io/jsonText.ts';
import { MAX_SCENARIO_EVENTS, MAX_SCENARIO_MS, type Scenario, type Transport, scenarioSchema } from './scenarioSchema.ts';
import { midiFileToTimeline } from './midiImport.ts';

/** Problems named in an error message; the rest are counted ("and 49 990 more"). */
const MAX_LISTED_PROBLEMS = 10;

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    if (problems.length > listed.length) listed.push(`and ${problems.length - listed.length} more`);
    super(`${file}: ${listed.join('; ')}`);
    this.name = 'ScenarioError';
  }
}

/** One event of the expanded timeline, in time order. */
export type TimelineEvent =
  | { type: 'noteOn'; channel: number; note: number; velocity: number }
  | { type: 'noteOff'; channel: number; note: number; velocity: number }
  | { type: 'mpe'; channel: number; pressure?: number; bend?: number; timbre?: number }
  | { type: 'param'; name: string; value: number }
  | { type: 'panic' }
  | { type: 'osc'; address: string; args: Array<number | string> }
  | { type: 'preset'; name: string };

export type TimedScenarioEvent = TimelineEvent & {
  /** Position on the scenario's timeline, in samples at the scenario's sample rate. */
  atFrame: number;
  atMs: number;
  transport: Transport;
  /** Where it came from, for reports: "timeline[3]", "timeline[2].events[0] #17", "midi track 1". */
  origin: string;
};

export interface LoadedScenario {
  name: string;
  file: string;
  scenario: Scenario;
  events: TimedScenarioEvent[];
  /** Length of the run in samples (events plus tail). */
  durationFrames: number;
}

/** Parses strict JSON, placing a syntax error (or excessive nesting) at its line and column. */
function parseScenarioJson(text: string, file: string): unknown {
  try {
    return parseJsonText(text, file);
  } catch (e) {
    if (e instanceof JsonTextError) throw new ScenarioError(file, [`invalid JSON at line ${e.line}, column ${e.column}: ${e.reason}`]);
    throw e;
  }
}

/** Events a timeline expands to (repeat groups counted out), known before anything is expanded. */
function expandedEventCount(scenario: Scenario): number {
  return scenario.timeline.reduce((n, item) => n + (item.type === 'repeat' ? item.count * item.events.length : 1), 0);
}

/** Loads a scenario file (.json, or a Standard MIDI File .mid imported with default budgets). */
export function loadScenario(file: string): LoadedScenario {
  const name = basename(file, extname(file));
  let raw: unknown;
  if (extname(file).toLowerCase() === '.mid' || extname(file).toLowerCase() === '.midi') {
    raw = { formatVersion: 1, description: `imported from ${basename(file)}`, midiFile: basename(file) };
  } else {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ScenarioError(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
    raw = parseScenarioJson(text, file);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, describeIssues(parsed.error, raw).map((s) => s.replace(/^/, 'at ')));
  const scenario = parsed.data;
  const planned = expandedEventCount(scenario);
  if (planned > MAX_SCENARIO_EVENTS) {
    throw new ScenarioError(file, [`at timeline: expands to ${planned} events, expected at most ${MAX_SCENARIO_EVENTS} (split the scenario or lower the repeat counts)`]);
  }
  return expandScenario(name, file, scenario);
}

/** A validated scenario's timeline expanded (repeat groups, MIDI file) into events on frames, and its length. */
function expandScenario(name: string, file: string, scenario: Scenario, limits = { maxMs: MAX_SCENARIO_MS, maxEvents: MAX_SCENARIO_EVENTS }): LoadedScenario {
  const problems: string[] = [];
  const events: TimedScenarioEvent[] = [];
  const msToFrame = (ms: number) => Math.round((ms * scenario.sampleRate) / 1000);

  const place = (e: Record<string, unknown>, where: string, offsetMs: number, shift?: { note: number; channel: number }) => {
    const hasMs = e.atMs !== undefined;
    const hasSamples = e.atSamples !== undefined;
    if (hasMs === hasSamples) {
      problems.push(`at ${where}: expected exactly one of "atMs" or "atSamples"`);
      return;
    }
    const atFrame = hasMs ? msToFrame(offsetMs + (e.atMs as number)) : msToFrame(offsetMs) + (e.atSamples as number);
    // The rest of the event is a fresh object: completed in place (as a copy with these keys spread after would be).
    const { atMs: _a, atSamples: _s, transport, ...ev } = e as TimelineEvent & Record<string, unknown>;
    if (shift && 'note' in ev) ev.note = (((ev.note as number) + shift.note) % 128 + 128) % 128;
    if (shift && 'channel' in ev) ev.channel = shift.channel;
    Object.assign(ev, { atFrame, atMs: (atFrame * 1000) / scenario.sampleRate, transport: (transport as Transport) ?? scenario.defaultTransport, origin: where });
    events.push(ev as unknown as TimedScenarioEvent);
  };

  scenario.timeline.forEach((item, i) => {
    if (item.type !== 'repeat') {
      place(item as Record<string, unknown>, `timeline[${i}]`, 0);
      return;
    }
    const [lo, hi] = item.channelRange;
    if (hi < lo) problems.push(`at timeline[${i}].channelRange: expected [low, high] with low ≤ high`);
    const span = hi - lo + 1;
    for (let r = 0; r < item.count; r++) {
      item.events.forEach((e, k) => {
        const baseChannel = 'channel' in e ? (e.channel as number) : lo;
        const channel = lo + ((((baseChannel - lo + r * item.channelStep) % span) + span) % span);
        place(e as Record<string, unknown>, `timeline[${i}].events[${k}] #${r}`, item.atMs + r * item.everyMs, { note: r * item.noteStep, channel });
      });
    }
  });
  if (scenario.midiFile) {
    const midiPath = resolve(dirname(file), scenario.midiFile);
    try {
      for (const e of midiFileToTimeline(midiPath)) {
        const atFrame = msToFrame(e.atMs);
        events.push({ ...e.event, atFrame, atMs: (atFrame * 1000) / scenario.sampleRate, transport: scenario.defaultTransport, origin: e.origin });
      }
    } catch (err) {
      problems.push(`midiFile "${scenario.midiFile}": ${(err as Error).message}`);
    }
  }
  const lateEvent = events.find((e) => e.atMs > limits.maxMs);
  if (lateEvent) problems.push(`at ${lateEvent.origin}: falls at ${(lateEvent.atMs / 1000).toFixed(1)} s, expected at most ${limits.maxMs / 1000} s into the scenario`);
  if (events.length > limits.maxEvents) problems.push(`has ${events.length} events with its MIDI file, expected at most ${limits.maxEvents}`);
  if (problems.length) throw new ScenarioError(file, problems);
  events.sort((a, b) => a.atFrame - b.atFrame);
  const lastFrame = events.length ? events[events.length - 1].atFrame : 0;
  const durationFrames = scenario.durationMs !== undefined ? msToFrame(scenario.durationMs) : lastFrame + scenario.sampleRate;
  if (durationFrames < lastFrame) {
    throw new ScenarioError(file, [`at durationMs: got ${scenario.durationMs}, expected at least the last event's time (${((lastFrame * 1000) / scenario.sampleRate).toFixed(1)} ms)`]);
  }
  return { name, file, scenario, events, durationFrames };
}

/** The longest soak `--soak-minutes` runs (24 hours). */
export const MAX_SOAK_MINUTES = 1440;

/**
 * The scenario lengthened or shortened to `minutes` whole minutes (`--soak-minutes`): its durationMs keeps
 * its part past the whole minutes (the soak's 0.5 s of tail), and every repeat group plays as many more
 * (or fewer) rounds as fit the difference, so the pattern runs to the new end.
 */
export function withDurationMinutes(loaded: LoadedScenario, minutes: number): LoadedScenario {
  const s = loaded.scenario;
  if (s.durationMs === undefined) throw new ScenarioError(loaded.file, ['has no durationMs, so it cannot be set to a number of minutes']);
  if (!(minutes > 0)) throw new ScenarioError(loaded.file, [`cannot run for ${minutes} minutes (expected a positive number)`]);
  if (minutes > MAX_SOAK_MINUTES) throw new ScenarioError(loaded.file, [`cannot run for ${minutes} minutes (expected at most ${MAX_SOAK_MINUTES}: 24 hours)`]);
  const deltaMs = minutes * 60_000 - Math.floor(s.durationMs / 60_000) * 60_000;
  const timeline = s.timeline.map((item) => item.type === 'repeat' ? { ...item, count: Math.max(1, item.count + Math.round(deltaMs / item.everyMs)) } : item);
  // A file is bounded at an hour and 50 000 events; a soak asked for by minutes, by those minutes.
  const scale = Math.max(1, (minutes * 60_000 + 60_000) / s.durationMs);
  const limits = { maxMs: Math.max(MAX_SCENARIO_MS, minutes * 60_000 + 60_000), maxEvents: Math.max(MAX_SCENARIO_EVENTS, Math.ceil(loaded.events.length * scale)) };
  return expandScenario(loaded.name, loaded.file, { ...s, durationMs: s.durationMs + deltaMs, timeline }, limits);
}
