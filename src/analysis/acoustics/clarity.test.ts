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
});
