import { describe, expect, it } from 'vitest';
import { ParamError } from '../engine/params.ts';
import { applyTunableValues, checkTunableValues, describeRange, tunableParams, tunableValuesOf } from './tunableParams.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';

/** Ranges the tuner must read from the engines' schemas (one row per parameter checked). */
const RANGES: [engine: string, name: string, allowed: string][] = [
  ['reverb', 'wetDry', '0…1'],
  ['reverb', 'rt60Seconds', '0.1…30'],
  ['reverb', 'rt60HighSeconds', '0.05…30 or null'],
  ['reverb', 'preDelaySamples', '0…24000 (whole numbers)'],
  ['lossy', 'bitcrush.bitDepth', '1…32'],
  ['lossy', 'packetLoss.lossPercent', '0…100'],
  ['lossy', 'outputGainDb', '-60…24'],
];

describe('tunable parameters', () => {
  it('are the engine\'s automatable parameters, in its order', () => {
    expect(tunableParams('lossy').map((p) => p.name)).toEqual(['bitcrush.bitDepth', 'packetLoss.lossPercent', 'gate.thresholdDb', 'limiter.ceilingDb', 'outputGainDb']);
  });

  it.each(RANGES)('%s %s allows %s (read from the schema)', (engine, name, allowed) => {
    const p = tunableParams(engine).find((q) => q.name === name);
    expect(p && describeRange(p)).toBe(allowed);
  });

  it('refuses every bad value at once, naming parameter, value and allowed range', () => {
    const run = () => checkTunableValues('reverb', { wetDry: 1.5, rt60Seconds: Number.NaN, preDelaySamples: 3.5, wet: 1, rt60HighSeconds: null }, 'test');
    expect(run).toThrow(ParamError);
    expect(run).toThrow('test: wetDry: got 1.5, allowed 0…1; rt60Seconds: got null, allowed 0.1…30; preDelaySamples: got 3.5, allowed 0…24000 (whole numbers); "wet": unknown parameter; reverb parameters: ');
  });

  it('accepts values at both ends of the range, and null where the schema does', () => {
    expect(checkTunableValues('reverb', { wetDry: 0, rt60Seconds: 30, rt60HighSeconds: null }, 'test')).toEqual({ wetDry: 0, rt60Seconds: 30, rt60HighSeconds: null });
  });

  it('applies dotted names into nested parameters without changing the input', () => {
    const before = { bitcrush: { enabled: true, bitDepth: 16 } };
    const after = applyTunableValues('lossy', before, { 'bitcrush.bitDepth': 8 }, 'test') as { bitcrush: { bitDepth: number; enabled: boolean } };
    expect(after.bitcrush).toMatchObject({ enabled: true, bitDepth: 8 });
    expect(before.bitcrush.bitDepth).toBe(16);
    expect(tunableValuesOf('lossy', after)['bitcrush.bitDepth']).toBe(8);
  });

  it('replaces preDelayMs by preDelaySamples (the schema refuses both)', () => {
    const params = reverbParamsSchema.parse({ preDelayMs: 12 });
    const after = applyTunableValues('reverb', params, { preDelaySamples: 480 }, 'test') as Record<string, unknown>;
    expect(after.preDelaySamples).toBe(480);
    expect(after.preDelayMs).toBeUndefined();
  });

  it('still refuses a combination the schema refuses as a whole', () => {
    expect(() => applyTunableValues('reverb', reverbParamsSchema.parse({}), { rt60LowSeconds: 30 }, 'test')).toThrow(/rt60LowSeconds: got 30, expected a low target the lines' shelf can meet/);
  });
});
