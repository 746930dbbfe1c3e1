import { describe, expect, it } from 'vitest';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { LossyEngine, OUTPUT_GAIN_RAMP_MS } from './lossyEngine.ts';
import { LossyParamIndex, type LossyParamsInput } from './lossyParams.ts';

const FS = 48000;
const input = [0, 1].map((c) => Float32Array.from({ length: 9600 }, (_, i) => 0.8 * Math.sin((2 * Math.PI * 330 * i) / FS + c)));
const run = (params: LossyParamsInput, events = [] as ReturnType<typeof at.param>[]) =>
  render(new LossyEngine(params), { sampleRate: FS, blockFrames: 100, frames: 9600, input, events });

describe('LossyEngine', () => {
  it('runs the stages in the order given: a −10 dB limiter after a 4-bit crush holds its ceiling, before it does not', () => {
    const stages = { codec: { enabled: false }, bitcrush: { enabled: true, bitDepth: 4 }, limiter: { ceilingDb: -10 } };
    const crushFirst = run({ ...stages, order: ['bitcrush', 'limiter', 'filters', 'codec', 'packetLoss', 'gate'] });
    const limitFirst = run({ ...stages, order: ['limiter', 'bitcrush', 'filters', 'codec', 'packetLoss', 'gate'] });
    const peak = (x: Float32Array[]) => Math.max(...x[0].map(Math.abs));
    expect(peak(crushFirst)).toBeLessThanOrEqual(10 ** (-10 / 20) + 1e-6);
    expect(peak(limitFirst)).toBeGreaterThan(10 ** (-10 / 20) + 0.01); // 4-bit steps of 1/8 round the limited peak 0.316 up to 0.375
  });

  it('applies a Param event at exactly its sample: output gain ramps to −60 dB over 10 ms from frame 4321', () => {
    const params = { codec: { enabled: false }, limiter: { enabled: false } };
    const plain = run(params);
    const ducked = run(params, [at.param(4321, LossyParamIndex.outputGainDb, -60)]);
    const ramp = (OUTPUT_GAIN_RAMP_MS * FS) / 1000; // 480 frames
    expect(Array.from(ducked[0].subarray(0, 4321))).toEqual(Array.from(plain[0].subarray(0, 4321)));
    // Linear in gain: frame 4321 + k plays at 1 + (k + 1)·(0.001 − 1)/480, exactly 0.001 from the ramp's last frame on.
    for (const k of [0, 100, 240, 479, 480, 2000]) {
      const g = k + 1 >= ramp ? 0.001 : 1 + ((k + 1) * (0.001 - 1)) / ramp;
      expect(ducked[0][4321 + k]).toBeCloseTo(plain[0][4321 + k] * g, 6);
    }
  });

  it('never steps the output by more than the ramp allows after a gain jump (no click)', () => {
    const params = { codec: { enabled: false }, limiter: { enabled: false } };
    const ducked = run(params, [at.param(4321, LossyParamIndex.outputGainDb, -60)]);
    const plain = run(params);
    const ramp = (OUTPUT_GAIN_RAMP_MS * FS) / 1000;
    let signalStep = 0;
    let worst = 0;
    for (let i = 4300; i < 4321 + ramp + 20; i++) {
      signalStep = Math.max(signalStep, Math.abs(plain[0][i] - plain[0][i - 1]));
      worst = Math.max(worst, Math.abs(ducked[0][i] - ducked[0][i - 1]));
    }
    // |Δy| ≤ g·|Δx| + |Δg|·|x| ≤ max|Δx| + 0.999/480·0.8 (the sine's own step, plus the ramp's share).
    expect(worst).toBeLessThanOrEqual(signalStep + (0.999 / ramp) * 0.8 + 1e-6);
    expect(worst).toBeGreaterThan(0);
  });

  it('clamps an out-of-range Param value to the parameter range (bit depth 0 → 1 bit)', () => {
    const params = { codec: { enabled: false }, limiter: { enabled: false }, bitcrush: { enabled: true } };
    const clamped = run(params, [at.param(0, LossyParamIndex.bitDepth, 0)]);
    const oneBit = run({ ...params, bitcrush: { enabled: true, bitDepth: 1 } });
    expect(Array.from(clamped[0])).toEqual(Array.from(oneBit[0]));
  });

  it('passes audio through unchanged with every stage off', () => {
    const out = run({ codec: { enabled: false }, limiter: { enabled: false } });
    expect(Array.from(out[1])).toEqual(Array.from(input[1]));
  });

  it('reports the codec frame as its latency', () => {
    expect(new LossyEngine({ codec: { frameSize: 2048, hopSize: 512 } }).latencySamples).toBe(2048);
    expect(new LossyEngine({ codec: { enabled: false } }).latencySamples).toBe(0);
  });

  it('rejects bad parameters naming the key, the value and the range', () => {
    expect(() => new LossyEngine({ packetLoss: { lossPercent: 150 } })).toThrow(/packetLoss\.lossPercent: got 150, expected a value ≤ 100/);
    expect(() => new LossyEngine({ order: ['codec', 'codec', 'filters', 'bitcrush', 'gate', 'limiter'] })).toThrow(/order: .*expected each stage exactly once/);
  });
});
