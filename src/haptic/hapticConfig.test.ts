import { describe, expect, it } from 'vitest';
import { ParamError } from '../engine/params.ts';
import { HAPTIC_PARAM_NAMES, layoutCentre, maxSourceDistanceM, parseHapticConfig, transducerPositions } from './hapticConfig.ts';

describe('hapticConfig', () => {
  it('defaults to 32 transducers in 4 rows × 8 columns at 5 cm, pools 8 + 4, split 64', () => {
    const c = parseHapticConfig({});
    const p = transducerPositions(c);
    expect(p).toHaveLength(32);
    expect(p[9]).toEqual({ xM: 0.05, yM: 0.05 });
    expect(layoutCentre(p).xM).toBeCloseTo(0.175, 12);
    expect(layoutCentre(p).yM).toBeCloseTo(0.075, 12);
    expect(c.pools).toEqual({ travelling: 8, standing: 4, velocitySplit: 64, stealPolicy: 'oldest' });
    expect(c.envelope).toEqual({ attackMs: 100, releaseMs: 500 });
    expect([c.waveSpeedMps, c.positionRangeM, c.interpolation]).toEqual([100, 0.2, 'linear']);
    expect(HAPTIC_PARAM_NAMES).toEqual(['waveSpeedMps', 'masterGainDb']);
  });

  it('takes explicit transducer positions instead of the grid', () => {
    const c = parseHapticConfig({ layout: { positionsM: [{ xM: 0, yM: 0 }, { xM: 0.3, yM: 0 }] } });
    expect(transducerPositions(c)).toHaveLength(2);
    expect(maxSourceDistanceM(c)).toBeCloseTo(Math.hypot(0.35, 0.2), 12);
  });

  it('names the key, the value and the range of an out-of-range wave speed', () => {
    expect(() => parseHapticConfig({ waveSpeedMps: 10 }, 'rig.json')).toThrow(/rig\.json: waveSpeedMps: got 10, expected a value ≥ 20/);
  });

  it('rejects the removed keys the engine never read (mpe.bendRangeSemitones, limiter.mode), naming them', () => {
    expect(() => parseHapticConfig({ mpe: { bendRangeSemitones: 24 } })).toThrow(/unknown key "mpe"/);
    expect(() => parseHapticConfig({ limiter: { mode: 'clip' } })).toThrow(/unknown key "limiter"/);
  });

  it('rejects unknown keys', () => {
    expect(() => parseHapticConfig({ pools: { travelling: 8, voices: 3 } })).toThrow(ParamError);
    expect(() => parseHapticConfig({ pools: { voices: 3 } })).toThrow(/pools: unknown key "voices"/);
  });

  it('requires one mode-shape gain per transducer', () => {
    expect(() => parseHapticConfig({ standingModeShape: [1, 0.5] })).toThrow(/one gain per transducer \(32\), got 2/);
    expect(parseHapticConfig({ layout: { rows: 1, columns: 2 }, standingModeShape: [1, -1] }).standingModeShape).toEqual([1, -1]);
  });
});
