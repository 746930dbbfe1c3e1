import { describe, expect, it } from 'vitest';
import { driftingDelay } from '../testSignals/clockDrift.ts';
import { injectFaults } from '../testSignals/faultInjection.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { sine } from '../testSignals/sine.ts';
import { residualDropoutsAndLatency } from './residualDetector.ts';

const FS = 48000;
const LATENCY = 300;
const SECONDS = 5;
const tone = sine(SECONDS * FS, 440, FS, 0.5);
const detect = (capture: Float32Array, render = tone) => residualDropoutsAndLatency(render, capture, { sampleRate: FS, latencySamples: LATENCY, gain: 1 });
/** The tone captured at LATENCY + ppm·10⁻⁶·n, at 60 dB SNR. */
function drifting(ppm: number): Float32Array {
  const y = driftingDelay(tone, LATENCY, ppm);
  addNoiseAtSnr(y, 60, 4);
  return y;
}

describe('the latency the residual detector followed without an event (latencyFollowedSamples)', () => {
  it('reads a clock drift that no event reports: ±20 ppm over 5 s on a steady tone is ±4.8 samples', () => {
    for (const ppm of [20, -20, 2]) {
      const { events, latencyFollowedSamples } = detect(drifting(ppm));
      const drift = ppm * 1e-6 * SECONDS * FS; // at the capture's last frame of the tone
      expect(events).toEqual([]);
      // The detector follows a move once it is a fraction of a sample old: it trails the drift by less than 0.15 sample.
      expect(Math.abs(latencyFollowedSamples - drift)).toBeLessThan(0.15);
    }
  });

  it('is 0 on a capture whose latency holds, and leaves out the whole-sample shifts it reports', () => {
    const steady = driftingDelay(tone, LATENCY, 0);
    addNoiseAtSnr(steady, 60, 4);
    expect(detect(steady)).toEqual({ events: [], latencyFollowedSamples: 0 });
    const { signal } = injectFaults(steady, [{ kind: 'dropped', atFrame: 2 * FS, lengthFrames: 100 }, { kind: 'inserted', atFrame: 3 * FS, lengthFrames: 37 }]);
    const { events, latencyFollowedSamples } = detect(signal);
    expect(events.filter((e) => e.shiftFrames !== undefined).map((e) => e.shiftFrames)).toEqual([-100, 37]); // the held sample is a glitch too
    expect(latencyFollowedSamples).toBe(0);
  });

  it('stays 0 after a whole-sample shift whose sub-sample rest is the noise\'s (a dropped sample in 1 s of the tone): the rest is followed only when it cuts the residual by another 6 dB', () => {
    // The search's vertex lies ~0.001 sample off the whole shift at 60 dB SNR (over alignedRender's 1e-4 snap);
    // followed, it would read here. (The test above's two shifts snap back to a whole latency between them.)
    const steady = driftingDelay(tone, LATENCY, 0);
    addNoiseAtSnr(steady, 60, 4);
    const { signal } = injectFaults(steady, [{ kind: 'dropped', atFrame: FS / 2, lengthFrames: 1 }]);
    expect(detect(signal.subarray(0, FS + LATENCY), tone.subarray(0, FS))).toEqual({ events: [{ kind: 'dropped', startFrame: FS / 2, lengthFrames: 1, shiftFrames: -1 }], latencyFollowedSamples: 0 });
  });
});
