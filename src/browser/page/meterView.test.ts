import { describe, expect, it } from 'vitest';
import { METER_FLOOR_DB, formatDb, meterFraction } from './meterView.ts';

describe('meter scale', () => {
  it('fills linearly in dB from the floor to 0 dBFS and clamps outside', () => {
    expect([METER_FLOOR_DB - 10, METER_FLOOR_DB, METER_FLOOR_DB / 2, 0, 6].map(meterFraction)).toEqual([0, 0, 0.5, 1, 1]);
    expect(meterFraction(null)).toBe(0);
    expect(meterFraction(Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it('prints one decimal and −∞ for silence', () => {
    expect([formatDb(-12.345), formatDb(null), formatDb(Number.NEGATIVE_INFINITY), formatDb(0)]).toEqual(['-12.3', '−∞', '−∞', '0.0']);
  });
});
