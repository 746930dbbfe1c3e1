import { describe, expect, it } from 'vitest';
import { DelayModulation, MOD_DEPTH, MOD_INCREMENT, MOD_PHASE, MOD_TARGET } from './delayModulation.ts';

const DELAYS = [401, 503, 607, 701];

describe('DelayModulation', () => {
  it('clamps the depth target to half the shortest line', () => {
    const mod = new DelayModulation(DELAYS, 64, 'cubic');
    mod.state[MOD_TARGET] = 1e6;
    mod.startDepthRamp(0);
    expect([mod.maxDepthSamples, mod.state[MOD_DEPTH]]).toEqual([200, 200]);
  });

  it('is inactive at depth 0 and active while a depth ramp runs', () => {
    const mod = new DelayModulation(DELAYS, 64, 'linear');
    expect(mod.active).toBe(false);
    mod.state[MOD_TARGET] = 3;
    mod.startDepthRamp(100);
    expect(mod.active).toBe(true);
  });

  it('keeps the LFO phase within [0, 2π) and fills sin θ, cos θ of each sample', () => {
    const mod = new DelayModulation(DELAYS, 64, 'cubic');
    mod.state[MOD_INCREMENT] = 0.9;
    for (let chunk = 0; chunk < 50; chunk++) {
      const phase = mod.state[MOD_PHASE];
      mod.prepareChunk(64);
      expect(mod.sinBuf[0]).toBe(Math.sin(phase));
      expect(mod.state[MOD_PHASE] >= 0 && mod.state[MOD_PHASE] < 2 * Math.PI).toBe(true);
    }
  });

  it('reads a constant line as that constant at any depth (interpolation gain 1 within 1e-12)', () => {
    const mod = new DelayModulation(DELAYS, 64, 'cubic');
    mod.state[MOD_TARGET] = 150;
    mod.state[MOD_INCREMENT] = 0.3;
    mod.startDepthRamp(0);
    mod.prepareChunk(64);
    const ring = new Float64Array(2048).fill(0.7);
    const out = new Float64Array(64);
    mod.readLine(ring, 2047, 1000, DELAYS[2], 2, out, 64);
    expect(Math.max(...out.map((v) => Math.abs(v - 0.7)))).toBeLessThan(1e-12);
  });
});
