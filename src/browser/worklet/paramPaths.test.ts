import { describe, expect, it } from 'vitest';
import { copyData, sameData, valueAtPath, withValueAtPath } from './paramPaths.ts';

describe('parameter paths', () => {
  it('reads and writes dotted paths without touching the original', () => {
    const params = { codec: { bitrateKbps: 32 }, bands: [1, 2], seed: 5 };
    const next = withValueAtPath(params, 'codec.bitrateKbps', 64);
    expect(valueAtPath(next, 'codec.bitrateKbps')).toBe(64);
    expect(params.codec.bitrateKbps).toBe(32);
    expect(valueAtPath(withValueAtPath(undefined, 'gate.thresholdDb', -40), 'gate.thresholdDb')).toBe(-40);
    expect(valueAtPath(params, 'codec.missing')).toBeUndefined();
    expect(valueAtPath(params, 'constructor')).toBeUndefined();
  });

  it('refuses prototype keys and empty segments', () => {
    expect(() => withValueAtPath({}, '__proto__.polluted', 1)).toThrow(/not a dotted path/);
    expect(() => withValueAtPath({}, 'a..b', 1)).toThrow(/not a dotted path/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies and compares plain data (key order ignored, NaN equal, undefined keys absent)', () => {
    const a = { x: [1, { y: Number.NaN }], z: 'q', u: undefined };
    const b = copyData(a) as typeof a;
    expect(b).not.toBe(a);
    expect(sameData(a, b)).toBe(true);
    expect(sameData({ p: 1, q: 2 }, { q: 2, p: 1 })).toBe(true);
    expect(sameData({ p: 1 }, { p: 1, u: undefined })).toBe(true);
    expect(sameData({ p: [1, 2] }, { p: [1, 3] })).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
  });
});
