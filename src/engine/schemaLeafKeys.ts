import type { z } from 'zod';

interface ZodInternals {
  _zod: { def: { type: string; innerType?: unknown; in?: unknown; shape?: Record<string, z.ZodType> } };
}

/**
 * Dotted paths of every leaf key of a zod object schema: defaults, prefaults, optionals, nullables and
 * pipes (transforms) are looked through; a key whose value is not an object (a number, an enum, an array,
 * a union, a record) is a leaf. For tests that insist every configuration key is used
 * (hapticConfigKeys.test.ts, reverbParamKeys.test.ts).
 */
export function schemaLeafKeys(schema: z.ZodType, prefix = ''): string[] {
  const { type, shape } = (unwrapSchema(schema) as unknown as ZodInternals)._zod.def;
  if (type !== 'object' || !shape) return [prefix];
  return Object.entries(shape).flatMap(([k, v]) => schemaLeafKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** The schema inside defaults, prefaults, optionals, nullables and pipes (a pipe's input side). */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s = schema as unknown as ZodInternals;
  for (;;) {
    const def = s._zod.def;
    if (def.innerType) s = def.innerType as ZodInternals;
    else if (def.type === 'pipe' && def.in) s = def.in as ZodInternals;
    else break;
  }
  return s as unknown as z.ZodType;
}
