import { z } from 'zod';

/**
 * One leaf of an engine's parameter schema, as the page's panel draws it: a slider (number, integer),
 * a select (enum), a checkbox (boolean), one slider per element (an array of numbers: per-line
 * damping, mode shapes) or read-only text (anything else: objects in arrays, records).
 * `live` names the parameters the engine takes at any sample through Param events (its `paramNames`),
 * ramped by its own smoothing; any other change rebuilds the engine.
 */
export interface ParamDescriptor {
  /** Dotted path in the params object ("envelope.attackMs"). */
  path: string;
  kind: 'number' | 'integer' | 'enum' | 'boolean' | 'numberArray' | 'other';
  min?: number;
  max?: number;
  /** Unit read from the name's suffix (`…Ms` → ms, `…Hz` → Hz, `…Db` → dB, …), or '' for none. */
  unit: string;
  options?: string[];
  /** Element count bounds of a numberArray. */
  minItems?: number;
  maxItems?: number;
  /** A plain number also accepted where an array is (reverb `damping`: one for all lines or one per line). */
  scalarOrArray?: boolean;
  nullable: boolean;
  optional: boolean;
  default?: unknown;
  live: boolean;
}

/** Suffixes of the project's unit-in-name convention, longest first. */
const UNIT_SUFFIXES: [RegExp, string][] = [
  [/Seconds$/, 's'], [/Ms$/, 'ms'], [/Hz$/, 'Hz'], [/Db$/, 'dB'], [/Dbfs$/, 'dBFS'], [/Mps$/, 'm/s'],
  [/Kbps$/, 'kbit/s'], [/Percent$/, '%'], [/Samples$/, 'samples'], [/M$/, 'm'],
];

export function unitOfName(path: string): string {
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  for (const [re, unit] of UNIT_SUFFIXES) if (re.test(leaf)) return unit;
  return '';
}

type Json = Record<string, unknown>;

/** The non-null branches of a JSON Schema node (anyOf / nullable unions), and whether null was one. */
function branches(node: Json): { list: Json[]; nullable: boolean } {
  const anyOf = node.anyOf as Json[] | undefined;
  if (!anyOf) return { list: [node], nullable: false };
  const list = anyOf.filter((b) => b.type !== 'null');
  return { list, nullable: list.length < anyOf.length };
}

function leaf(path: string, node: Json, optional: boolean, live: ReadonlySet<string>): ParamDescriptor {
  const { list, nullable } = branches(node);
  const base = { path, unit: unitOfName(path), nullable, optional, default: node.default, live: live.has(path) };
  const num = list.find((b) => b.type === 'number' || b.type === 'integer');
  const arr = list.find((b) => b.type === 'array' && ['number', 'integer'].includes((b.items as Json | undefined)?.type as string));
  if (arr) {
    const items = arr.items as Json;
    return { ...base, kind: 'numberArray', min: items.minimum as number, max: items.maximum as number, minItems: arr.minItems as number | undefined, maxItems: arr.maxItems as number | undefined, scalarOrArray: num !== undefined };
  }
  if (num) return { ...base, kind: num.type === 'integer' ? 'integer' : 'number', min: num.minimum as number | undefined, max: num.maximum as number | undefined };
  const en = list.find((b) => Array.isArray(b.enum));
  if (en) return { ...base, kind: 'enum', options: (en.enum as unknown[]).map(String) };
  if (list.some((b) => b.type === 'boolean')) return { ...base, kind: 'boolean' };
  return { ...base, kind: 'other' };
}

function walk(node: Json, prefix: string, live: ReadonlySet<string>, out: ParamDescriptor[]): void {
  const props = (node.properties as Record<string, Json> | undefined) ?? {};
  const required = new Set((node.required as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const childProps = child.type === 'object' ? child.properties : undefined;
    if (childProps) walk(child, path, live, out);
    else out.push(leaf(path, child, !required.has(key) && child.default === undefined, live));
  }
}

/**
 * Every leaf parameter of an engine's zod schema with its range, unit, options and default, in schema
 * order (zod's JSON Schema of the input side: what a preset file may say). `liveNames` is the engine's
 * `paramNames`.
 */
export function describeParameters(schema: z.ZodType, liveNames: readonly string[] = []): ParamDescriptor[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const out: ParamDescriptor[] = [];
  walk(json, '', new Set(liveNames), out);
  return out;
}
