import { describe, expect, it } from 'vitest';
import { addSineBursts, sine } from './sine.ts';

describe('sine', () => {
  it('matches Math.sin within 1e-6 over 100 000 samples', () => {
    const x = sine(100000, 5357, 48000, 0.5, 0.3);
    let err = 0;
    for (let n = 0; n < x.length; n++) err = Math.max(err, Math.abs(x[n] - 0.5 * Math.sin((2 * Math.PI * 5357 * n) / 48000 + 0.3)));
    expect(err).toBeLessThan(1e-6);
  });

  it('shapes a burst with a raised-cosine attack that reaches full level at the end of the attack', () => {
    const x = addSineBursts(new Float32Array(2000), 48000, [{ startFrame: 100, frequencyHz: 12000, amplitude: 1, attackFrames: 96, sustainFrames: 500, releaseFrames: 96 }]);
    expect(x[99]).toBe(0);
    expect(Math.max(...x.subarray(196, 700))).toBeCloseTo(1, 3);
    expect(x[100 + 96 + 500 + 96 + 1]).toBe(0);
  });

  it('adds each burst onto what is there: amplitude·env(t)·sin(ωt), env the raised-cosine attack, flat sustain and raised-cosine release', () => {
    // A fractional start (t = n − 100.25) and a signal already holding 0.1: every sample against the analytic burst.
    const burst = { startFrame: 100.25, frequencyHz: 1000, amplitude: 0.8, attackFrames: 40, sustainFrames: 30, releaseFrames: 50 };
    const x = addSineBursts(new Float32Array(300).fill(0.1), 48000, [burst]);
    for (let n = 0; n < 300; n++) {
      const t = n - burst.startFrame;
      let env = 0;
      if (t >= 0 && t < 40) env = 0.5 - 0.5 * Math.cos((Math.PI * t) / 40);
      else if (t >= 40 && t <= 70) env = 1;
      else if (t > 70 && t <= 120) env = 0.5 + 0.5 * Math.cos((Math.PI * (t - 70)) / 50);
      expect(Math.abs(x[n] - (0.1 + 0.8 * env * Math.sin((2 * Math.PI * 1000 * t) / 48000)))).toBeLessThan(1e-7);
    }
  });

  it('cuts a burst at the end of the signal and fills every sample of a tone, across its 1024-sample blocks', () => {
    const x = addSineBursts(new Float32Array(150), 48000, [{ startFrame: 100, frequencyHz: 1000, amplitude: 1, attackFrames: 10, sustainFrames: 100, releaseFrames: 10 }]);
    expect(Math.abs(x[149] - Math.sin((2 * Math.PI * 1000 * 49) / 48000))).toBeLessThan(1e-7);
    const tone = sine(2049, 1000, 48000);
    expect(Math.abs(tone[2048] - Math.sin((2 * Math.PI * 1000 * 2048) / 48000))).toBeLessThan(1e-6);
  });
});
