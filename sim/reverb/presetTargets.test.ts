import { describe, expect, it } from 'vitest';
import { listPresets } from '../../src/presets/presetStore.ts';
import { delayLengthsSamples } from '../../src/reverb/delayLengths.ts';
import type { ReverbParams } from '../../src/reverb/reverbParams.ts';
import { designShelved } from '../../src/reverb/threeAnchorAbsorption.ts';
import { TARGET_SAMPLE_RATES, predictedTargets } from './reverbPresetTargets.ts';

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

  it('at least three presets set a low target, every line meets it exactly at 44.1, 48 and 96 kHz, and one preset damps by hand with one coefficient per line', () => {
    const params = listPresets('reverb').map((p) => ({ name: p.name, params: p.params as ReverbParams }));
    const withLow = params.filter((p) => p.params.decayMode === 'rt60' && p.params.rt60LowSeconds != null);
    expect(withLow.length).toBeGreaterThanOrEqual(3);
    for (const { name, params: q } of withLow) {
      for (const rate of TARGET_SAMPLE_RATES) {
        for (const m of delayLengthsSamples(q.lines, rate, q.delayMinMs, q.delayMaxMs)) {
          const c = designShelved(m, rate, q.rt60Seconds, 500, q.rt60HighSeconds ?? q.rt60Seconds, 4000, q.rt60LowSeconds as number, 250);
          expect(c.met, `${name}: line of ${m} samples at ${rate} Hz falls back to two anchors`).toBe(true);
        }
      }
    }
    const manual = params.filter((p) => p.params.decayMode === 'manual' && Array.isArray(p.params.damping));
    expect(manual.map((p) => p.name).length).toBeGreaterThanOrEqual(1);
  });
});
