/**
 * Dotted parameter paths ("bitcrush.bitDepth", "waveSpeedMps") on plain parameter objects: the names
 * engines give their Param-event parameters (`paramNames`) and the keys of their zod schemas.
 */

/** The value at a dotted path, or undefined. */
export function valueAtPath(params: unknown, path: string): unknown {
  let v: unknown = params;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A deep copy of `params` (plain JSON-like data) with `value` at the dotted path (objects made on the way). */
export function withValueAtPath(params: unknown, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) {
    throw new Error(`parameter name "${path.slice(0, 80)}" is not a dotted path of keys`);
  }
  const root = copyData(params !== null && typeof params === 'object' ? params : {}) as Record<string, unknown>;
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return root;
}

/** A deep copy of plain JSON-like data (the AudioWorkletGlobalScope has no structuredClone). */
export function copyData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyData);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyData(v);
  return out;
}

/** Structural equality of plain JSON-like data (key order ignored; NaN equals NaN). */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
