import type { z } from 'zod';
import { unwrapSchema } from '../engine/schemaLeafKeys.ts';

/** One parameter a live client may set: the engine's own name, its Param event index and its range. */
export interface LiveParam {
  name: string;
  index: number;
  min: number;
  max: number;
  integer: boolean;
}

/** A value of `params/get`: numbers, strings (enums), booleans, null (unset: the engine's rule applies). */
export type FlatValue = number | string | boolean | null;

/**
 * The seed protocol's spellings (snake_case, from the original OSC bridge) beside every engine's own
 * camelCase names: `pre_delay` is in samples. Every own name is also accepted in snake_case
 * (`rt60_seconds`), and a dotted name (`bitcrush.bitDepth`) with '/' for '.' (`bitcrush/bit_depth`).
 */
export const SEED_ALIASES: Readonly<Record<string, string>> = {
  feedback_gain: 'feedbackGain',
  damping_coeffs: 'damping',
  wet_dry: 'wetDry',
  pre_delay: 'preDelaySamples',
};

/** Parameters that exclude each other in a parameter set: setting one unsets the others. */
const EXCLUSIVE: Readonly<Record<string, readonly string[]>> = {
  preDelayMs: ['preDelaySamples'],
  preDelaySamples: ['preDelayMs'],
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The control side's view of a live engine's parameters: which names (and aliases) can be set, the
 * allowed range of each (read from the engine's zod schema: `min`/`max` of its number leaf), and the
 * current parameter set — the engine's parsed parameters with every accepted change written in, so
 * `params/get` and `preset/save` give what the engine is running. Values are checked here before they
 * are queued (the engine would clamp them silently): a refusal names the parameter, the value and the
 * range.
 */
export class LiveParams {
  readonly params: readonly LiveParam[];
  private readonly byName = new Map<string, LiveParam>();
  /** The current parameter set (a deep copy of the engine's parsed params, updated on each change). */
  private current: Record<string, unknown>;

  constructor(readonly engineName: string, paramNames: readonly string[], schema: z.ZodType | undefined, initial: unknown) {
    this.current = structuredClone((initial ?? {}) as Record<string, unknown>);
    this.params = paramNames.map((name, index) => {
      const leaf = schema ? numberLeaf(schema, name.split('.')) : undefined;
      return {
        name, index,
        min: leaf?.minValue ?? Number.NEGATIVE_INFINITY,
        max: leaf?.maxValue ?? Number.POSITIVE_INFINITY,
        integer: leaf?.isInt ?? false,
      };
    });
    for (const p of this.params) {
      this.byName.set(p.name, p);
      this.byName.set(snake(p.name), p);
      this.byName.set(p.name.replaceAll('.', '/'), p);
      this.byName.set(snake(p.name).replaceAll('.', '/'), p);
    }
  }

  /** The parameter a name or alias stands for, or a text saying why there is none. */
  resolve(name: string): LiveParam | string {
    const own = SEED_ALIASES[name] ?? name;
    const p = this.byName.get(own);
    if (p) return p;
    const settable = this.params.map((q) => q.name).join(', ') || 'none';
    const key = this.structuralKey(name);
    if (key !== undefined) {
      return `parameter ${key} is fixed when the engine is built (structure), and this server cannot rebuild the engine live (its engine runs in a worker); restart with --preset (settable live: ${settable})`;
    }
    return `unknown parameter "${name}" for ${this.engineName}; settable: ${settable}, or a structural one (${this.structuralKeys().join(', ') || 'none'})`;
  }

  /**
   * The top-level key a name or alias (`damping_coeffs`, `delay_min_ms`, `lines`) stands for when it is a
   * parameter fixed when the engine is built — one a live change rebuilds the engine for — else undefined.
   */
  structuralKey(name: string): string | undefined {
    const own = SEED_ALIASES[name] ?? name;
    if (this.byName.has(own)) return undefined;
    return this.structuralKeys().find((k) => k === own || snake(k) === own);
  }

  /** The parameter set's top-level keys that are not set live (structure). */
  structuralKeys(): string[] {
    const live = new Set(this.params.map((p) => p.name.split('.')[0]));
    return Object.keys(this.current).filter((k) => !live.has(k));
  }

  /** The error for `values` given to parameter `p`, or undefined when they are fine (one finite number in range). */
  check(p: LiveParam, values: readonly number[]): string | undefined {
    const range = `${p.min}…${p.max}${p.integer ? ', whole numbers' : ''}`;
    if (values.length !== 1) return `${p.name}: expected one value (${range}), got ${values.length}`;
    const v = values[0];
    if (!Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
      return `${p.name}: got ${Number.isFinite(v) ? +v.toPrecision(7) : v}, allowed ${range}`;
    }
    return undefined;
  }

  /** Records an accepted change (what the engine will be running once the event is applied). */
  set(p: LiveParam, value: number): void {
    setPath(this.current, p.name.split('.'), value);
    for (const other of EXCLUSIVE[p.name] ?? []) delete this.current[other];
  }

  /** Replaces the whole set (a preset load). */
  replace(params: unknown): void {
    this.current = structuredClone((params ?? {}) as Record<string, unknown>);
  }

  /** The current parameter set (a copy). */
  snapshot(): Record<string, unknown> {
    return structuredClone(this.current);
  }

  /** The value of a dotted path in a parameter set (undefined when absent or not a number). */
  static numberAt(params: unknown, path: string): number | undefined {
    let v: unknown = params;
    for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return typeof v === 'number' ? v : undefined;
  }

  /** Every current value as name/value pairs: dotted names for nested keys, `name[i]` for array items. */
  flat(): [string, FlatValue][] {
    const out: [string, FlatValue][] = [];
    const walk = (v: unknown, name: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${name}[${i}]`));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, name ? `${name}.${k}` : k);
      else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out.push([name, v]);
    };
    walk(this.current, '');
    return out;
  }
}

interface NumberLeaf { minValue: number | null; maxValue: number | null; isInt: boolean }
interface ZodNode { _zod: { def: { type: string; shape?: Record<string, unknown> } } }

/** The zod number schema at `path` (through defaults, optionals, nullables and pipes), if it is one. */
function numberLeaf(schema: z.ZodType, path: readonly string[]): NumberLeaf | undefined {
  const s = unwrapSchema(schema) as unknown as ZodNode;
  if (path.length === 0) {
    if (s._zod.def.type !== 'number') return undefined;
    const n = s as unknown as NumberLeaf;
    return { minValue: n.minValue ?? null, maxValue: n.maxValue ?? null, isInt: Boolean(n.isInt) };
  }
  const next = s._zod.def.shape?.[path[0]];
  return next ? numberLeaf(next as z.ZodType, path.slice(1)) : undefined;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}
