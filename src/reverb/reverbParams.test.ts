import { describe, expect, it } from 'vitest';
import { parseParams } from '../engine/params.ts';
import { reverbParamsSchema } from './reverbParams.ts';

describe('reverbParamsSchema', () => {
  it('fills every key with its default (an empty preset loads)', () => {
    const p = parseParams(reverbParamsSchema, {}, 'test');
    expect(p).toMatchObject({ lines: 8, matrix: 'hadamard', decayMode: 'rt60', rt60Seconds: 2, rt60HighSeconds: null, wetDry: 0.3, smoothingMs: 10 });
  });

  it('names the key, the value and the range of an out-of-range value', () => {
    expect(() => parseParams(reverbParamsSchema, { rt60Seconds: 40 }, 'presets/reverb/x.json')).toThrow(/presets\/reverb\/x\.json: rt60Seconds: got 40, expected a value ≤ 30/);
  });

  it('rejects a Hadamard matrix of a size that is not a power of two', () => {
    expect(() => parseParams(reverbParamsSchema, { lines: 6 }, 'cfg')).toThrow(/lines: got 6, expected a power of two for the Hadamard matrix/);
    expect(parseParams(reverbParamsSchema, { lines: 6, matrix: 'householder' }, 'cfg').lines).toBe(6);
  });

  it('rejects a damping array whose length is not the number of lines', () => {
    expect(() => parseParams(reverbParamsSchema, { lines: 4, damping: [0.1, 0.2] }, 'cfg')).toThrow(/damping: .*expected one coefficient per line \(4\), got 2/);
  });

  it('rejects a low target the shelf cannot reach, naming the key, the value and the reachable range', () => {
    const unreachable = { rt60Seconds: 2, rt60HighSeconds: 1.2, rt60LowSeconds: 6 };
    expect(() => parseParams(reverbParamsSchema, unreachable, 'presets/reverb/x.json')).toThrow(/presets\/reverb\/x\.json: rt60LowSeconds: got 6, expected a low target .* \(at 48 kHz: 1\.\d\d…[23]\.\d\d s\)/);
    expect(parseParams(reverbParamsSchema, { ...unreachable, rt60LowSeconds: 2.6 }, 'cfg').rt60LowSeconds).toBe(2.6);
  });

  it('rejects unknown keys and a longest delay not above the shortest', () => {
    expect(() => parseParams(reverbParamsSchema, { roomSize: 3 }, 'cfg')).toThrow(/unknown key "roomSize"/);
    expect(() => parseParams(reverbParamsSchema, { delayMinMs: 50, delayMaxMs: 40 }, 'cfg')).toThrow(/delayMaxMs: .*expected more than delayMinMs/);
  });

  it('takes the pre-delay as preDelayMs or preDelaySamples, 0 ms when neither is given, and names preDelaySamples when both are', () => {
    expect(parseParams(reverbParamsSchema, {}, 'cfg')).toMatchObject({ preDelayMs: 0 });
    expect(parseParams(reverbParamsSchema, { preDelaySamples: 480 }, 'cfg')).not.toHaveProperty('preDelayMs');
    expect(() => parseParams(reverbParamsSchema, { preDelayMs: 10, preDelaySamples: 480 }, 'presets/reverb/x.json'))
      .toThrow(/presets\/reverb\/x\.json: preDelaySamples: .*expected either preDelayMs or preDelaySamples, not both/);
    expect(() => parseParams(reverbParamsSchema, { preDelaySamples: 12.5 }, 'cfg')).toThrow(/preDelaySamples/);
  });

  it('leaves the keys added later (rt60LowSeconds, preDelaySamples) out of the parsed params when absent, so old presets hash as before', () => {
    const p = parseParams(reverbParamsSchema, { rt60Seconds: 2 }, 'cfg');
    expect(Object.keys(p)).not.toContain('rt60LowSeconds');
    expect(Object.keys(p)).not.toContain('preDelaySamples');
    expect(parseParams(reverbParamsSchema, { rt60LowSeconds: 1.5 }, 'cfg').rt60LowSeconds).toBe(1.5);
    expect(() => parseParams(reverbParamsSchema, { rt60LowSeconds: 0.05 }, 'cfg')).toThrow(/rt60LowSeconds: got 0.05/);
  });

  it('fits the three anchors to per-octave targets (exact when they sit at 250, 500 and 4000 Hz) and puts them in the bands\' place', () => {
    const p = parseParams(reverbParamsSchema, { rt60BandsSeconds: { '250': 2.8, '500': 2.2, '4000': 1.4 } }, 'cfg');
    expect(p.rt60LowSeconds).toBeCloseTo(2.8, 9);
    expect(p.rt60Seconds).toBeCloseTo(2.2, 9);
    expect(p.rt60HighSeconds).toBeCloseTo(1.4, 9);
    expect(p).not.toHaveProperty('rt60BandsSeconds');
    expect(parseParams(reverbParamsSchema, p, 'again')).toEqual(p);
  });

  it('refuses band targets beside an anchor, in manual mode, or fewer than three, naming the key', () => {
    const bands = { '250': 2.8, '500': 2.2, '4000': 1.4 };
    expect(() => parseParams(reverbParamsSchema, { rt60BandsSeconds: bands, rt60Seconds: 2 }, 'cfg')).toThrow(/rt60Seconds: .*expected either rt60BandsSeconds or the anchors/);
    expect(() => parseParams(reverbParamsSchema, { rt60BandsSeconds: bands, decayMode: 'manual' }, 'cfg')).toThrow(/rt60BandsSeconds: .*decayMode 'rt60'/);
    expect(() => parseParams(reverbParamsSchema, { rt60BandsSeconds: { '500': 2, '4000': 1 } }, 'cfg')).toThrow(/rt60BandsSeconds: .*at least three octave bands, got 2/);
    expect(() => parseParams(reverbParamsSchema, { rt60BandsSeconds: { ...bands, '300': 2 } }, 'cfg')).toThrow(/rt60BandsSeconds/);
  });
});

