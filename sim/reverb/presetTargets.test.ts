import { describe, expect, it } from 'vitest';
import { listPresets } from '../../src/presets/presetStore.ts';
import { predictedTargets } from './reverbPresetTargets.ts';

describe('reverb preset targets', () => {
  it('every declared target is the design prediction from the preset\'s own params (within 0.01 s), not a number fitted to a render', () => {
    for (const preset of listPresets('reverb')) {
      const predicted = predictedTargets(preset.params);
      expect(preset.targets?.rt60Seconds, preset.name).toBeCloseTo(predicted.rt60Seconds, 2);
      for (const [band, seconds] of Object.entries(predicted.bands)) expect(preset.targets?.bands[band], `${preset.name} ${band} Hz`).toBeCloseTo(seconds, 2);
      expect(preset.targets?.tolerancePercent).toBe(5);
      expect(preset.targets?.bandTolerancePercent).toBe(10);
    }
  });

  it('the presets span a small room to a cathedral, bright and dark', () => {
    const presets = listPresets('reverb');
    const rt60 = presets.map((p) => p.targets?.rt60Seconds ?? 0);
    expect(Math.min(...rt60)).toBeLessThan(0.5);
    expect(Math.max(...rt60)).toBeGreaterThan(4);
    const tilt = presets.map((p) => (p.targets?.bands['4000'] ?? 0) / (p.targets?.bands['500'] ?? 1));
    expect(Math.min(...tilt), 'a dark preset: 4 kHz decays in under half the 500 Hz time').toBeLessThan(0.5);
    expect(Math.max(...tilt), 'a bright preset: 4 kHz within 10 % of 500 Hz').toBeGreaterThan(0.9);
  });
});
