import { describe, expect, it } from 'vitest';
import { JsonTextError, MAX_JSON_DEPTH, excessDepthOffset, parseJsonText } from './jsonText.ts';

function errorOf(text: string): JsonTextError {
  try {
    parseJsonText(text, 'f.json');
  } catch (e) {
    return e as JsonTextError;
  }
  throw new Error('expected a JsonTextError');
}

describe('parseJsonText', () => {
  it('parses strict JSON as JSON.parse does', () => {
    expect(parseJsonText('{"a":[1,{"b":"]["}]}', 'f.json')).toEqual({ a: [1, { b: '][' }] });
  });

  it('places a syntax error at its line and column', () => {
    const e = errorOf('{\n  "a": 1,\n  "b": ,\n}');
    expect(e).toBeInstanceOf(JsonTextError);
    expect([e.line, e.column]).toEqual([3, 8]);
    expect(e.message).toBe('f.json: invalid JSON at line 3, column 8: ValueExpected');
  });

  it('refuses comments and trailing commas, as JSON.parse does', () => {
    expect(errorOf('{"a": 1, // x\n}').line).toBe(1);
    expect(errorOf('[1, 2,]').message).toMatch(/line 1, column 7/);
  });

  it('refuses 20 000 levels of nesting with a message naming the place, not a stack overflow', () => {
    const e = errorOf(`{"x": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(e.message).toBe(`f.json: invalid JSON at line 1, column ${7 + MAX_JSON_DEPTH - 1}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('counts only brackets outside strings, escaped quotes included', () => {
    expect(excessDepthOffset('["[[[[", "\\"[[[["]', 2)).toBe(-1);
    expect(excessDepthOffset('[[["x"]]]', 2)).toBe(2);
    expect(parseJsonText(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, 'f.json')).toBeInstanceOf(Array);
  });
});
