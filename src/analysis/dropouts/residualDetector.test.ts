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
