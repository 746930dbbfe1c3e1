import { describe, expect, it } from 'vitest';
import { type Fault, injectFaults } from '../testSignals/faultInjection.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addGaussianNoise, addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { addSineBursts } from '../testSignals/sine.ts';
import { detectResidualDropouts } from './residualDetector.ts';

const FS = 48000;
const LATENCY = 300;

/** Haptic-like programme: overlapping 90–250 Hz bursts over a low-passed noise bed. */
function programme(frames: number, seed: number): Float32Array {
  const x = addGaussianNoise(new Float32Array(frames), 0.05, seed);
  let y = 0;
  for (let n = 0; n < frames; n++) x[n] = y += 0.2 * (x[n] - y);
  const bursts = [];
  for (let t = 0, k = 0; t < frames; t += 2400, k++) {
    bursts.push({ startFrame: t, frequencyHz: 90 + ((k * 37) % 160), amplitude: 0.3, attackFrames: 240, sustainFrames: 3000, releaseFrames: 480 });
  }
  addSineBursts(x, FS, bursts);
  for (let n = frames - 4800; n < frames; n++) x[n] *= (frames - n) / 4800; // renders end in silence
  return x;
}

function captureOf(expected: Float32Array, latency: number, faults: Fault[], seed: number) {
  const padded = new Float32Array(expected.length + latency + 64);
  padded.set(expected, latency);
  const { signal, injected } = injectFaults(padded, faults.map((f) => ({ ...f, atFrame: f.atFrame + latency })));
  addNoiseAtSnr(signal, 60, seed);
  return { signal, injected };
}

describe('detectResidualDropouts', () => {
  const expected = programme(3 * FS, 1);

  it('reports nothing on a clean capture at 60 dB SNR', () => {
    const { signal } = captureOf(expected, LATENCY, [], 2);
    expect(detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY })).toEqual([]);
  });

  it('reports nothing on a clean capture with a fractional latency of 300.37 samples', () => {
    const padded = new Float32Array(expected.length + 400);
    padded.set(expected);
    const signal = fractionalDelay(padded, 300.37);
    addNoiseAtSnr(signal, 60, 3);
    expect(detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 300.37 })).toEqual([]);
  });

  it('finds a dropped sample, reports the shift and re-aligns', () => {
    const { signal, injected } = captureOf(expected, LATENCY, [{ kind: 'dropped', atFrame: 50000, lengthFrames: 1 }], 4);
    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'dropped', shiftFrames: -1 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('finds a repeated 512-frame block as 512 inserted frames', () => {
    const { signal, injected } = captureOf(expected, LATENCY, [{ kind: 'repeated', atFrame: 70000, lengthFrames: 512 }], 5);
    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'inserted', shiftFrames: 512 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('finds a zeroed block with its start and length within 1 ms', () => {
    const { signal, injected } = captureOf(expected, LATENCY, [{ kind: 'zeroed', atFrame: 90000, lengthFrames: 128 }], 6);
    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('zeroed');
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
    expect(Math.abs(events[0].lengthFrames - 128)).toBeLessThan(FS / 1000);
  });

  it('re-aligns an inverted path too (gain −1): a dropped sample is found with its shift', () => {
    const { signal, injected } = captureOf(expected, LATENCY, [{ kind: 'dropped', atFrame: 60000, lengthFrames: 1 }], 7);
    const inverted = signal.map((v) => -v);
    const events = detectResidualDropouts(expected, inverted, { sampleRate: FS, latencySamples: LATENCY, gain: -1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'dropped', shiftFrames: -1 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('finds a repeated block of 9 frames, which a pilot at 5357 Hz cannot see', () => {
    const { signal, injected } = captureOf(expected, LATENCY, [{ kind: 'repeated', atFrame: 80000, lengthFrames: 9 }], 8);
    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'inserted', shiftFrames: 9 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });
});

describe('detectResidualDropouts on sine bursts (what the haptic HIL captures)', () => {
  /** 35 ms notes (2 ms attack, 20 ms release) every 61.7 ms, all at `frequencyHz`, as the sweep scenario plays them. */
  function burstTrain(frequencyHz: number, seconds: number): Float32Array {
    const x = new Float32Array(Math.round(seconds * FS));
    const bursts = [];
    for (let t = 0.05 * FS; t < x.length - 0.1 * FS; t += 0.0617 * FS) {
      bursts.push({ startFrame: Math.round(t), frequencyHz, amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 });
    }
    return addSineBursts(x, FS, bursts);
  }
  /** A frame 12 ms into burst k. */
  const inBurst = (k: number) => Math.round((0.05 + 0.0617 * k + 0.012) * FS);

  it('reports a 64-frame zeroed block in a 1 kHz burst as zeroed with its start and length, without re-aligning', () => {
    const expected = burstTrain(1000, 1);
    const { signal, injected } = captureOf(expected, 256, [
      { kind: 'zeroed', atFrame: inBurst(3), lengthFrames: 64 },
      { kind: 'dropped', atFrame: inBurst(9), lengthFrames: 1 },
    ], 9);

    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 256, gain: 1 });

    expect(events).toHaveLength(2);
    // Within 2 frames: a zeroed sample at a zero crossing of the tone leaves no trace.
    expect(events[0].kind).toBe('zeroed');
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThanOrEqual(2);
    expect(Math.abs(events[0].lengthFrames - 64)).toBeLessThanOrEqual(2);
    expect(events[1]).toMatchObject({ kind: 'dropped', startFrame: injected[1].faultyFrame, shiftFrames: -1 });
  });

  it('takes a 1000-frame repeat in a 110 Hz burst as +1000, not as the shifts a whole period (436.4 frames) away', () => {
    const expected = burstTrain(110, 1);
    const { signal, injected } = captureOf(expected, 256, [{ kind: 'repeated', atFrame: inBurst(4), lengthFrames: 1000 }], 10);

    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 256, gain: 1 });

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'inserted', shiftFrames: 1000 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('finds a dropped sample in a 30 Hz burst where it happened (residual ≈ −48 dB, under the window rule: the sustained rule)', () => {
    // Without the sustained rule it is found 50 ms late, at the burst's release.
    const expected = burstTrain(30, 1);
    const { signal, injected } = captureOf(expected, 256, [{ kind: 'dropped', atFrame: inBurst(5), lengthFrames: 1 }], 11);

    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 256, gain: 1 });

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'dropped', shiftFrames: -1 });
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('estimates an inverted path gain of −0.89 itself, though a zeroed and a repeated block lie in the stretch it measures', () => {
    const expected = burstTrain(220, 1.5);
    const { signal, injected } = captureOf(expected, 256, [
      { kind: 'zeroed', atFrame: inBurst(2), lengthFrames: 512 },
      { kind: 'repeated', atFrame: inBurst(6), lengthFrames: 128 },
    ], 13);
    const capture = signal.map((v) => -0.89 * v);

    const events = detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples: 256 });

    expect(events.map((e) => e.kind)).toEqual(['zeroed', 'inserted']);
    events.forEach((e, i) => expect(Math.abs(e.startFrame - injected[i].faultyFrame)).toBeLessThan(FS / 1000));
  });

  it('reports a 3000-frame zeroed block that spans the silence between two bursts as one zeroed event with its length', () => {
    const expected = burstTrain(220, 1);
    const { signal, injected } = captureOf(expected, 256, [{ kind: 'zeroed', atFrame: inBurst(5) + 600, lengthFrames: 3000 }], 14);

    const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 256, gain: 1 });

    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('zeroed');
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThanOrEqual(2);
    expect(Math.abs(events[0].lengthFrames - 3000)).toBeLessThanOrEqual(2);
  });

  it('reports nothing on clean bursts at 65 Hz, 220 Hz and 1 kHz', () => {
    for (const frequencyHz of [65, 220, 1000]) {
      const expected = burstTrain(frequencyHz, 1);
      const { signal } = captureOf(expected, 256, [], 12);
      expect(detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: 256, gain: 1 }), `${frequencyHz} Hz`).toEqual([]);
    }
  });
});
