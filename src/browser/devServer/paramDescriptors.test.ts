import { describe, expect, it } from 'vitest';
import { engineNames } from '../../presets/engineRegistry.ts';
import { listPresets } from '../../presets/presetStore.ts';
import { describeParameters, unitOfName } from './paramDescriptors.ts';
import { ParameterStore } from './parameterStore.ts';
import { reverbParamsSchema } from '../../reverb/reverbParams.ts';

describe('describeParameters', () => {
  it('reads ranges, units, enums, per-line arrays and defaults from the reverb schema', () => {
    const d = Object.fromEntries(describeParameters(reverbParamsSchema, ['wetDry']).map((x) => [x.path, x]));
    expect(d.wetDry).toMatchObject({ kind: 'number', min: 0, max: 1, unit: '', default: 0.3, live: true });
    expect(d.rt60Seconds).toMatchObject({ kind: 'number', min: 0.1, max: 30, unit: 's', optional: true, live: false });
    expect(d.rt60HighSeconds).toMatchObject({ nullable: true, unit: 's' });
    expect(d.matrix).toMatchObject({ kind: 'enum', options: ['hadamard', 'householder', 'randomOrthogonal'] });
    expect(d.damping).toMatchObject({ kind: 'numberArray', min: 0, max: 0.99, minItems: 2, maxItems: 32, scalarOrArray: true });
    expect(d.lines).toMatchObject({ kind: 'integer', min: 2, max: 32 });
  });

  it('names units by the project\'s suffixes', () => {
    expect(['attackMs', 'rt60Seconds', 'modRateHz', 'gate.thresholdDb', 'waveSpeedMps', 'spacingM', 'codec.bitrateKbps', 'lossPercent', 'preDelaySamples', 'seed'].map(unitOfName))
      .toEqual(['ms', 's', 'Hz', 'dB', 'm/s', 'm', 'kbit/s', '%', 'samples', '']);
  });
});

describe('ParameterStore', () => {
  it('describes every live parameter of every engine, and takes every shipped preset back as it is', () => {
    const store = new ParameterStore();
    for (const engine of engineNames()) {
      expect(store.descriptors(engine).filter((d) => d.live).length, engine).toBeGreaterThan(0);
      for (const preset of listPresets(engine)) {
        store.load(engine, preset);
        expect(store.effective(engine), `${engine}/${preset.name}`).toEqual(preset.params);
      }
    }
  });

  it('keeps the old parameters when the schema refuses a change, including a cross-key rule', () => {
    const store = new ParameterStore();
    store.set('reverb', 'lines', 16);
    expect(() => store.set('reverb', 'lines', 12)).toThrow(/lines: got 12, expected a power of two for the Hadamard matrix/);
    expect(store.get('reverb', 'lines')).toBe(16);
  });
});
