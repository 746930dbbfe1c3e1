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

describe('error messages stay readable on hostile input', () => {
  it('cuts a huge echoed value to a readable length and says how long it was', () => {
    const err = (() => {
      try {
        parseParams(schema, { gainDb: 'x'.repeat(128 * 1024) }, 'cfg');
      } catch (e) {
        return e as ParamError;
      }
    })();
    expect(err?.message.length).toBeLessThan(200);
    expect(err?.message).toMatch(/gainDb: got "x{59}… \(131072 characters\), expected number$/);
  });

  it('prints a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(() => parseParams(schema, { gainDb: deep }, 'cfg')).toThrow(/gainDb: got \[\[\[\[\[…\]\]\]\]\], expected number/);
  });

  it('explains a failed union by the branch that got furthest, with its expectation', () => {
    const union = z.strictObject({ items: z.array(z.union([z.strictObject({ kind: z.literal('a'), n: z.number().max(3) }), z.strictObject({ kind: z.literal('b') })])) });
    expect(() => parseParams(union, { items: [{ kind: 'a', n: 9 }] }, 'cfg')).toThrow(/cfg: items\[0\]\.n: got 9, expected a value ≤ 3$/);
  });

  it('lists the known values of a discriminator that matches none', () => {
    const tagged = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('on') }), z.strictObject({ type: z.literal('off') })]);
    expect(() => parseParams(tagged, { type: 'noteon' }, 'cfg')).toThrow(/type: got "noteon", expected "type" to be one of "on", "off"/);
  });
});
