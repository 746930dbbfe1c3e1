import { describe, expect, it } from 'vitest';
import { energyDecayDb, schroederIntegral } from './schroederIntegral.ts';

describe('schroederIntegral', () => {
  it('equals the closed form of a geometric energy decay to 1e-9, 60 dB down', () => {
    const r = 10 ** (-6 / 48000); // energy ratio per sample for T = 0.5 s
    const n = 48000;
    const h = Float64Array.from({ length: n }, (_, i) => Math.sqrt(r ** i));
    const edc = schroederIntegral(h);
    for (const i of [0, 1000, 20000, 32000]) expect(edc[i] / ((r ** i - r ** n) / (1 - r)) - 1).toBeLessThan(1e-9);
    const db = energyDecayDb(edc);
    expect(db[24000]).toBeCloseTo(10 * Math.log10((r ** 24000 - r ** n) / (1 - r ** n)), 9);
  });

  it('is accumulated in double: the same float32 input summed in float32 loses the tail', () => {
    const h = new Float32Array(96000);
    for (let i = 0; i < h.length; i++) h[i] = Math.exp(-i / 4000);
    const edc = schroederIntegral(h);
    let single = Math.fround(0);
    for (let i = h.length - 1; i >= 40000; i--) single = Math.fround(single + Math.fround(h[i] * h[i]));
    let acc = 0;
    for (let i = 0; i < h.length; i++) acc = Math.fround(acc + Math.fround(h[i] * h[i]));
    // The float64 integral matches an exact double sum; a float32 forward total would not even resolve edc[40000].
    expect(Math.abs(edc[40000] / single - 1)).toBeLessThan(1e-5);
    expect(Math.fround(acc - edc[40000])).toBe(acc);
  });

  it('adds the tail compensation to every point and integrates a sub-range', () => {
    const h = Float64Array.from([1, 1, 1, 1]);
    expect(Array.from(schroederIntegral(h, 1, 3, 0.5))).toEqual([2.5, 1.5]);
  });

  it('gives −Infinity dB where the energy is 0, also when the whole EDC is 0 (silence)', () => {
    const db = energyDecayDb(Float64Array.from([4, 1, 0]));
    expect(db[0]).toBe(0);
    expect(db[1]).toBeCloseTo(10 * Math.log10(0.25), 12);
    expect(db[2]).toBe(-Infinity);
    expect(Array.from(energyDecayDb(new Float64Array(3)))).toEqual([-Infinity, -Infinity, -Infinity]);
  });
});
