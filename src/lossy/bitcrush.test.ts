import { describe, expect, it } from 'vitest';
import { Bitcrush } from './bitcrush.ts';
import { LossyControls } from './lossyControls.ts';
import { LossyParamIndex, bitcrushSchema } from './lossyParams.ts';

function crush(bitDepth: number, holdRateHz: number | null, x: Float64Array, sampleRate = 48000): Float64Array {
  const stage = new Bitcrush(bitcrushSchema.parse({ enabled: true, bitDepth, holdRateHz }), LossyControls.withValue(LossyParamIndex.bitDepth, bitDepth));
  stage.prepare(sampleRate);
  const l = x.slice();
  stage.process(l, x.slice(), 0, l.length);
  return l;
}

const ramp = Float64Array.from({ length: 4801 }, (_, i) => -1 + i / 2400);

describe('Bitcrush', () => {
  it('keeps the 8-bit quantisation error within half a step, 2⁻⁸ (−48 dBFS)', () => {
    const y = crush(8, null, ramp);
    const worst = Math.max(...ramp.map((v, i) => Math.abs(y[i] - v)));
    expect(worst).toBeLessThanOrEqual(2 ** -8 + 1e-12);
    expect(worst).toBeGreaterThan(0.9 * 2 ** -8);
  });

  it('outputs only multiples of the 4-bit step 1/8', () => {
    const y = crush(4, null, ramp);
    for (const v of y) expect(Math.abs(v * 8 - Math.round(v * 8))).toBeLessThan(1e-12);
  });

  it('holds each sample for fs / holdRateHz frames: 8 kHz at 48 kHz gives runs of exactly 6', () => {
    const x = Float64Array.from({ length: 480 }, (_, i) => Math.sin(i * 0.37) * 0.5);
    const y = crush(24, 8000, x);
    let changes = 0;
    for (let i = 1; i < y.length; i++) if (y[i] !== y[i - 1]) changes++;
    expect(changes).toBe(79);
    for (let i = 0; i < y.length; i += 6) for (let k = 1; k < 6; k++) expect(y[i + k]).toBe(y[i]);
  });

  it('clips input beyond full scale to ±1', () => {
    const y = crush(16, null, Float64Array.from([2, -3, 1.5]));
    expect(Array.from(y)).toEqual([1, -1, 1]);
  });
});
