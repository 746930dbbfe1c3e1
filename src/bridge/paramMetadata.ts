import type { z } from 'zod';
import type { EngineEntry } from '../engine/engineDefinition.ts';

/** What a page needs to draw a knob for one automatable parameter (an engine's `paramNames` entry). */
export interface ParamMetadata {
  /** The name SET_PARAM takes: a dotted path into the engine's parameters ("bitcrush.bitDepth"). */
  name: string;
  /** The parameter's index in Param events (the engine's `paramNames` order). */
  index: number;
  min: number | null;
  max: number | null;
  /** The value with no preset (the schema's default, after its transforms); null = "follows another". */
  default: number | null;
  unit: string;
  integer: boolean;
  /** Null is allowed (e.g. rt60HighSeconds null = follows rt60Seconds). */
  nullable: boolean;
}

interface ZodDef { type: string; innerType?: unknown; in?: unknown; shape?: Record<string, unknown> }
type Internal = { _zod: { def: ZodDef }; minValue?: number | null; maxValue?: number | null; isInt?: boolean };

/** Units from the project's naming rule (units in names): the suffix says it. */
const UNIT_SUFFIXES: readonly [RegExp, string][] = [
  [/Seconds$/, 's'], [/Ms$/, 'ms'], [/Db$/, 'dB'], [/Hz$/, 'Hz'], [/Percent$/, '%'], [/Mps$/, 'm/s'],
  [/Samples$/, 'samples'], [/M$/, 'm'], [/Depth$/, 'bits'],
];

export function unitOf(name: string): string {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  return UNIT_SUFFIXES.find(([re]) => re.test(leaf))?.[1] ?? '';
}

/** Unwraps defaults, optionals, nullables and pipes down to the schema that says what the value is. */
function unwrap(schema: unknown): { leaf: Internal; nullable: boolean } {
  let s = schema as Internal;
  let nullable = false;
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'nullable') nullable = true;
    if (def.innerType) s = def.innerType as Internal;
    else if (def.type === 'pipe' && def.in) s = def.in as Internal;
    else return { leaf: s, nullable };
  }
}

/** The schema of the value at a dotted path of an object schema, or undefined. */
function schemaAt(schema: z.ZodType, path: readonly string[]): unknown {
  let s: unknown = schema;
  for (const key of path) {
    const { leaf } = unwrap(s);
    const shape = leaf._zod.def.shape;
    if (leaf._zod.def.type !== 'object' || !shape || !Object.hasOwn(shape, key)) return undefined;
    s = shape[key];
  }
  return s;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * The metadata of every automatable parameter of an engine: ranges from its zod schema's number checks,
 * defaults from the schema's own output for `{}` (so a default set by a transform, such as the
 * reverb's rt60Seconds 2 s, is the one reported), the unit from the name's suffix.
 */
export function paramMetadata(entry: EngineEntry, paramNames: readonly string[]): ParamMetadata[] {
  const defaults = entry.paramsSchema.safeParse({});
  return paramNames.map((name, index) => {
    const path = name.split('.');
    const found = schemaAt(entry.paramsSchema, path);
    const { leaf, nullable } = found === undefined ? { leaf: undefined, nullable: false } : unwrap(found);
    const isNumber = leaf?._zod.def.type === 'number';
    const d = defaults.success ? valueAt(defaults.data, path) : undefined;
    return {
      name, index,
      min: isNumber && Number.isFinite(leaf?.minValue) ? (leaf?.minValue as number) : null,
      max: isNumber && Number.isFinite(leaf?.maxValue) ? (leaf?.maxValue as number) : null,
      default: typeof d === 'number' ? d : null,
      unit: unitOf(name),
      integer: Boolean(isNumber && leaf?.isInt),
      nullable,
    };
  });
}

/** The values of `paramNames` in a parsed parameter set (a preset's), in order; null where not a number. */
export function paramValues(params: unknown, paramNames: readonly string[]): (number | null)[] {
  return paramNames.map((n) => {
    const v = valueAt(params, n.split('.'));
    return typeof v === 'number' ? v : null;
  });
}
