import { describe, expect, it } from 'vitest';
import { prettyJson } from './prettyJson.ts';

describe('prettyJson', () => {
  const value = { a: [1, 2.5, null], b: { c: 'x [1, 2]', d: [], e: [{ f: -0.125 }] }, g: Number.NaN, h: undefined };

  it('parses back to what JSON.stringify writes', () => {
    expect(JSON.parse(prettyJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('keeps number arrays on one line and indents everything else by two spaces', () => {
    expect(prettyJson(value)).toBe('{\n  "a": [1,2.5,null],\n  "b": {\n    "c": "x [1, 2]",\n    "d": [],\n    "e": [\n      {\n        "f": -0.125\n      }\n    ]\n  },\n  "g": null\n}');
  });
});
