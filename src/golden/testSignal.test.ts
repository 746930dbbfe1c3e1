import { describe, expect, it } from 'vitest';
import { goldenTestSignal } from './testSignal.ts';

const FS = 48000;
const peakDb = (x: Float32Array, from: number, to: number) => 20 * Math.log10(Math.max(...x.subarray(from, to).map(Math.abs)));

describe('goldenTestSignal', () => {
  it('is the same bits on every call', () => {
    const a = goldenTestSignal(FS, 0.25, 1);
    const b = goldenTestSignal(FS, 0.25, 1);
    expect(Buffer.from(a[0].buffer).equals(Buffer.from(b[0].buffer))).toBe(true);
    expect(Buffer.from(a[1].buffer).equals(Buffer.from(b[1].buffer))).toBe(true);
  });

  it('holds a unit impulse, silence to the IR end, a −12 dBFS sweep, −18 dBFS noise and a left-only chord', () => {
    const [l, r] = goldenTestSignal(FS, 0.25, 1);
    expect([l[0], r[0]]).toEqual([1, 1]);
    expect(l.subarray(1, 12000).every((v) => v === 0)).toBe(true);
    expect(peakDb(l, 12000, 12000 + 14400)).toBeCloseTo(-12, 1);
    let sum = 0;
    for (let i = 26400 + 480; i < 26400 + 9600 - 480; i++) sum += l[i] * l[i];
    expect(10 * Math.log10(sum / (9600 - 960))).toBeCloseTo(-18, 0);
    expect(r.subarray(36000, 36000 + 7200).every((v) => v === 0)).toBe(true);
    expect(peakDb(l, 36000, 36000 + 7200)).toBeGreaterThan(-18);
  });
});
