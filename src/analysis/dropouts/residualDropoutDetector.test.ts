import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DropoutEvent } from './dropoutEvent.ts';
import { injectFaults } from '../testSignals/faultInjection.ts';
import { faultyBursts } from '../testSignals/faultyBursts.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { programmeLike } from '../testSignals/programmeLike.ts';
import { addGaussianNoise, addNoiseAtSnr, gaussianNoise } from '../testSignals/seededRandom.ts';
import { addSineBursts, sine } from '../testSignals/sine.ts';
import { detectResidualDropouts } from './residualDetector.ts';
import { ResidualDropoutDetector, type StreamingResidualOptions } from './residualDropoutDetector.ts';
import { SignalHistory } from './signalHistory.ts';

const FS = 48000;

/** Chunk sizes (frames, cycled): a period, odd sizes that split windows and faults, a second, tiny ones. */
const CHUNKINGS: number[][] = [[128], [1000, 37, 4096], [FS], [7, 20000]];

/**
 * Feeds render and capture in chunks of the given sizes (cycled); `dropState` starts a new detector at each chunk (the
 * broken variant). The detector is told the capture's length unless `options` says otherwise (`totalFrames: undefined`:
 * a capture streamed without its length).
 */
function chunkedFindings(expected: Float32Array, capture: Float32Array, options: StreamingResidualOptions, sizes: number[], dropState = false): DropoutEvent[] {
  const make = () => new ResidualDropoutDetector({ totalFrames: capture.length, ...options });
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

/** Feeds chunks of `chunk` frames with the render `renderDelay` frames behind the capture (negative: the capture behind). */
function staggeredFindings(expected: Float32Array, capture: Float32Array, options: StreamingResidualOptions, renderDelay: number, chunk: number): DropoutEvent[] {
  const d = new ResidualDropoutDetector({ ...options, totalFrames: capture.length });
  const part = (x: Float32Array, from: number) => x.subarray(Math.max(0, Math.min(from, x.length)), Math.max(0, Math.min(from + chunk, x.length)));
  for (let at = 0; at < Math.max(expected.length, capture.length) + Math.abs(renderDelay); at += chunk) {
    d.push(part(expected, at - Math.max(0, renderDelay)), part(capture, at - Math.max(0, -renderDelay)));
  }
  return d.finish();
}

/**
 * One second of white noise (0.3, seed 7) rising `dbPer1000` dB per 1000 frames from frame `from` to `to` (flat
 * before and after, 0 dB from `to` on), captured 300 frames late with a `fault` of `length` frames at render frame
 * `at` and one dropped sample at 40000, under noise 60 dB down.
 */
function crescendoWithFault(from: number, to: number, dbPer1000: number, fault: 'repeated' | 'stalled', at: number, length: number) {
  const expected = gaussianNoise(FS, 0.3, 7);
  for (let n = 0; n < FS; n++) expected[n] *= 10 ** (((Math.min(Math.max(n, from), to) - to) * dbPer1000) / 1000 / 20);
  const padded = new Float32Array(FS + 300 + length + 64);
  padded.set(expected, 300);
  const { signal, injected } = injectFaults(padded, [{ kind: fault, atFrame: 300 + at, lengthFrames: length }, { kind: 'dropped', atFrame: 300 + 40000, lengthFrames: 1 }]);
  addNoiseAtSnr(signal, 60, 5);
  return { expected, signal, injected, options: { sampleRate: FS, latencySamples: 300, gain: 1 } };
}

/** Two seconds of noise-like programme (white noise 0.1, seed 46, through a one-pole low-pass), and it 300 frames late. */
function noiseLikeProgramme(): { frames: number; expected: Float32Array; padded: Float32Array } {
  const frames = 2 * FS;
  const expected = addGaussianNoise(new Float32Array(frames), 0.1, 46);
  for (let n = 0, y = 0; n < frames; n++) expected[n] = y += 0.2 * (expected[n] - y);
  const padded = new Float32Array(frames + 300);
  padded.set(expected, 300);
  return { frames, expected, padded };
}

describe('ResidualDropoutDetector fed chunk by chunk', () => {
  // A stage that read history it had let go of, or frames that have not arrived, would read NaN here and change its findings.
  beforeAll(() => {
    SignalHistory.poisonDiscarded = true;
    SignalHistory.poisonAhead = Number.NaN;
  });
  afterAll(() => {
    SignalHistory.poisonDiscarded = false;
    SignalHistory.poisonAhead = undefined;
  });
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
    let prevNeeded = 0;
    for (let at = 0; at < capture.length; at += 4000) {
      render.append(expected.subarray(Math.min(at, expected.length), Math.min(at + 4000, expected.length)));
      captured.append(capture.subarray(at, at + 4000));
      d.advance();
      // Shared: the detector lets go of nothing itself (another reader may still need it); it only says what it needs.
      expect(captured.heldFrames).toBe(Math.min(at + 4000, capture.length) - Math.max(0, prevNeeded));
      prevNeeded = d.captureNeededFrom;
      // Poisoned on discard (beforeAll): a read below what the detector declared would change its findings.
      render.discardBefore(d.renderNeededFrom);
      captured.discardBefore(d.captureNeededFrom);
      most = Math.max(most, captured.heldFrames);
    }

    expect(whole.length).toBeGreaterThan(0);
    expect(d.finish()).toEqual(whole);
    expect(most).toBeLessThan(capture.length / 2); // it did let go of the past
  });

  const staggeredCases = [
    { name: 'the render arrives half a second after the capture (it waits for both)', signals: fractional, options: { sampleRate: FS, latencySamples: 300.37 }, renderDelay: FS / 2 },
    { name: 'the capture arrives half a second after the render', signals: integer, options: { sampleRate: FS, latencySamples: 480, gain: 1 }, renderDelay: -FS / 2 },
  ];
  for (const c of staggeredCases) {
    it(`gives exactly the whole-signal findings when ${c.name}`, () => {
      const whole = detectResidualDropouts(c.signals.expected, c.signals.capture, c.options);

      expect(whole.length).toBeGreaterThan(0);
      expect(staggeredFindings(c.signals.expected, c.signals.capture, c.options, c.renderDelay, 4000)).toEqual(whole);
    });
  }

  it('gives exactly the whole-signal findings on an inverted path, gain estimated, when the render arrives 2.5 s after the capture (its first 2 s needed for the gain)', () => {
    const { expected, capture: c } = faultyBursts(3, { sampleRate: FS, latencySamples: 480, seed: 7, varied: true });
    const capture = c.map((v) => -0.8 * v);
    const options = { sampleRate: FS, latencySamples: 480 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(whole.length).toBeGreaterThan(0);
    expect(staggeredFindings(expected, capture, options, 2.5 * FS, 8000)).toEqual(whole);
  });

  it('examines no window past the capture\'s end when it finishes: a capture that ends 12 frames into a window, the storage past it loud (1000), gives the whole-signal findings', () => {
    // NaN past the end (this block's poison) would pass for a clean window there; a loud value is flagged. One window
    // more on the final pass (`w <= windows`) read 12 frames of it: a glitch at the end.
    const { expected, padded } = noiseLikeProgramme();
    const options = { sampleRate: FS, latencySamples: 300, gain: 1 };
    SignalHistory.poisonAhead = 1000;
    try {
      expect(padded.length % 16).toBe(12);
      expect(chunkedFindings(expected, padded, options, [128])).toEqual(detectResidualDropouts(expected, padded, options));
    } finally {
      SignalHistory.poisonAhead = Number.NaN;
    }
  });

  it('differs from the whole-signal findings when its state is dropped between chunks (the comparison can fail)', () => {
    const { expected, capture } = integer;
    const options = { sampleRate: FS, latencySamples: 480, gain: 1 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(chunkedFindings(expected, capture, options, [FS], true)).not.toEqual(whole);
  });

  it('waits for the long span a search reads (4096 frames after the disturbance, plus the largest shift): a 1000-frame repeat in a 110 Hz burst, fed in small chunks, is +1000, not a whole-period alias', () => {
    // The short span alone fits the shifts a whole period (436.4 frames) away as well; only the long one, which
    // reaches the burst's end, rejects them. Examined before that span has arrived, a search would see less.
    const expected = addSineBursts(new Float32Array(FS), FS, [0, 1, 2, 3, 4, 5].map((k) => ({ startFrame: 2400 + k * 2962, frequencyHz: 110, amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 })));
    const padded = new Float32Array(FS + 256);
    padded.set(expected, 256);
    const { signal, injected } = injectFaults(padded, [{ kind: 'repeated', atFrame: 256 + 2400 + 4 * 2962 + 576, lengthFrames: 1000 }]);
    addNoiseAtSnr(signal, 60, 10);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };
    const truth = [{ kind: 'inserted', startFrame: injected[0].faultyFrame, lengthFrames: 1000, shiftFrames: 1000 }];

    expect(detectResidualDropouts(expected, signal, options)).toEqual(truth);
    for (const sizes of [[128], [7, 20000]]) expect(chunkedFindings(expected, signal, options, sizes), `chunks ${sizes}`).toEqual(truth);
  });

  it('waits for the last frames of that long span too: a 14-frame drop in a 2 kHz tone whose end lies 28 frames inside the span, maxShiftFrames 16, fed in 16-frame chunks, is −14, not its alias +10', () => {
    // The tone's period is 24 frames, so −14 and +10 fit the short span alike and +10 wins as the smaller |shift|
    // unless the long span reaches the tone's end (4096 frames from the loud search's start, 2 windows into the
    // event). With a small largest shift the lookahead is mostly the long span and the 8 windows that cover a search
    // from a window past the examined one: 16 windows shorter (long + maxShift − 8·W + 2·HALF), the search saw a span
    // cut 48 frames before its end, without the tone's end, and reported +10 and a 24-frame zeroed run.
    const at = 12000;
    const expected = new Float32Array(FS / 2);
    for (let n = 2000; n < at + 4114; n++) expected[n] = 0.5 * Math.sin((2 * Math.PI * 2000 * n) / FS);
    const padded = new Float32Array(expected.length + 256 + 64);
    padded.set(expected, 256);
    const { signal, injected } = injectFaults(padded, [{ kind: 'dropped', atFrame: 256 + at, lengthFrames: 14 }]);
    addNoiseAtSnr(signal, 60, 3);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1, maxShiftFrames: 16 };

    const whole = detectResidualDropouts(expected, signal, options);

    expect(whole).toMatchObject([{ kind: 'dropped', lengthFrames: 14, shiftFrames: -14 }]);
    expect(Math.abs(whole[0].startFrame - injected[0].faultyFrame)).toBeLessThanOrEqual(1); // the split, on a tone
    expect(chunkedFindings(expected, signal, options, [16])).toEqual(whole);
  });

  it('waits for the render the long span is compared with at the largest shift, interpolated: a drop of a period and a frame of a 136 Hz tone, maxShiftFrames 353, latency 256.5, the render fed frame by frame 1024 frames behind the capture, is −353, not its alias −1', () => {
    // The tone's period is 352 frames, so −353 and −1 fit the short span alike; the long span tells them apart by a
    // level step of the render (×1.001, 0.009 dB) about 2500 frames into it, which −1 misplaces by a period: its long
    // residual 4.4e-5 against −353's 5.3e-8 (100 dB SNR). The drop leaves −35 dB (thresholdDb −30), so the sustained
    // rule searches, from the window after its block (20 992): on the fractional path the render that span is compared
    // with at shift −353 reaches 4096 + 353 − 1 frames past that start, and 7 more for the interpolator (render frame
    // 25 191). A lookahead 127.5 frames shorter (8/W for 8·W) examined the block's last window with its last 6 frames
    // not arrived: read as silence where the tone is near its crest, they put 1.0e-3 into −353's long residual, the
    // alias won, and the drop was reported as a 1-frame drop and a 352-frame one at the capture's end.
    const period = 352;
    const frames = 36000;
    const expected = new Float32Array(frames);
    for (let n = 0; n < frames; n++) {
      const fade = 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, n / 480, (frames - 1 - n) / 480));
      expected[n] = 0.5 * fade * Math.sin((2 * Math.PI * (n + 84)) / period) * (n >= 23597 ? 1.001 : 1);
    }
    const padded = fractionalDelay(new Float32Array([...expected, ...new Float32Array(320)]), 256.5);
    const { signal, injected } = injectFaults(padded, [{ kind: 'dropped', atFrame: 20580, lengthFrames: period + 1 }]);
    addNoiseAtSnr(signal, 100, 1);
    const options = { sampleRate: FS, latencySamples: 256.5, gain: 1, thresholdDb: -30, maxShiftFrames: period + 1 };
    const truth = [{ kind: 'dropped', startFrame: injected[0].faultyFrame, lengthFrames: period + 1, shiftFrames: -(period + 1) }];

    expect(detectResidualDropouts(expected, signal, options)).toEqual(truth);
    expect(staggeredFindings(expected, signal, options, 1024, 1)).toEqual(truth);
  });

  it('decides an event older than maxHistoryFrames where the history ends: in contiguous pieces of that length (at least 72 windows + the largest shift) and one window', () => {
    // Decided at the first window that starts more than maxHistoryFrames after the event's start: a piece is that
    // length rounded up to whole windows, plus the window.
    // 20000 frames of loud noise over a 440 Hz tone: one glitch in the whole signal and under the default 10 s.
    const expected = sine(FS, 440, FS, 0.5);
    const capture = new Float32Array(FS + 256);
    capture.set(expected, 256);
    addNoiseAtSnr(capture, 60, 21);
    const junk = addGaussianNoise(new Float32Array(20000), 0.2, 22);
    for (let i = 0; i < junk.length; i++) capture[20000 + i] += junk[i];
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };
    const streamed = (maxHistoryFrames?: number) => chunkedFindings(expected, capture, { ...options, maxHistoryFrames }, [1000]);
    const pieces = (events: DropoutEvent[], most: number) => {
      expect(events.every((e) => e.kind === 'glitch')).toBe(true);
      events.forEach((e, i) => expect(e.startFrame, `piece ${i}`).toBe(i === 0 ? 20000 : events[i - 1].startFrame + events[i - 1].lengthFrames));
      expect(events.at(-1)!.startFrame + events.at(-1)!.lengthFrames).toBe(40000);
      return events.slice(0, -1).map((e) => e.lengthFrames).every((l) => l === most + 16);
    };

    expect(detectResidualDropouts(expected, capture, options)).toEqual([{ kind: 'glitch', startFrame: 20000, lengthFrames: 20000 }]);
    expect(streamed()).toEqual([{ kind: 'glitch', startFrame: 20000, lengthFrames: 20000 }]);
    const of8000 = streamed(8000);
    expect(of8000.length).toBe(3);
    expect(pieces(of8000, 8000)).toBe(true);
    const least = streamed(1); // raised to (2·32 + 8) windows of 16 frames + 4096
    expect(least.length).toBe(4);
    expect(pieces(least, 72 * 16 + 4096)).toBe(true);
  });

  it('gives the whole-signal findings at every chunking for a shift the sustained rule proves (split up to 66 windows back) and a zeroed run left pending across a silence', () => {
    // A dropped sample in a steady 136 Hz tone (residual −35 dB, thresholdDb −30: only the sustained rule sees it).
    const tone = sine(FS, 136, FS, 0.5);
    const toneCapture = new Float32Array(FS + 256);
    toneCapture.set(tone, 256);
    const dropped = injectFaults(toneCapture, [{ kind: 'dropped', atFrame: 30256, lengthFrames: 1 }]);
    addNoiseAtSnr(dropped.signal, 80, 23);
    // A drop from a burst's release into the silence before the next: the capture falls silent first (a zeroed run,
    // pending), then the next burst arrives early and proves the drop.
    const bursts = addSineBursts(new Float32Array(FS), FS, [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ startFrame: 2400 + k * 4800, frequencyHz: 220, amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 })));
    const burstCapture = new Float32Array(FS + 256);
    burstCapture.set(bursts, 256);
    const jumped = injectFaults(burstCapture, [{ kind: 'dropped', atFrame: 256 + 2400 + 4 * 4800 + 2640 - 300, lengthFrames: 1200 }]);
    addNoiseAtSnr(jumped.signal, 60, 24);
    const cases = [
      { expected: tone, capture: dropped.signal, options: { sampleRate: FS, latencySamples: 256, gain: 1, thresholdDb: -30 }, truth: [{ kind: 'dropped', startFrame: dropped.injected[0].faultyFrame, lengthFrames: 1, shiftFrames: -1 }] },
      { expected: bursts, capture: jumped.signal, options: { sampleRate: FS, latencySamples: 256, gain: 1 }, truth: [{ kind: 'dropped', startFrame: jumped.injected[0].faultyFrame, lengthFrames: 1200, shiftFrames: -1200 }] },
    ];

    for (const c of cases) {
      expect(detectResidualDropouts(c.expected, c.capture, c.options)).toEqual(c.truth);
      for (const sizes of CHUNKINGS) expect(chunkedFindings(c.expected, c.capture, c.options, sizes), `chunks ${sizes}`).toEqual(c.truth);
    }
    // At the least history (72 windows + 4096 = 5248 frames) too: the run is pending for ~2000 frames, less than that.
    expect(chunkedFindings(bursts, jumped.signal, { ...cases[1].options, maxHistoryFrames: 1 }, [1000])).toEqual(cases[1].truth);
  });

  it('gives the whole-signal findings at every chunking for a shift the sustained rule proves after its back-off held the search (split back to the first block over its line), and splits it no further back than maxHistoryFrames', () => {
    // residualDetector.decisions.test.ts's dropHeldBack: a −33 dB gain error over capture frames 20 480–20 992 fails
    // the sustained search at 20 976 (back-off 6000 frames); a dropped sample at 21 500 puts every block from 21 504 on
    // over the line, and the search at 27 120 seeks its split from the first one's range on, 20 960. At the least
    // history (72 windows + 4096 = 5248 frames) the range starts 5248 frames before the search's end (27 136), at
    // 21 888, where the drop is then reported — whole or chunked — and the history held stays within the lookahead and
    // that (the default, 10 s, keeps it back to 20 960 here).
    const frequencyHz = (FS / Math.PI) * Math.asin(10 ** (-35 / 20) / 2);
    const tone = sine(FS, frequencyHz, FS, 0.5);
    const padded = new Float32Array(FS + 256 + 64);
    padded.set(tone, 256);
    const { signal, injected } = injectFaults(padded, [{ kind: 'dropped', atFrame: 21500, lengthFrames: 1 }]);
    addNoiseAtSnr(signal, 80, 3);
    for (let n = 20480; n < 20992; n++) signal[n] *= 1 + 10 ** (-33 / 20);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1, thresholdDb: -30 };
    const least = { ...options, maxHistoryFrames: 1, totalFrames: signal.length };
    const whole = new ResidualDropoutDetector(least, { render: SignalHistory.wrap(tone), capture: SignalHistory.wrap(signal) });
    const streamed = new ResidualDropoutDetector(least);
    let held = 0;
    for (let at = 0; at < signal.length; at += 1000) {
      streamed.push(tone.subarray(Math.min(at, FS), Math.min(at + 1000, FS)), signal.subarray(at, at + 1000));
      held = Math.max(held, streamed.heldFrames);
    }

    expect(injected[0].faultyFrame).toBe(21500);
    expect(detectResidualDropouts(tone, signal, options)).toEqual([{ kind: 'dropped', startFrame: 21500, lengthFrames: 1, shiftFrames: -1 }]);
    for (const sizes of CHUNKINGS) expect(chunkedFindings(tone, signal, options, sizes), `chunks ${sizes}`).toEqual([{ kind: 'dropped', startFrame: 21500, lengthFrames: 1, shiftFrames: -1 }]);
    expect(whole.finish()).toEqual([{ kind: 'dropped', startFrame: 21888, lengthFrames: 1, shiftFrames: -1 }]);
    expect(streamed.finish()).toEqual([{ kind: 'dropped', startFrame: 21888, lengthFrames: 1, shiftFrames: -1 }]);
    // Lookahead (4096 + 4096 + 8 windows + 16) + maxHistoryFrames: 13 576 measured (back to 20 960 it would be ~14 500).
    expect(held).toBeLessThan(4096 + 4096 + 8 * 16 + 16 + 5248);
  });

  it('gives the whole-signal findings at every chunking for a latency that moves by 0.3 sample 7 frames into a window (followed, no event) and a dropped sample after it', () => {
    // 1 kHz: the move leaves −28 dB, a loud misfit; the search follows it and the split's window is examined again with
    // the old latency before the split (state a chunk boundary must not lose: read with the new one, its first 7 frames
    // misfit by −32 dB over the window, a glitch).
    const tone = sine(FS, 1000, FS, 0.5);
    const padded = new Float32Array(FS + 512);
    padded.set(tone);
    const before = fractionalDelay(padded, 300);
    const after = fractionalDelay(padded, 300.3);
    const moved = Float32Array.from(before, (v, i) => (i < 24007 ? v : after[i]));
    const { signal, injected } = injectFaults(moved, [{ kind: 'dropped', atFrame: 36000, lengthFrames: 1 }]);
    addNoiseAtSnr(signal, 60, 25);
    const options = { sampleRate: FS, latencySamples: 300, gain: 1 };
    const truth = [{ kind: 'dropped', startFrame: injected[0].faultyFrame, lengthFrames: 1, shiftFrames: -1 }];

    expect(detectResidualDropouts(tone, signal, options)).toEqual(truth);
    for (const sizes of CHUNKINGS) expect(chunkedFindings(tone, signal, options, sizes), `chunks ${sizes}`).toEqual(truth);
    expect(chunkedFindings(tone, signal, { ...options, maxHistoryFrames: 1 }, [1000])).toEqual(truth);
  });

  it('gives the whole-signal findings at every chunking for a stream that resumes late (the open event searched again from its last span)', () => {
    const expected = programmeLike(FS, FS, 5);
    const capture = new Float32Array(expected.length + 256 + 700);
    capture.set(expected.subarray(0, 20000), 256);
    capture.set(expected.subarray(20000), 256 + 20000 + 700);
    addNoiseAtSnr(capture, 60, 9);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(whole.some((e) => e.shiftFrames === 700)).toBe(true);
    for (const sizes of CHUNKINGS) expect(chunkedFindings(expected, capture, options, sizes), `chunks ${sizes}`).toEqual(whole);
  });

  it('gives the whole-signal findings at every chunking on an inverted path whose content starts after 0.3 s (the gain needs its first 2 s, the floor its first 512 windows)', () => {
    const { expected: e, capture: c } = faultyBursts(2, { sampleRate: FS, latencySamples: 480, seed: 5, varied: true });
    const lead = Math.round(0.3 * FS);
    const expected = new Float32Array(lead + e.length);
    expected.set(e, lead);
    const capture = new Float32Array(lead + c.length);
    for (let n = 0; n < c.length; n++) capture[lead + n] = -0.7 * c[n];
    addNoiseAtSnr(capture, 60, 25);
    const options = { sampleRate: FS, latencySamples: 480 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(whole.length).toBeGreaterThan(0);
    for (const sizes of [[128], [4096]]) expect(chunkedFindings(expected, capture, options, sizes), `chunks ${sizes}`).toEqual(whole);
  });

  it('keeps an open event\'s frames while it lasts: a zeroed block of 2000 frames (125 windows, past the 72 kept behind the window) is zeroed exactly at every chunking', () => {
    const expected = sine(FS / 2, 440, FS, 0.5);
    const capture = new Float32Array(expected.length + 256);
    capture.set(expected, 256);
    addNoiseAtSnr(capture, 60, 33);
    capture.fill(0, 10005, 12005);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };
    const truth = [{ kind: 'zeroed', startFrame: 10005, lengthFrames: 2000 }];

    expect(detectResidualDropouts(expected, capture, options)).toEqual(truth);
    for (const sizes of CHUNKINGS) expect(chunkedFindings(expected, capture, options, sizes), `chunks ${sizes}`).toEqual(truth);
  });

  it('decides an event older than maxHistoryFrames that a shift explains as that shift, and goes on from its split on the new alignment', () => {
    // A 1500-frame drop 1300 frames before a note's end into the silence before the next note: the capture is silent
    // for 1300 frames (longer than a search's short span), then carries the next note early, misfitting for ~5000
    // frames: one event, decided at the least history (72 windows + 4096 = 5248 frames) by a search from where the
    // capture sounds again. A zeroed block in a later note is then found on the new alignment.
    const note = { amplitude: 0.5, attackFrames: 96, sustainFrames: 4000, releaseFrames: 96 };
    const expected = addSineBursts(new Float32Array(FS / 2), FS, [
      { startFrame: 2400, frequencyHz: 220, ...note },
      { startFrame: 8092, frequencyHz: 330, ...note },
      { startFrame: 15284, frequencyHz: 275, ...note },
    ]);
    const padded = new Float32Array(expected.length + 256);
    padded.set(expected, 256);
    const { signal, injected } = injectFaults(padded, [{ kind: 'dropped', atFrame: 256 + 5292, lengthFrames: 1500 }, { kind: 'zeroed', atFrame: 256 + 17000, lengthFrames: 100 }]);
    addNoiseAtSnr(signal, 60, 37);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1, maxHistoryFrames: 1 };
    const truth = [
      { kind: 'dropped', startFrame: injected[0].faultyFrame, lengthFrames: 1500, shiftFrames: -1500 },
      { kind: 'zeroed', startFrame: injected[1].faultyFrame, lengthFrames: 100 },
    ];

    for (const sizes of [[128], [1000, 37, 4096]]) expect(chunkedFindings(expected, signal, options, sizes), `chunks ${sizes}`).toEqual(truth);
  });

  it('decides an event that no search could reach before the history ends by the shift its closing search proves, then examines the capture from that split', () => {
    // White noise rising 4 dB per 1000 frames from frame 10000 to 26000 (a crescendo), a 4000-frame block repeated at
    // 18000: the capture then plays the render 4000 frames back, 16 dB quieter, so every window misfits but none is
    // loud (capture energy under ¼ of the render's) and no search runs while the event is open. At the least history
    // (72 windows + 4096 = 5248 frames) the event is decided: its closing search proves the repeat, and the windows
    // after the split are examined again on the new alignment, where a dropped sample at 40000 is found.
    const { expected, signal, injected, options } = crescendoWithFault(10000, 26000, 4, 'repeated', 18000, 4000);
    const truth = [
      { kind: 'inserted', startFrame: injected[0].faultyFrame, lengthFrames: 4000, shiftFrames: 4000 },
      { kind: 'dropped', startFrame: injected[1].faultyFrame, lengthFrames: 1, shiftFrames: -1 },
    ];

    expect(detectResidualDropouts(expected, signal, options)).toEqual(truth);
    expect(chunkedFindings(expected, signal, { ...options, maxHistoryFrames: 1 }, [1000])).toEqual(truth);
  });

  it('finds a stall whose event is decided where the history ends, silent where it starts: the closing search runs from where the capture sounds again', () => {
    // White noise rising 5 dB per 1000 frames from 14000 to 34000, the stream stalled for 2400 frames at 24000: after
    // the silence the capture is the render 2400 frames back, 12 dB under it, so no window is loud and no search runs
    // while the event is open. Decided at the least history (5248 frames), its closing search from the event's start
    // spans only silence (nothing to align on); the one from the first window where the capture sounds again proves the
    // stall. As in the whole-signal findings: one insert of its length, every event within the silence, and a dropped
    // sample at 40000 found on the new alignment.
    const { expected, signal, injected, options } = crescendoWithFault(14000, 34000, 5, 'stalled', 24000, 2400);
    const silence = [injected[0].faultyFrame, injected[0].faultyFrame + 2400];

    for (const events of [detectResidualDropouts(expected, signal, options), chunkedFindings(expected, signal, { ...options, maxHistoryFrames: 1 }, [1000])]) {
      expect(events.filter((e) => e.shiftFrames !== undefined)).toEqual([
        expect.objectContaining({ kind: 'inserted', lengthFrames: 2400, shiftFrames: 2400 }),
        { kind: 'dropped', startFrame: injected[1].faultyFrame, lengthFrames: 1, shiftFrames: -1 },
      ]);
      for (const e of events.filter((e) => e.startFrame < injected[1].faultyFrame)) {
        expect(e.startFrame).toBeGreaterThanOrEqual(silence[0]);
        expect(e.startFrame + (e.shiftFrames === undefined ? e.lengthFrames : 0)).toBeLessThanOrEqual(silence[1]);
      }
    }
  });

  it('starts only once the render of the last floor window has arrived whole: a render fed frame by frame after the capture gives the whole-signal findings', () => {
    // The floor windows' residual at RMS a (windows 0–255 and 511) and 1.5·a (256–510): the median of the 512 is a,
    // one order statistic from 1.5·a. The render sounds only in window 511 (a 2 kHz tone), carried by the capture.
    // Started before its last frames arrive, window 511 reads them as silence: its residual is then the tone, the
    // median 1.5·a, and a one-window burst at 1.25 × the floor (4a), 1500 windows on, is under the raised floor.
    const W = 16;
    const a = 1e-4;
    const frames = 2 * 1024 * W;
    const expected = new Float32Array(frames);
    for (let n = 511 * W; n < 512 * W; n++) expected[n] = 0.5 * Math.sin((2 * Math.PI * 2000 * n) / FS);
    const capture = new Float32Array(frames);
    for (let n = 0; n < frames; n++) {
      const w = Math.floor(n / W);
      const rms = w >= 256 && w < 511 ? 1.5 * a : w === 1500 ? 5 * a : a;
      capture[n] = expected[n] + (n % 2 ? rms : -rms);
    }
    const options = { sampleRate: FS, latencySamples: 0, gain: 1, totalFrames: frames };
    const whole = detectResidualDropouts(expected, capture, options);
    const d = new ResidualDropoutDetector(options);
    d.push(new Float32Array(0), capture);
    d.push(expected.subarray(0, 8000), new Float32Array(0));
    for (let n = 8000; n < 8300; n++) d.push(expected.subarray(n, n + 1), new Float32Array(0));
    d.push(expected.subarray(8300), new Float32Array(0));

    expect(whole).toEqual([{ kind: 'glitch', startFrame: 1500 * W, lengthFrames: W }]);
    expect(d.finish()).toEqual(whole);
  });

  it('measures the noise floor on the first 512 windows at every chunking: a capture that opens with a 100-frame burst of noise, fed in 128-frame chunks, gives the whole-signal findings', () => {
    // Started on the first chunk alone, the floor would be the median of 8 windows, 6 of them the burst's: every
    // later fault would sit under it.
    const expected = sine(FS / 2, 440, FS, 0.5);
    const capture = new Float32Array(expected.length + 256);
    capture.set(expected, 256);
    addNoiseAtSnr(capture, 60, 43);
    const junk = addGaussianNoise(new Float32Array(100), 0.3, 44);
    for (let i = 0; i < junk.length; i++) capture[i] += junk[i];
    capture.fill(0, 12005, 12105);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };
    const whole = detectResidualDropouts(expected, capture, options);

    expect(whole).toContainEqual({ kind: 'zeroed', startFrame: 12005, lengthFrames: 100 });
    for (const sizes of [[128], [7, 20000]]) expect(chunkedFindings(expected, capture, options, sizes), `chunks ${sizes}`).toEqual(whole);
  });

  it('commits a zeroed run left pending longer than maxHistoryFrames as zeroed, though a later drop would explain it', () => {
    // A zeroed run into a silence of the render that lasts 0.2 s (more than the least history, 5248 frames): still
    // pending there (nothing confirmed the alignment), it is decided as it stands. A drop later in the same silence
    // makes the next note arrive early and would explain the run; with the default history (10 s) the two are one
    // drop, at the run's start.
    const notes = [0, 1, 2, 3].map((k) => ({ startFrame: 2400 + k * 12000, frequencyHz: 220, amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 }));
    const expected = addSineBursts(new Float32Array(FS), FS, notes);
    const releaseEnd = 2400 + 12000 + 2640;
    const padded = new Float32Array(expected.length + 256);
    padded.set(expected, 256);
    const { signal, injected } = injectFaults(padded, [{ kind: 'zeroed', atFrame: 256 + releaseEnd - 300, lengthFrames: 400 }, { kind: 'dropped', atFrame: 256 + releaseEnd + 4000, lengthFrames: 1000 }]);
    addNoiseAtSnr(signal, 60, 45);
    const options = { sampleRate: FS, latencySamples: 256, gain: 1 };

    const least = chunkedFindings(expected, signal, { ...options, maxHistoryFrames: 1 }, [1000]);
    const whole = detectResidualDropouts(expected, signal, options);

    expect(least.map((e) => e.kind)).toEqual(['zeroed', 'dropped']);
    expect(least[0].startFrame).toBe(injected[0].faultyFrame);
    expect(least[1]).toMatchObject({ lengthFrames: 1000, shiftFrames: -1000 });
    expect(whole).toEqual([{ kind: 'dropped', startFrame: injected[0].faultyFrame, lengthFrames: 1000, shiftFrames: -1000 }]);
  });

  it('spends the search budget as the capture arrives when its length is not given (16 + 8 per second up to the window examined), the same at every chunking', () => {
    // A dropped sample every 40 ms in 2 s of noise-like programme: 25 searches a second, more than the budget grows.
    // The k-th search (k from 0) is made at its drop's window, or later while its event waits open for the budget (at
    // most maxHistoryFrames: 72 windows + 4096 = 5248 frames here); it is allowed while k < 16 + ceil(8·(w·W + lookahead)/fs).
    const { frames, expected, padded } = noiseLikeProgramme();
    const faults = [];
    for (let t = 0.2 * FS; t < frames - 0.05 * FS; t += 0.04 * FS) faults.push({ kind: 'dropped' as const, atFrame: 300 + Math.round(t), lengthFrames: 1 });
    const { signal, injected } = injectFaults(padded, faults);
    addNoiseAtSnr(signal, 60, 47);
    const options = { sampleRate: FS, latencySamples: 300, gain: 1, maxHistoryFrames: 1, totalFrames: undefined };
    const streamed = (chunk: number) => chunkedFindings(expected, signal, options, [chunk]);
    const lookahead = 4096 + 4096 + 8 * 16 + 16;
    const searchesAllowed = (deferredFrames: number) => {
      let k = 0;
      while (k < injected.length && k < 16 + Math.ceil((8 * (injected[k].faultyFrame + deferredFrames + lookahead)) / FS)) k++;
      return k;
    };

    const at128 = streamed(128);
    const found = at128.findIndex((e, i) => e.kind !== 'dropped' || e.startFrame !== injected[i].faultyFrame);

    expect(searchesAllowed(5248)).toBeLessThan(16 + Math.ceil((8 * signal.length) / FS)); // the budget binds before the capture ends
    expect(found).toBeGreaterThanOrEqual(searchesAllowed(0));
    expect(found).toBeLessThanOrEqual(searchesAllowed(5248));
    expect(streamed(FS)).toEqual(at128);
  });

  it('gives a capture of unknown length, once it ends, the budget of all of it (16 + 8 per second), as when its length is given', () => {
    // 28 dropped samples every 40 ms from 0.2 s (the budget grows fast enough for each), then 7 every 24 ms in the last
    // 0.17 s, which finish() examines (the windows whose lookahead reaches past the end): 2 s + 300 frames allow
    // 16 + ⌈8·2.006⌉ = 33 searches in all, so 5 of the last 7 are found and the rest stays one glitch.
    const { frames, expected, padded } = noiseLikeProgramme();
    const faults = [];
    for (let k = 0; k < 28; k++) faults.push({ kind: 'dropped' as const, atFrame: 300 + Math.round(0.2 * FS + k * 0.04 * FS), lengthFrames: 1 });
    for (let j = 0; j < 7; j++) faults.push({ kind: 'dropped' as const, atFrame: Math.round(frames - 0.17 * FS + j * 0.024 * FS), lengthFrames: 1 });
    const { signal, injected } = injectFaults(padded, faults);
    addNoiseAtSnr(signal, 60, 47);
    const budget = 16 + Math.ceil((8 * signal.length) / FS);
    const streamed = (totalFrames: number | undefined) => chunkedFindings(expected, signal, { sampleRate: FS, latencySamples: 300, gain: 1, totalFrames }, [128]);

    const unknownLength = streamed(undefined);

    expect(budget).toBe(33);
    expect(unknownLength.slice(0, budget)).toEqual(injected.slice(0, budget).map((f) => ({ kind: 'dropped', startFrame: f.faultyFrame, lengthFrames: 1, shiftFrames: -1 })));
    expect(unknownLength.slice(budget).map((e) => e.kind)).toEqual(['glitch']);
    expect(streamed(signal.length)).toEqual(unknownLength);
  });

  it('refuses a latency that is not finite and a sample rate that is not positive', () => {
    for (const [latencySamples, sampleRate] of [[Number.NaN, FS], [Number.POSITIVE_INFINITY, FS], [0, 0], [0, -FS], [0, Number.NaN]]) {
      expect(() => new ResidualDropoutDetector({ sampleRate, latencySamples }), `${latencySamples}, ${sampleRate}`).toThrow(RangeError);
    }
    expect(() => new ResidualDropoutDetector({ sampleRate: FS, latencySamples: Number.NaN })).toThrow(/latencySamples must be finite and sampleRate positive, got NaN and 48000/);
  });

  /**
   * A tone whose one-sample drop leaves −35 dB (thresholdDb −30: only the sustained rule sees a shift), `seconds` long,
   * captured 256 frames late at 80 dB SNR with the capture frames [from, to) of each span 33 dB too loud (a misfit no
   * shift explains), streamed in 4800-frame chunks: the findings and the most frames held after a push (from `after` on).
   */
  function streamedGainErrors(seconds: number, spans: [number, number][], after = 0) {
    const frequencyHz = (FS / Math.PI) * Math.asin(10 ** (-35 / 20) / 2);
    const tone = sine(seconds * FS, frequencyHz, FS, 0.5);
    const capture = new Float32Array(tone.length + 256);
    capture.set(tone, 256);
    addNoiseAtSnr(capture, 80, 3);
    for (const [from, to] of spans) for (let n = from; n < to; n++) capture[n] *= 1 + 10 ** (-33 / 20);
    const d = new ResidualDropoutDetector({ sampleRate: FS, latencySamples: 256, gain: 1, thresholdDb: -30, totalFrames: capture.length });
    let most = 0;
    for (let at = 0; at < capture.length; at += 4800) {
      d.push(tone.subarray(Math.min(at, tone.length), Math.min(at + 4800, tone.length)), capture.subarray(at, at + 4800));
      if (at >= after) most = Math.max(most, d.heldFrames);
    }
    return { events: d.finish(), most };
  }
  /** Frames a shift search reads past the window examined: 4096 + 4096 + 8 windows + 16 (interpolation). */
  const LOOKAHEAD = 4096 + 4096 + 8 * 16 + 16;

  it('lets go of the history a back-off held for a block over the sustained line once a block falls under it again', () => {
    // A −33 dB gain error over one block (capture frames 20 480–20 992) fails its search (back-off 6000 frames); a second
    // over block 42 (21 504–22 016) is held back, and every block after it is under the line again: from there on the
    // detector holds the clean bound (lookahead + 72 windows + a chunk): 9472 frames at most, measured; held back to
    // block 42's range to the end, 75 296.
    const { events, most } = streamedGainErrors(2, [[20480, 20992], [21504, 22016]], 30000);

    expect(events).toEqual([]);
    expect(most).toBeLessThanOrEqual(LOOKAHEAD + 72 * 16 + 4800);
  });

  it('holds at most the back-off (2 s) and 66 windows of history for the sustained rule while a misfit no shift explains keeps every block over its line', () => {
    // A −33 dB gain error from 0.25 s on: the searches it asks for fail, backed off 0.125 s, 0.25 s, … 2 s. Each search
    // lets go of the history held for the blocks before it: 104 032 frames at most, measured (the lookahead and 2 s);
    // held from the first block over the line on, 276 512 (5.8 s) by the end.
    const { events, most } = streamedGainErrors(6, [[12000, 6 * FS + 256]]);

    expect(events).toEqual([]);
    expect(most).toBeLessThanOrEqual(LOOKAHEAD + 2 * FS + 66 * 16 + 4800);
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
