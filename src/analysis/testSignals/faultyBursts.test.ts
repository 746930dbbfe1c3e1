import { describe, expect, it } from 'vitest';
import { fitSine } from '../signal/sineFit.ts';
import { faultyBursts } from './faultyBursts.ts';

const FS = 48000;
/** Bursts start every round(0.0617·fs) = 2962 frames from frame 2400. */
const start = (k: number): number => 2400 + 2962 * k;
/** Long enough for 29 bursts exactly: the 30th would start 4800 frames before the end, which is one too late. */
const FRAMES = start(29) + 4800;

describe('faultyBursts', () => {
  it('places a 35 ms burst every 61.7 ms from frame 2400, up to 4800 frames before the end, a semitone higher each from 65 Hz', () => {
    const { expected } = faultyBursts(FRAMES / FS, { sampleRate: FS, latencySamples: 480, seed: 1 });
    expect(expected).toHaveLength(FRAMES);
    // Silence before the first burst and between bursts (96 + 1584 + 960 frames long), and after the 29th.
    expect(expected.subarray(0, start(0)).every((v) => v === 0)).toBe(true);
    expect(expected[start(0) + 10]).not.toBe(0);
    expect(expected.subarray(start(0) + 2641, start(1)).every((v) => v === 0)).toBe(true);
    expect(expected.subarray(start(28) + 2641).every((v) => v === 0)).toBe(true);
    // Each burst's sustain is a sine of 65·2^((k mod 49)/12) Hz at 0.5.
    for (const k of [0, 12, 20, 28]) {
      const hz = 65 * 2 ** ((k % 49) / 12);
      const fit = fitSine(expected.subarray(start(k) + 96, start(k) + 96 + 1584), FS, hz);
      expect(Math.abs(fit!.frequencyHz - hz), `burst ${k}`).toBeLessThan(1e-6);
      expect(Math.abs(fit!.amplitude - 0.5), `burst ${k}`).toBeLessThan(1e-6);
    }
  });

  it('puts a fault in every 8th burst from the 5th: zeroed 64, repeated 128, dropped 1, inserted 1 in turn, 680 frames in', () => {
    const { faults } = faultyBursts(FRAMES / FS, { sampleRate: FS, latencySamples: 480, seed: 1 });
    expect(faults).toEqual([
      { kind: 'zeroed', atFrame: start(4) + 680, lengthFrames: 64 },
      { kind: 'repeated', atFrame: start(12) + 680, lengthFrames: 128 },
      { kind: 'dropped', atFrame: start(20) + 680, lengthFrames: 1 },
      { kind: 'inserted', atFrame: start(28) + 680, lengthFrames: 1 },
    ]);
  });

  it('varies each fault within its documented ranges: 680…1579 frames in, zeroed 64…3063, repeated 128…1127, dropped and inserted 1…3', () => {
    const { faults } = faultyBursts(6, { sampleRate: FS, latencySamples: 480, seed: 1, varied: true });
    const ranges = { zeroed: [64, 3063], repeated: [128, 1127], dropped: [1, 3], inserted: [1, 3] } as const;
    expect(faults.length).toBeGreaterThanOrEqual(12);
    for (const [i, f] of faults.entries()) {
      const k = 4 + 8 * i;
      expect(f.kind).toBe((['zeroed', 'repeated', 'dropped', 'inserted'] as const)[i % 4]);
      expect(f.atFrame - start(k)).toBeGreaterThanOrEqual(680);
      expect(f.atFrame - start(k)).toBeLessThanOrEqual(1579);
      expect(Number.isInteger(f.lengthFrames)).toBe(true);
      expect(f.lengthFrames).toBeGreaterThanOrEqual(ranges[f.kind as keyof typeof ranges][0]);
      expect(f.lengthFrames).toBeLessThanOrEqual(ranges[f.kind as keyof typeof ranges][1]);
    }
    // They do vary: more than one place and more than one length of each kind.
    expect(new Set(faults.map((f, i) => f.atFrame - start(4 + 8 * i))).size).toBeGreaterThan(1);
    for (const kind of ['zeroed', 'repeated', 'dropped'] as const) expect(new Set(faults.filter((f) => f.kind === kind).map((f) => f.lengthFrames)).size).toBeGreaterThan(1);
  });

  it('captures the bursts delayed by the latency at 60 dB SNR, the fault placed on the capture’s axis (its zeroed frames silent but for the noise)', () => {
    const L = 480;
    const { expected, capture, faults } = faultyBursts(FRAMES / FS, { sampleRate: FS, latencySamples: L, seed: 1 });
    const [zeroed] = faults;
    // Before the first fault the capture is the render L frames later, plus noise 60 dB under the render's power
    // (RMS 1e-3 of it; the render's RMS is under 0.5/√2, so no sample of the noise reaches 0.005).
    let worst = 0;
    for (let n = 0; n < zeroed.atFrame; n++) worst = Math.max(worst, Math.abs(capture[n + L] - expected[n]));
    expect(worst).toBeLessThan(0.005);
    for (let n = zeroed.atFrame + L; n < zeroed.atFrame + L + zeroed.lengthFrames; n++) expect(Math.abs(capture[n])).toBeLessThan(0.005);
    expect(Math.max(...Array.from(expected.subarray(zeroed.atFrame, zeroed.atFrame + 64), Math.abs))).toBeGreaterThan(0.4);
  });
});
