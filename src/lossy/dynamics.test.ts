import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.ts';
import { LossyControls } from './lossyControls.ts';
import { LossyParamIndex, gateSchema, limiterSchema } from './lossyParams.ts';
import { NoiseGate } from './noiseGate.ts';

const FS = 48000;
const automation = (index: number, value: number) => LossyControls.withValue(index, value);

describe('Limiter', () => {
  it('never lets a sample past a −6 dB ceiling, on a burst 12 dB over it', () => {
    const ceiling = 10 ** (-6 / 20);
    const limiter = new Limiter(limiterSchema.parse({ ceilingDb: -6 }), automation(LossyParamIndex.limiterCeilingDb, -6));
    limiter.prepare(FS);
    const l = Float64Array.from({ length: FS }, (_, i) => (i > 1000 && i < 20000 ? 2 : 0.1) * Math.sin(i * 0.05));
    const r = l.map((v) => -v);
    limiter.process(l, r, 0, l.length);
    expect(Math.max(...l.map(Math.abs), ...r.map(Math.abs))).toBeLessThanOrEqual(ceiling + 1e-12);
  });

  it('leaves a signal under the ceiling untouched', () => {
    const limiter = new Limiter(limiterSchema.parse({ ceilingDb: -1 }), automation(LossyParamIndex.limiterCeilingDb, -1));
    limiter.prepare(FS);
    const x = Float64Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin(i * 0.1));
    const l = x.slice();
    limiter.process(l, x.slice(), 0, l.length);
    expect(Array.from(l)).toEqual(Array.from(x));
  });
});

describe('NoiseGate', () => {
  it('attenuates a −60 dBFS signal by the 40 dB range once closed, and passes a −20 dBFS one', () => {
    const gate = new NoiseGate(gateSchema.parse({ enabled: true, thresholdDb: -40, rangeDb: -40, releaseMs: 10, holdMs: 5 }), automation(LossyParamIndex.gateThresholdDb, -40));
    gate.prepare(FS);
    const quiet = Float64Array.from({ length: FS / 2 }, (_, i) => 0.001 * Math.sin(i * 0.05));
    const q = quiet.slice();
    gate.process(q, quiet.slice(), 0, q.length);
    const tail = (a: Float64Array) => Math.max(...a.subarray(a.length - 4800).map(Math.abs));
    expect(20 * Math.log10(tail(q) / tail(quiet))).toBeCloseTo(-40, 1);
    const loud = Float64Array.from({ length: FS / 2 }, (_, i) => 0.1 * Math.sin(i * 0.05));
    const y = loud.slice();
    gate.process(y, loud.slice(), 0, y.length);
    expect(20 * Math.log10(tail(y) / tail(loud))).toBeGreaterThan(-0.01);
  });
});
