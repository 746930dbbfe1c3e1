import { describe, expect, it } from 'vitest';
import { clarityDb, definition } from './clarity.ts';

const FS = 48000;
describe('clarity and definition', () => {
  it('follow C_te = 10·log10(exp(13.8155·te/T) − 1) on the EDC of an exact exponential (T = 1 s)', () => {
    const edc = Float64Array.from({ length: 3 * FS }, (_, i) => Math.exp((-6 * Math.LN10 * i) / FS));
    expect(clarityDb(edc, FS, 0.05)!).toBeCloseTo(-0.0206, 2);
    expect(clarityDb(edc, FS, 0.08)!).toBeCloseTo(3.0534, 2);
    expect(definition(edc, FS)!).toBeCloseTo(0.4988, 3);
  });

  it('returns null for a response shorter than the early window', () => {
    const edc = new Float64Array(100).fill(1);
    expect(clarityDb(edc, FS, 0.08)).toBeNull();
    expect(definition(edc, FS)).toBeNull();
  });

  it('are independent of the level: the EDC at −30 dB gives the same C80 and D50', () => {
    const edc = Float64Array.from({ length: FS }, (_, i) => Math.exp((-6 * Math.LN10 * i) / (0.5 * FS)));
    const quiet = edc.map((v) => v * 1e-3);
    expect(clarityDb(quiet, FS, 0.08)!).toBeCloseTo(9.096, 3); // T = 0.5 s
    expect(definition(quiet, FS)!).toBeCloseTo(definition(edc, FS)!, 12);
    expect(definition(quiet, FS)!).toBeCloseTo(1 - 10 ** (-0.6), 4); // 1 − e^(−13.8155·0.05/0.5)
  });

  it('give no clarity but D50 = 1 for a response that ends within the early window (no late energy)', () => {
    // A 30 ms exponential, then digital silence: the EDC is 0 from 30 ms on.
    const edc = Float64Array.from({ length: FS / 5 }, (_, i) => (i < 0.03 * FS ? Math.exp(-i / 200) - Math.exp(-(0.03 * FS) / 200) : 0));
    expect(clarityDb(edc, FS, 0.05)).toBeNull();
    expect(clarityDb(edc, FS, 0.08)).toBeNull();
    expect(definition(edc, FS)).toBe(1);
  });

  it('need a sample at te: an EDC exactly 50 ms long has no late part, and a silent one no energy at all', () => {
    const edc = Float64Array.from({ length: 0.05 * FS }, (_, i) => 1 - i / (0.05 * FS));
    expect(clarityDb(edc, FS, 0.05)).toBeNull();
    expect(definition(edc, FS)).toBeNull();
    expect(definition(new Float64Array(FS), FS)).toBeNull();
  });
});
