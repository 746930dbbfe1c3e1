import { describe, expect, it } from 'vitest';
import { injectFaults } from '../testSignals/faultInjection.ts';
import { addGaussianNoise, addNoiseAtSnr } from '../testSignals/seededRandom.ts';
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

describe('detectResidualDropouts: a long step just over the line', () => {
  it('reports 10 windows of a step 1 dB over the line as one glitch: the search its loud windows ask for proves no shift', () => {
    const expected = sine(FS, 3000, FS, AMPLITUDE);
    const capture = new Float32Array(expected.length + LATENCY);
    capture.set(expected, LATENCY);
    addGaussianNoise(capture, NOISE_RMS, 7);
    const step = (AMPLITUDE / Math.SQRT2) * 10 ** (-39 / 20);
    for (let n = FAULT_FRAME; n < FAULT_FRAME + 10 * W; n++) capture[n] += step;

    expect(detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples: LATENCY, gain: 1 })).toEqual([{ kind: 'glitch', startFrame: FAULT_FRAME, lengthFrames: 10 * W }]);
  });
});

/**
 * A shift search's answer is accepted only when the shifted render explains the capture to within half the window
 * threshold in amplitude (short-span residual ≤ ¼·(rel²·render energy + noise): −46 dB under the default −40 dB). A
 * 512-frame repeat in a noise-like render, after which the capture runs at a gain off by δ: the best shift leaves
 * δ·render, so δ at −47 dB is accepted as the insert and δ at −45 dB is not (the misfit stays a glitch). The gain
 * error itself (under −40 dB) flags no window.
 */
describe('detectResidualDropouts accepts a shift only under half its threshold', () => {
  const latency = 256;
  const faultFrame = FS;
  function noiseBed(frames: number): Float32Array {
    const x = addGaussianNoise(new Float32Array(frames), 0.3, 1); // a short span's render energy ≈ 10, so rel²·energy is not rel²/energy
    let y = 0;
    for (let n = 0; n < frames; n++) x[n] = y += 0.2 * (x[n] - y);
    return x;
  }
  function repeatThenGainError(expected: Float32Array, gainErrorDb: number): Float32Array {
    const padded = new Float32Array(expected.length + latency);
    padded.set(expected, latency);
    const { signal } = injectFaults(padded, [{ kind: 'repeated', atFrame: faultFrame + latency, lengthFrames: 512 }]);
    const error = 10 ** (gainErrorDb / 20);
    for (let n = 0.75 * FS; n < signal.length; n++) signal[n] *= 1 + error;
    addNoiseAtSnr(signal, 80, 2);
    return signal;
  }

  it('takes the repeat as +512 with the rest explained to −47 dB, and leaves it a glitch at −45 dB', () => {
    const expected = noiseBed(1.5 * FS);
    const options = { sampleRate: FS, latencySamples: latency, gain: 1 };

    const accepted = detectResidualDropouts(expected, repeatThenGainError(expected, -47), options);
    const refused = detectResidualDropouts(expected, repeatThenGainError(expected, -45), options);

    expect(accepted).toEqual([{ kind: 'inserted', startFrame: faultFrame + latency, lengthFrames: 512, shiftFrames: 512 }]);
    expect(refused.map((e) => e.kind)).toEqual(['glitch']);
    expect(refused[0].startFrame).toBe(faultFrame + latency);
  });

  it('adds the noise floor to that limit: with the capture 40 dB over its noise, the repeat is still taken', () => {
    // The best shift leaves the noise (−40 dB), over half the threshold but within the floor's share of the limit.
    const expected = noiseBed(1.5 * FS);
    const padded = new Float32Array(expected.length + latency);
    padded.set(expected, latency);
    const { signal } = injectFaults(padded, [{ kind: 'repeated', atFrame: faultFrame + latency, lengthFrames: 512 }]);
    addNoiseAtSnr(signal, 40, 5);

    expect(detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: latency, gain: 1 })).toEqual([
      { kind: 'inserted', startFrame: faultFrame + latency, lengthFrames: 512, shiftFrames: 512 },
    ]);
  });
});

/**
 * The sustained rule at its line: a residual summed over 32 windows above thresholdDb − 6 dB asks for a shift search.
 * A dropped sample in a steady sine at f leaves a residual of 2·sin(πf/fs) of the level, under the window rule here
 * (thresholdDb −30): at −35 dB (135.9 Hz) the sustained rule finds the drop where it happened; at −37 dB (107.9 Hz)
 * nothing asks for a search, and a steady tone shows no boundary later, so nothing is reported.
 */
describe('detectResidualDropouts: the sustained rule at thresholdDb − 6 dB', () => {
  const latency = 256;
  const frequencyFor = (residualDb: number) => (FS / Math.PI) * Math.asin(10 ** (residualDb / 20) / 2);

  // Above the line, a second drop follows (judged on the alignment the first moved); below it one only (two unseen
  // drops add up to a two-sample shift, over the line).
  it.each([
    { residualDb: -35, dropFrames: [30000, 40000], found: true },
    { residualDb: -37, dropFrames: [30000], found: false },
  ])('one-sample drops at $dropFrames leaving $residualDb dB each (thresholdDb −30): found $found', ({ residualDb, dropFrames, found }) => {
    const expected = sine(FS, frequencyFor(residualDb), FS, AMPLITUDE);
    const padded = new Float32Array(expected.length + latency);
    padded.set(expected, latency);
    const { signal, injected } = injectFaults(padded, dropFrames.map((at) => ({ kind: 'dropped' as const, atFrame: at + latency, lengthFrames: 1 })));
    addNoiseAtSnr(signal, 80, 3);

    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: latency, gain: 1, thresholdDb: -30 });

    expect(events).toEqual(found ? injected.map((f) => ({ kind: 'dropped', startFrame: f.faultyFrame, lengthFrames: 1, shiftFrames: -1 })) : []);
  });

  it('waits 0.125 s after a search that proves nothing (doubling up to 2 s): a misfit at 0.1–0.2 s does not keep it from a drop at 0.63 s', () => {
    // The gain error (−33 dB) is over the sustained line and under the window rule; no shift explains it.
    const expected = sine(FS, frequencyFor(-35), FS, AMPLITUDE);
    const padded = new Float32Array(expected.length + latency);
    padded.set(expected, latency);
    const { signal, injected } = injectFaults(padded, [{ kind: 'dropped', atFrame: 30000 + latency, lengthFrames: 1 }]);
    for (let n = 0.1 * FS; n < 0.2 * FS; n++) signal[n] *= 1 + 10 ** (-33 / 20);
    addNoiseAtSnr(signal, 80, 3);

    expect(detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: latency, gain: 1, thresholdDb: -30 })).toEqual([
      { kind: 'dropped', startFrame: injected[0].faultyFrame, lengthFrames: 1, shiftFrames: -1 },
    ]);
  });
});

describe('detectResidualDropouts: the noise floor at its line', () => {
  /**
   * Where the render is silent the window rule's limit is the floor alone, 4σ: σ the median window RMS of the
   * residual over the first 512 windows, at most twice the smallest median of a block of 64 of them (noiseRms), the
   * median alone when there are fewer than two blocks. The capture's noise changes by 10 dB within those windows (a
   * converter settling, or waking), so the rule decides σ. A burst filling one window at ±A has rms_W(r) = A exactly:
   * 0.1 % over the floor it must be found, 0.1 % under it not.
   */
  const BURST_WINDOW = 100;

  /** White noise at 1e-4, √10 times louder over windows [loudFrom, loudTo). */
  function noise(windows: number, loudFrom: number, loudTo: number): Float32Array {
    const capture = addGaussianNoise(new Float32Array(windows * W), 1e-4, 41);
    for (let n = loudFrom * W; n < loudTo * W; n++) capture[n] *= Math.sqrt(10);
    return capture;
  }

  /** 4σ as the detector's documentation defines σ, computed from the capture (the residual: the render is silent). */
  function documentedFloor(capture: Float32Array): number {
    const n = Math.min(512, Math.floor(capture.length / W));
    const rms = Array.from({ length: n }, (_, w) => Math.sqrt(capture.subarray(w * W, (w + 1) * W).reduce((s, v) => s + v * v, 0) / W));
    const median = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1];
    if (n < 128) return 4 * median(rms);
    const blocks = Array.from({ length: Math.floor(n / 64) }, (_, b) => median(rms.slice(64 * b, 64 * b + 64)));
    return 4 * Math.min(median(rms), 2 * Math.min(...blocks));
  }

  const captures = [
    // The last block of the 512 (windows 448–511), the quietest, bounds σ.
    { name: '1500 windows, 10 dB louder for the first 448', make: () => noise(1500, 0, 448), burstWindow: 1000 },
    // Two blocks exactly: the first (40 quiet windows of its 64) bounds σ at twice its median, under the median of all.
    { name: '128 windows, 10 dB louder after the first 40', make: () => noise(128, 40, 128), burstWindow: BURST_WINDOW },
    // One block and 63 windows: the median of all, though the first block's median is under half of it.
    { name: '127 windows, 10 dB louder after the first 40', make: () => noise(127, 40, 127), burstWindow: BURST_WINDOW },
  ];

  it.each(captures.flatMap((c) => [{ ...c, ratio: 1.001, found: true }, { ...c, ratio: 0.999, found: false }]))(
    '$name: a one-window burst at $ratio × the floor is found: $found',
    ({ make, burstWindow, ratio, found }) => {
      const capture = make();
      const floor = documentedFloor(capture);
      for (let i = 0; i < W; i++) capture[burstWindow * W + i] = (i % 2 ? -1 : 1) * ratio * floor;
      // The burst is one of the windows σ is measured on when the capture is short: σ is computed with it.
      const floorWithBurst = documentedFloor(capture);
      for (let i = 0; i < W; i++) capture[burstWindow * W + i] = (i % 2 ? -1 : 1) * ratio * floorWithBurst;

      const events = detectResidualDropouts(new Float32Array(capture.length), capture, { sampleRate: FS, latencySamples: 0, gain: 1 });

      expect(documentedFloor(capture)).toBe(floorWithBurst);
      expect(events).toEqual(found ? [{ kind: 'glitch', startFrame: burstWindow * W, lengthFrames: W }] : []);
    },
  );
});
