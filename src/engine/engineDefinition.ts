import { z } from 'zod';
import type { Engine, PrepareOptions } from './engine.ts';
import type { TimedEvent } from './events.ts';
import { describeIssues } from './params.ts';

/**
 * What the preset system, the golden workflow, the conformance suite, `rig render`, `rig serve` and the
 * HIL need to know about an engine — the one way an engine is registered, bundled or the user's own.
 * - `effect` engines process an input signal (goldens render a fixed test input through them);
 *   `instrument` engines are driven by events (their presets carry a performance).
 * - `version` is recorded in golden sidecars; bump it when unchanged parameters give a new output.
 * - `paramsSchema` (zod ≥ 4) validates preset `params` and `rig serve --config`; `{}` must parse (defaults).
 */
export interface EngineEntry {
  /** The engine's name: the folder of its presets and goldens, so a name and never a path. */
  engine: string;
  kind: 'effect' | 'instrument';
  version: string;
  paramsSchema: z.ZodType;
  /** Builds an engine from parameters already validated by `paramsSchema`. */
  create(params: unknown): Engine;
  description?: string;
  /**
   * Work the engine's builds need done once per thread, given the parameters it runs with: compiling its
   * WebAssembly kernels and warming up (JIT) the other shapes of network a structural change may switch to. A
   * worker host that takes structural changes runs it before its stream starts, so that building and then
   * playing the next engine on its render thread does not do it there.
   */
  prepareThread?: (params: unknown, options: PrepareOptions) => void;
  /**
   * How the conformance suite drives the engine (default: seeded noise bursts on every input for an
   * effect; the ENGINE_TEST_PERFORMANCE notes for an instrument; 0.25 s).
   */
  conformance?: {
    events?: (sampleRate: number) => TimedEvent[];
    input?: (sampleRate: number, frames: number) => Float32Array[];
    seconds?: number;
  };
}

/**
 * Typed helper for writing an entry: `create` receives the schema's output type.
 * `export default defineEngine({ engine: 'tilt-eq', kind: 'effect', version: '1', paramsSchema, create: (p) => new TiltEq(p) })`.
 */
export function defineEngine<S extends z.ZodType>(entry: Omit<EngineEntry, 'paramsSchema' | 'create'> & {
  paramsSchema: S;
  create(params: z.output<S>): Engine;
}): EngineEntry {
  return entry as EngineEntry;
}

/** An engine name: lower-case words joined by '-' (it names folders: never '..', '/' or an absolute path). */
export const ENGINE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const isFunction = (v: unknown) => typeof v === 'function';
/** The shape of an entry, checked when a module hands one in (a user's module may export anything). */
export const engineEntrySchema = z.looseObject({
  engine: z.string().regex(ENGINE_NAME_PATTERN, 'expected an engine name: lower-case words joined by "-", e.g. "tilt-eq"'),
  kind: z.enum(['effect', 'instrument']),
  version: z.string().min(1).max(100),
  paramsSchema: z.custom<z.ZodType>(
    (v) => v !== null && typeof v === 'object' && isFunction((v as z.ZodType).safeParse) && isFunction((v as z.ZodType).prefault),
    'expected a zod (v4) schema',
  ),
  create: z.custom<(params: unknown) => Engine>(isFunction, 'expected a function (params) => Engine'),
  description: z.string().max(500).optional(),
  conformance: z.strictObject({
    events: z.custom<NonNullable<EngineEntry['conformance']>['events']>(isFunction, 'expected a function (sampleRate) => TimedEvent[]').optional(),
    input: z.custom<NonNullable<EngineEntry['conformance']>['input']>(isFunction, 'expected a function (sampleRate, frames) => Float32Array[]').optional(),
    seconds: z.number().positive().max(10).optional(),
  }).optional(),
});

/** Validates an entry handed in from outside (a module's export); the error names `source` and the key. */
export function checkEngineEntry(value: unknown, source: string): EngineEntry {
  const r = engineEntrySchema.safeParse(value);
  if (!r.success) throw new Error(`${source}: ${describeIssues(r.error, value).join('; ')}`);
  const entry = r.data as unknown as EngineEntry;
  const defaults = entry.paramsSchema.safeParse({});
  if (!defaults.success) {
    throw new Error(`${source}: paramsSchema must accept {} (every parameter with a default): ${describeIssues(defaults.error, {}).join('; ')}`);
  }
  return entry;
}
