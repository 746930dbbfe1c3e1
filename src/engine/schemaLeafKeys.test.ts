import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaLeafKeys } from './schemaLeafKeys.ts';

describe('schemaLeafKeys', () => {
  it('lists nested leaf keys through defaults, prefaults, optionals, nullables and transforms', () => {
    const schema = z
      .strictObject({
        a: z.number().default(1),
        b: z.strictObject({ c: z.enum(['x', 'y']).optional(), d: z.array(z.number()).nullable().default(null) }).prefault({}),
        e: z.union([z.number(), z.array(z.number())]),
        f: z.record(z.string(), z.number()).optional(),
      })
      .transform((v) => v);

    expect(schemaLeafKeys(schema)).toEqual(['a', 'b.c', 'b.d', 'e', 'f']);
  });
});
