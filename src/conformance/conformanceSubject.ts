import type { EngineEntry } from '../engine/engineDefinition.ts';
import { type TimedEvent, at } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import type { ConformanceSubject } from './checks.ts';

/**
 * The default performance for an instrument under test (0.25 s): notes on three channels at odd
 * offsets (so events fall inside blocks at every block size), an MPE bend, pressure and timbre on a held
 * note, a note-off, a retrigger and a panic.
 */
export function defaultPerformance(sampleRate: number): TimedEvent[] {
  const f = (s: number) => Math.round(s * sampleRate);
  return [
    at.noteOn(f(0.001) + 3, 0, 60, 100),
    at.noteOn(f(0.011) + 7, 1, 67, 64),
    at.pitchBend(f(0.03) + 11, 0, 0.25),
    at.pressure(f(0.04) + 5, 0, 0.7),
    at.timbre(f(0.05) + 13, 1, 0.2),
    at.noteOff(f(0.08) + 17, 1, 67),
    at.noteOn(f(0.1) + 19, 2, 72, 110),
    at.noteOff(f(0.14) + 1, 0, 60),
    at.noteOn(f(0.16) + 23, 0, 48, 90),
    at.panic(f(0.21) + 29),
  ];
}

/**
 * A conformance subject for a registered engine with `params` (validated by its schema; default: every
 * parameter's default): an effect gets the suite's seeded noise bursts, an instrument the default
 * performance, unless the entry's `conformance` says how to drive it.
 */
export function conformanceSubject(entry: EngineEntry, params: unknown = {}, name = entry.engine): ConformanceSubject {
  const validated = parseParams(entry.paramsSchema, params, `${entry.engine} parameters`);
  const c = entry.conformance ?? {};
  return {
    name,
    create: () => entry.create(validated),
    events: c.events ?? (entry.kind === 'instrument' ? defaultPerformance : undefined),
    input: c.input,
    seconds: c.seconds,
  };
}
