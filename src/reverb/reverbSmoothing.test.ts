import { describe, expect, it } from 'vitest';
import { R_MIX, R_PRE_DELAY, ReverbSmoothing, S_DRY, S_PRE_DELAY, S_PRE_DELAY_STEP, S_PRE_DELAY_TARGET, S_WET, S_WET_TARGET } from './reverbSmoothing.ts';

describe('ReverbSmoothing', () => {
  it('rests at the reset values with dry = 1 − wet and no ramp', () => {
    const s = new ReverbSmoothing();
    s.reset(480, 0.3);
    expect([s.values[S_PRE_DELAY], s.values[S_PRE_DELAY_TARGET], s.values[S_WET], s.values[S_DRY]]).toEqual([480, 480, 0.3, 0.7]);
    expect([...s.remaining]).toEqual([0, 0]);
  });

  it('sets the mix at once for a ramp of 0 frames', () => {
    const s = new ReverbSmoothing();
    s.reset(0, 0.5);
    s.values[S_WET_TARGET] = 0.25;
    s.startWetRamp(0);
    expect([s.values[S_WET], s.values[S_DRY], s.remaining[R_MIX]]).toEqual([0.25, 0.75, 0]);
  });

  it('steps the pre-delay by (target − present)/R samples per sample', () => {
    const s = new ReverbSmoothing();
    s.reset(100, 0.5);
    s.values[S_PRE_DELAY_TARGET] = 200;
    s.startPreDelayRamp(400);
    expect([s.values[S_PRE_DELAY_STEP], s.remaining[R_PRE_DELAY]]).toEqual([0.25, 400]);
  });

  for (const [wetRamp, preDelayRamp] of [[90, 30], [30, 90]]) {
    it(`shortens a chunk to the nearer ramp end (mix ${wetRamp}, pre-delay ${preDelayRamp} frames) and leaves it whole at rest`, () => {
      const s = new ReverbSmoothing();
      s.reset(0, 0.5);
      expect(s.chunkLimit(256)).toBe(256);
      s.values[S_WET_TARGET] = 1;
      s.startWetRamp(wetRamp);
      s.values[S_PRE_DELAY_TARGET] = 10;
      s.startPreDelayRamp(preDelayRamp);
      expect(s.chunkLimit(256)).toBe(30);
      expect(s.chunkLimit(20)).toBe(20);
    });
  }
});
