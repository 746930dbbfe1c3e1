import type { z } from 'zod';
import { ParamError, describeIssues, parseParams, previewValue } from '../../engine/params.ts';
import { type EngineEntry, engineEntry, engineNames } from '../../presets/engineRegistry.ts';
import type { Performance } from '../../presets/performance.ts';
import { type ParamDescriptor, describeParameters } from './paramDescriptors.ts';
import { getAtPath as getAt, setAtPath } from './paramPath.ts';

/** The parameters of one engine as the dev server holds them, with the preset they came from. */
interface EngineParams {
  entry: EngineEntry;
  descriptors: ParamDescriptor[];
  byPath: Map<string, ParamDescriptor>;
  /** The input-side params object (what a preset file says; defaults left to the schema). */
  values: Record<string, unknown>;
  preset: string | null;
  performance?: Performance;
}

/** A parameter change as every page hears it (`parameterChanged`). */
export interface ParameterChange {
  engine: string;
  name: string;
  value: unknown;
  /** The connection that made it (a page ignores its own echo), or null for the server. */
  origin: string | null;
}

/**
 * The current parameters of every registered engine, shared by all connected pages: one change is
 * validated against the engine's whole zod schema (cross-key rules included) before it is kept, so
 * the store never holds parameters the engine would refuse. Values are the input side (a preset
 * file's `params`); `effective()` is the parsed output with every default filled in.
 */
export class ParameterStore {
  private readonly engines = new Map<string, EngineParams>();

  engineNames(): string[] {
    return engineNames();
  }

  private state(engine: unknown): EngineParams {
    if (typeof engine !== 'string') throw new ParamError('engine', [`got ${previewValue(engine)}, expected one of ${engineNames().join(', ')}`]);
    let s = this.engines.get(engine);
    if (!s) {
      let entry: EngineEntry;
      try {
        entry = engineEntry(engine);
      } catch {
        throw new ParamError('engine', [`got ${previewValue(engine)}, expected one of ${engineNames().join(', ')}`]);
      }
      const live = entry.create(parseParams(entry.paramsSchema, {}, engine)).paramNames;
      const descriptors = describeParameters(entry.paramsSchema as z.ZodType, live);
      s = { entry, descriptors, byPath: new Map(descriptors.map((d) => [d.path, d])), values: {}, preset: null };
      this.engines.set(engine, s);
    }
    return s;
  }

  descriptors(engine: unknown): ParamDescriptor[] {
    return this.state(engine).descriptors;
  }

  /** The parsed parameters (defaults filled in): what the engine is built from. */
  effective(engine: unknown): Record<string, unknown> {
    const s = this.state(engine);
    return parseParams(s.entry.paramsSchema, s.values, `${s.entry.engine} parameters`) as Record<string, unknown>;
  }

  values(engine: unknown): Record<string, unknown> {
    return structuredClone(this.state(engine).values);
  }

  preset(engine: unknown): { name: string | null; performance?: Performance } {
    const s = this.state(engine);
    return { name: s.preset, performance: s.performance };
  }

  private descriptor(engine: unknown, name: unknown): ParamDescriptor {
    const s = this.state(engine);
    const d = typeof name === 'string' ? s.byPath.get(name) : undefined;
    if (!d) {
      const known = s.descriptors.map((x) => x.path);
      throw new ParamError('name', [`got ${previewValue(name)}, expected a ${s.entry.engine} parameter: ${known.slice(0, 40).join(', ')}${known.length > 40 ? ', …' : ''}`]);
    }
    return d;
  }

  /** The parameter's value as the engine sees it (its default when never set). */
  get(engine: unknown, name: unknown): unknown {
    const d = this.descriptor(engine, name);
    return getAt(this.effective(engine), d.path) ?? null;
  }

  /**
   * Sets one parameter (null clears an optional one back to its default). Throws a ParamError naming
   * the parameter, the value and the expected range when the schema refuses the result; the stored
   * parameters are unchanged then.
   */
  set(engine: unknown, name: unknown, value: unknown): { name: string; value: unknown } {
    const s = this.state(engine);
    const d = this.descriptor(engine, name);
    const candidate = structuredClone(s.values);
    setAtPath(candidate, d.path, value === null && !d.nullable ? undefined : value);
    const parsed = s.entry.paramsSchema.safeParse(candidate);
    if (!parsed.success) {
      const range = d.min !== undefined ? ` (range ${d.min}…${d.max}${d.unit ? ` ${d.unit}` : ''})` : '';
      throw new ParamError('value', describeIssues(parsed.error, candidate).map((i) => `${i}${range}`));
    }
    s.values = candidate;
    return { name: d.path, value: getAt(candidate, d.path) ?? null };
  }

  /** Replaces an engine's parameters with a preset's (validated by the preset loader). */
  load(engine: unknown, preset: { name: string; params: unknown; performance?: Performance }): void {
    const s = this.state(engine);
    s.values = structuredClone(preset.params) as Record<string, unknown>;
    s.preset = preset.name;
    s.performance = preset.performance;
  }
}
