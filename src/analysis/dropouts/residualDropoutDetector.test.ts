import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DropoutEvent } from './dropoutEvent.ts';
import { faultyBursts } from '../testSignals/faultyBursts.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { addSineBursts } from '../testSignals/sine.ts';
import { detectResidualDropouts, type ResidualDetectorOptions } from './residualDetector.ts';
import { ResidualDropoutDetector } from './residualDropoutDetector.ts';
import { SignalHistory } from './signalHistory.ts';

const FS = 48000;

/** Chunk sizes (frames, cycled): a period, odd sizes that split windows and faults, a second, tiny ones. */
const CHUNKINGS: number[][] = [[128], [1000, 37, 4096], [FS], [7, 20000]];

/** Feeds render and capture in chunks of the given sizes (cycled); `dropState` starts a new detector at each chunk (the broken variant). */
function chunkedFindings(expected: Float32Array, capture: Float32Array, options: ResidualDetectorOptions, sizes: number[], dropState = false): DropoutEvent[] {
  const make = () => new ResidualDropoutDetector({ ...options, totalFrames: capture.length });
  let detector = make();
  const found: DropoutEvent[] = [];
  for (let at = 0, k = 0; at < Math.max(expected.length, capture.length); at += sizes[k++ % sizes.length]) {
    const to = at + sizes[k % sizes.length];
    if (dropState && at > 0) {
      found.push(...detector.finish());
      detector = make();
    }
    detector.push(expected.subarray(Math.min(at, expected.length), Math.min(to, expected.length)), capture.subarray(Math.min(at, capture.length), Math.min(to, capture.length)));
  }
  return [...found, ...detector.finish()];
}

describe('ResidualDropoutDetector fed chunk by chunk', () => {
  // A stage that read history it had let go of would read NaN here and change its findings.
  beforeAll(() => { SignalHistory.poisonDiscarded = true; });
  afterAll(() => { SignalHistory.poisonDiscarded = false; });
  const integer = faultyBursts(6, { sampleRate: FS, latencySamples: 480, seed: 3, varied: true });
  const fractional = faultyBursts(6, { sampleRate: FS, latencySamples: 300.37, seed: 3, varied: true });
  const cases = [
    { name: 'integer latency, gain given', signals: integer, options: { sampleRate: FS, latencySamples: 480, gain: 1 } },
    { name: 'fractional latency, gain estimated', signals: fractional, options: { sampleRate: FS, latencySamples: 300.37 } },
  ];

  for (const c of cases) {
    it(`gives exactly the whole-signal findings at every chunking (${c.name})`, () => {
      const whole = detectResidualDropouts(c.signals.expected, c.signals.capture, c.options);

      expect(whole.length).toBeGreaterThanOrEqual(c.signals.faults.length - 2); // the case is not trivially empty
      for (const sizes of CHUNKINGS) expect(chunkedFindings(c.signals.expected, c.signals.capture, c.options, sizes), `chunks ${sizes}`).toEqual(whole);
    });
  }

  it('gives exactly the whole-signal findings reading histories it shares, whose owner discards only what it no longer needs', () => {
    const { expected, capture } = integer;
    const options = { sampleRate: FS, latencySamples: 480, gain: 1 };
    const whole = detectResidualDropouts(expected, capture, options);
    const render = new SignalHistory(FS);
    const captured = new SignalHistory(FS);
    const d = new ResidualDropoutDetector({ ...options, totalFrames: capture.length }, { render, capture: captured, shared: true });
    let most = 0;
    for (let at = 0; at < capture.length; at += 4000) {
      render.append(expected.subarray(Math.min(at, expected.length), Math.min(at + 4000, expected.length)));
      captured.append(capture.subarray(at, at + 4000));
      d.advance();
      // Poisoned on discard (beforeAll): a read below what the detector declared would change its findings.
      render.discardBefore(d.renderNeededFrom);
      captured.discardBefore(d.captureNeededFrom);
      most = Math.max(most, captured.heldFrames);
    }

    expect(whole.length).toBeGreaterThan(0);
    expect(d.finish()).toEqual(whole);
    expect(most).toBeLessThan(capture.length / 2); // it did let go of the past
  });

  it('differs from the whole-signal findings when its state is dropped between chunks (the comparison can fail)', () => {
    const { expected, capture } = integer;
    const options = { sampleRate: FS, latencySamples: 480, gain: 1 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(chunkedFindings(expected, capture, options, [FS], true)).not.toEqual(whole);
  });

  it('holds a bounded history over a minute streamed in 1 s chunks, and finds nothing on the clean stream', () => {
    // One second of bursts ending in silence, repeated; the capture is it 480 frames later, at 60 dB SNR.
    const second = addSineBursts(new Float32Array(FS), FS, [0, 1, 2, 3].map((k) => ({ startFrame: 2400 + k * 9600, frequencyHz: 110 * (k + 1), amplitude: 0.5, attackFrames: 96, sustainFrames: 4000, releaseFrames: 960 })));
    const delayed = new Float32Array(FS);
    delayed.set(second.subarray(0, FS - 480), 480);
    const d = new ResidualDropoutDetector({ sampleRate: FS, latencySamples: 480, gain: 1 });
    let most = 0;
    for (let s = 0; s < 60; s++) {
      const capture = delayed.slice();
      addNoiseAtSnr(capture, 60, s + 1);
      d.push(second, capture);
      most = Math.max(most, d.heldFrames);
    }

    expect(d.finish()).toEqual([]);
    // Lookahead (4096 + 4096 + 8 windows + 16) + 72 windows of history + one chunk.
    expect(most).toBeLessThanOrEqual(FS + 8192 + 80 * 16 + 16);
  });
});
