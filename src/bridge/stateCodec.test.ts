import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './stateCodec.ts';

describe('engine state as JSON', () => {
  it('round-trips typed arrays bit for bit and the numbers JSON cannot hold', () => {
    const state = { lines: [Float64Array.of(Number.NaN, -0, 1e-310, Math.PI)], pos: Int32Array.of(-1, 7), gain: Number.POSITIVE_INFINITY, zero: -0, n: 3, s: 'x', nested: { u: Uint8Array.of(1, 2) }, big: 12n };
    const back = decodeState(JSON.parse(JSON.stringify(encodeState(state)))) as typeof state;
    expect(new Uint8Array(back.lines[0].buffer)).toEqual(new Uint8Array(state.lines[0].buffer));
    expect(back.pos).toEqual(state.pos);
    expect(back.gain).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(back.zero, -0)).toBe(true);
    expect(back).toMatchObject({ n: 3, s: 'x', big: 12n });
    expect(back.nested.u).toBeInstanceOf(Uint8Array);
  });

  it.each([
    [{ $typed: 'Function', base64: '' }],
    [{ $typed: 'Float64Array', base64: 'AAA=' }],
    [{ $number: '42' }],
    [{ $bigint: '1e9' }],
    [JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`)],
  ])('refuses a malformed state %#', (bad) => {
    expect(() => decodeState(bad)).toThrow();
  });
});
