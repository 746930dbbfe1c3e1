import { describe, expect, it } from 'vitest';
import { addGaussianNoise } from '../testSignals/seededRandom.ts';
import { sine } from '../testSignals/sine.ts';
import { detectResidualDropouts } from './residualDetector.ts';

/**
 * The window rule at its line: a window is flagged when rms_W(r) > 10^(thresholdDb/20)·level. A 3 kHz sine
 * at 48 kHz has a period of exactly one default window (16 frames), so every window's render RMS is
 * A/√2 and the smoothed level settles there; a DC step of height a over whole windows gives
 * rms_W(r) = a exactly. Faults 1 dB above the threshold must be found, 1 dB below must not.
 */
const FS = 48000;
const W = 16;
const AMPLITUDE = 0.5;
const LATENCY = 200;
const FAULT_FRAME = 1500 * W;
const FAULT_FRAMES = 4 * W;
/** Noise 100 dB under the tone: its 4σ floor is far under every threshold tested. */
const NOISE_RMS = AMPLITUDE * 1e-5;

function captureWithStep(expected: Float32Array, stepHeight: number): Float32Array {
  const capture = new Float32Array(expected.length + LATENCY);
  capture.set(expected, LATENCY);
  addGaussianNoise(capture, NOISE_RMS, 7);
  for (let n = FAULT_FRAME; n < FAULT_FRAME + FAULT_FRAMES; n++) capture[n] += stepHeight;
  return capture;
}

describe('detectResidualDropouts at its threshold', () => {
  const expected = sine(FS, 3000, FS, AMPLITUDE);
  const levelRms = AMPLITUDE / Math.SQRT2;

  it.each([
    { thresholdDb: undefined, lineDb: -40 },
    { thresholdDb: -30, lineDb: -30 },
  ])('finds a step 1 dB above the $lineDb dB line as one glitch where it is, and nothing 1 dB below (thresholdDb $thresholdDb)', ({ thresholdDb, lineDb }) => {
    const above = captureWithStep(expected, levelRms * 10 ** ((lineDb + 1) / 20));
    const below = captureWithStep(expected, levelRms * 10 ** ((lineDb - 1) / 20));

    const found = detectResidualDropouts(expected, above, { sampleRate: FS, latencySamples: LATENCY, gain: 1, thresholdDb });
    const missed = detectResidualDropouts(expected, below, { sampleRate: FS, latencySamples: LATENCY, gain: 1, thresholdDb });

    expect(found).toEqual([{ kind: 'glitch', startFrame: FAULT_FRAME, lengthFrames: FAULT_FRAMES }]);
    expect(missed).toEqual([]);
  });
});
