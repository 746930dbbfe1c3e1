import { z } from 'zod';
import { ParamError, parseParams, previewValue } from '../engine/params.ts';
import { engineEntry } from '../presets/engineRegistry.ts';

/** The values a tuner sets and reads: parameter name → number (null where the engine allows "not set"). */
export type TunableValues = Record<string, number | null>;

/** One parameter a tuner may change, with the range the engine's schema allows. */
export interface TunableParam {
  /** The engine's own name (its `paramNames`): `wetDry`, `bitcrush.bitDepth`. */
  name: string;
  minimum: number;
  maximum: number;
  integer: boolean;
  /** The schema accepts null (e.g. reverb `rt60HighSeconds`: null follows `rt60Seconds`). */
  nullable: boolean;
}

/**
 * Parameters that exclude each other: setting one removes the other from the parameter set (reverb
 * pre-delay is either `preDelayMs` or `preDelaySamples`; the schema refuses both).
 */
const EXCLUSIVE_PAIRS: readonly (readonly [string, string])[] = [['preDelayMs', 'preDelaySamples']];

type JsonSchemaNode = {
  type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number;
  anyOf?: JsonSchemaNode[]; properties?: Record<string, JsonSchemaNode>;
};

function leafAt(root: JsonSchemaNode, name: string): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const key of name.split('.')) node = node?.properties?.[key];
  return node;
}

function rangeOf(leaf: JsonSchemaNode | undefined, name: string, engine: string): TunableParam {
  const numeric = leaf?.anyOf ? leaf.anyOf.find((n) => n.type === 'number' || n.type === 'integer') : leaf;
  if (!numeric || (numeric.type !== 'number' && numeric.type !== 'integer')) {
    throw new Error(`${engine}: parameter "${name}" is not a number in the engine's schema; a tuner sets numbers only`);
  }
  return {
    name,
    minimum: numeric.minimum ?? numeric.exclusiveMinimum ?? -Number.MAX_VALUE,
    maximum: numeric.maximum ?? numeric.exclusiveMaximum ?? Number.MAX_VALUE,
    integer: numeric.type === 'integer',
    nullable: Boolean(leaf?.anyOf?.some((n) => n.type === 'null')),
  };
}

const cache = new Map<string, readonly TunableParam[]>();

/**
 * The parameters a tuner may change: the engine's `paramNames` (the ones Param events and the OSC
 * bridge change while it runs, smoothed), each with its range from the engine's zod schema (read
 * through its JSON Schema, input side). Offline and live tune the same set, so a tuning session means
 * the same thing in both modes; structural parameters (reverb `lines`, lossy `codec.*`) are the
 * preset's and fixed for the session.
 */
export function tunableParams(engine: string): readonly TunableParam[] {
  const known = cache.get(engine);
  if (known) return known;
  const entry = engineEntry(engine);
  const names = entry.create(entry.paramsSchema.parse({})).paramNames;
  const root = z.toJSONSchema(entry.paramsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const params = names.map((n) => rangeOf(leafAt(root, n), n, engine));
  cache.set(engine, params);
  return params;
}

/** "0…1", "0…24000 (whole numbers)", "0.05…30 or null". */
export function describeRange(p: TunableParam): string {
  return `${p.minimum}…${p.maximum}${p.integer ? ' (whole numbers)' : ''}${p.nullable ? ' or null' : ''}`;
}

/** The value of a dotted parameter name in a parameter object (null when absent or null). */
export function valueAt(params: unknown, name: string): number | null {
  let v: unknown = params;
  for (const key of name.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : null;
}

/** The tunable values of a parameter object, in the engine's order. */
export function tunableValuesOf(engine: string, params: unknown): TunableValues {
  return Object.fromEntries(tunableParams(engine).map((p) => [p.name, valueAt(params, p.name)]));
}

/**
 * Checks a partial set of values by name, type and range, and returns it typed. Every problem is one
 * issue naming the parameter, the value and what is allowed, e.g.
 * `wetDry: got 2, allowed 0…1` or `wet: unknown parameter; reverb parameters: wetDry, feedbackGain, …`.
 * Throws a ParamError naming `source`.
 */
export function checkTunableValues(engine: string, partial: unknown, source: string): TunableValues {
  const params = tunableParams(engine);
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new ParamError(source, [`got ${previewValue(partial)}, expected an object of parameter name → number`]);
  }
  const issues: string[] = [];
  const out: TunableValues = {};
  for (const [name, value] of Object.entries(partial)) {
    const p = params.find((q) => q.name === name);
    const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
    if (!p) {
      issues.push(`${JSON.stringify(shown)}: unknown parameter; ${engine} parameters: ${params.map((q) => q.name).join(', ')}`);
      continue;
    }
    const ok = value === null ? p.nullable
      : typeof value === 'number' && Number.isFinite(value) && value >= p.minimum && value <= p.maximum && (!p.integer || Number.isInteger(value));
    if (!ok) {
      issues.push(`${name}: got ${previewValue(value)}, allowed ${describeRange(p)}`);
      continue;
    }
    out[name] = value as number | null;
  }
  if (issues.length) throw new ParamError(source, issues);
  return out;
}

function setAt(params: Record<string, unknown>, name: string, value: number | null): void {
  const keys = name.split('.');
  let node = params;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node[key] = child !== null && typeof child === 'object' ? { ...(child as Record<string, unknown>) } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * `params` with `values` applied (already checked by checkTunableValues), validated again as a whole by
 * the engine's schema (cross-parameter rules, e.g. a reverb low target the shelf cannot meet): returns
 * the parsed parameters or throws a ParamError naming `source`. The input object is not changed.
 */
export function applyTunableValues(engine: string, params: unknown, values: TunableValues, source: string): unknown {
  const next = structuredClone(params) as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    for (const [a, b] of EXCLUSIVE_PAIRS) {
      if (name === a) delete next[b];
      if (name === b) delete next[a];
    }
    setAt(next, name, value);
  }
  return parseParams(engineEntry(engine).paramsSchema, next, source);
}
