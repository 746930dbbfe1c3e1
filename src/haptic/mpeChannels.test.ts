import { describe, expect, it } from 'vitest';
import { MpeChannels, MpeDim } from './mpeChannels.ts';
import { FIELDS, Field } from './stimulusPool.ts';

const CENTRE_X_M = 0.175;
const CENTRE_Y_M = 0.075;
const RANGE_M = 0.2;

function targetsOf(mpe: MpeChannels, ch: number, jump: boolean): Float64Array {
  const data = new Float64Array(FIELDS).fill(-9);
  mpe.writeTargets(data, 0, ch, jump);
  return data;
}

describe('MpeChannels', () => {
  it('puts a reset channel at the layout centre with full pressure', () => {
    const mpe = new MpeChannels(CENTRE_X_M, CENTRE_Y_M, RANGE_M);
    mpe.resetAll();
    const d = targetsOf(mpe, 7, true);
    expect([d[Field.pressureTarget], d[Field.targetX], d[Field.targetY]]).toEqual([1, CENTRE_X_M, CENTRE_Y_M]);
    expect([d[Field.pressure], d[Field.x], d[Field.y]]).toEqual([1, CENTRE_X_M, CENTRE_Y_M]);
  });

  it('moves the source ±positionRangeM in x with bend ±1 and in y with timbre 0…1, within 1e-12 m', () => {
    const mpe = new MpeChannels(CENTRE_X_M, CENTRE_Y_M, RANGE_M);
    mpe.resetAll();
    mpe.values[3 * 3 + MpeDim.bend] = -1;
    mpe.values[3 * 3 + MpeDim.timbre] = 1;
    const d = targetsOf(mpe, 3, false);
    expect(Math.abs(d[Field.targetX] - (CENTRE_X_M - RANGE_M))).toBeLessThan(1e-12);
    expect(Math.abs(d[Field.targetY] - (CENTRE_Y_M + RANGE_M))).toBeLessThan(1e-12);
  });

  it('writes only the targets unless asked to jump', () => {
    const mpe = new MpeChannels(CENTRE_X_M, CENTRE_Y_M, RANGE_M);
    mpe.resetAll();
    const d = targetsOf(mpe, 0, false);
    expect([d[Field.pressure], d[Field.x], d[Field.y]]).toEqual([-9, -9, -9]);
  });

  it('applies a requested reset only at applyResets(), and only to that channel', () => {
    const mpe = new MpeChannels(CENTRE_X_M, CENTRE_Y_M, RANGE_M);
    mpe.resetAll();
    mpe.values[2 * 3 + MpeDim.pressure] = 0.25;
    mpe.values[5 * 3 + MpeDim.pressure] = 0.5;
    mpe.requestReset(2);
    expect(mpe.values[2 * 3 + MpeDim.pressure]).toBe(0.25);
    mpe.applyResets();
    expect(mpe.values[2 * 3 + MpeDim.pressure]).toBe(1);
    expect(mpe.values[5 * 3 + MpeDim.pressure]).toBe(0.5);
  });
});
