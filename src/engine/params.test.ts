import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParamError, parseParams } from './params.ts';

const schema = z.strictObject({
  gainDb: z.number().min(-60).max(12).default(0),
  nested: z.strictObject({ delaySamples: z.number().int().min(0).max(4096).default(10) }).prefault({}),
});

describe('parseParams', () => {
  it('fills defaults for missing keys', () => {
    expect(parseParams(schema, {}, 'test')).toEqual({ gainDb: 0, nested: { delaySamples: 10 } });
  });

  it('names the source, the key, the value and the allowed range of an out-of-range value', () => {
    expect(() => parseParams(schema, { gainDb: 40 }, 'presets/x.json')).toThrow(
      /presets\/x\.json: gainDb: got 40, expected a value ≤ 12/,
    );
  });

  it('names an unknown key with its path', () => {
    const err = (() => {
      try {
        parseParams(schema, { nested: { delaySample: 3 } }, 'cfg');
      } catch (e) {
        return e as ParamError;
      }
    })();
    expect(err).toBeInstanceOf(ParamError);
    expect(err?.message).toContain('nested: unknown key "delaySample"');
  });

  it('names a wrong type', () => {
    expect(() => parseParams(schema, { gainDb: 'loud' }, 'cfg')).toThrow(/gainDb: got "loud", expected number/);
  });
});
