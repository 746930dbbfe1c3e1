import { describe, expect, it } from 'vitest';
import { type AudioRig, type RigCallback, RigFlag } from '../../src/host/audioRig.ts';
import type { FaultSpec } from '../rigs/virtualRigOptions.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { CALIBRATION_ATTEMPTS, type Calibration, STAGGER_FRAMES, calibrate } from './calibrate.ts';

const OUTPUTS = [0, 1, 2, 3, 4, 5, 6, 7];
const LATENCY = 100;
const rigOptions = { inputChannels: 8, outputChannels: 8, periodFrames: 128, latencySamples: LATENCY } as const;

/**
 * 256 input frames lost (read as silence) while the probes of outputs 4–6 (indices 3–5) sound: what a stall
 * of the machine during calibration does. Output k's probe (0.25 s = 12 000 frames) starts k·STAGGER later,
 * so around 4·STAGGER + 6000 the probes of indices 3, 4 and 5 all sound.
 */
const dropout: FaultSpec[] = [{ kind: 'zero', atFrame: 4 * STAGGER_FRAMES + 6000, lengthFrames: 256 }];

/**
 * A rig whose n-th start (from 0) loses the frames `faultsPerCapture[n]` says (none past the list's end), and
 * flags the periods holding `flagFramesPerCapture[n]` as output underflows (content untouched).
 */
function rigPerCapture(faultsPerCapture: FaultSpec[][], flagFramesPerCapture: number[][] = []): AudioRig {
  const clean = new VirtualRig(rigOptions);
  let starts = 0;
  let current = clean;
  // A fresh rig per capture: a rig's stream frames run on across starts, so a fault would be passed.
  return Object.create(clean, {
    start: {
      value: (cb: RigCallback) => {
        const n = starts++;
        current = new VirtualRig({ ...rigOptions, faults: faultsPerCapture[n] ?? [] });
        const flags = flagFramesPerCapture[n] ?? [];
        return current.start((p) => {
          if (flags.some((f) => f >= p.frameIndex && f < p.frameIndex + p.frames)) (p as { flags: number }).flags |= RigFlag.OutputUnderflow;
          cb(p);
        });
      },
    },
    advance: { value: (periods: number) => current.advance(periods) },
    stop: { value: () => current.stop() },
  }) as AudioRig;
}

/** A rig whose first `faultyCaptures` starts lose those frames, the later ones not (a stall that happens once). */
function rigFaultyFor(faultyCaptures: number): AudioRig {
  return rigPerCapture(Array.from({ length: faultyCaptures }, () => dropout));
}

/**
 * The clean rig's calibration, made once for the file: the first test checks it, the others compare their
 * disturbed calibrations with its paths (a clean VirtualRig without noise gives the same calibration every
 * time, and no test changes it).
 */
let cleanCalibration: Promise<Calibration> | undefined;
const calibrateClean = () => (cleanCalibration ??= calibrate(rigFaultyFor(0), OUTPUTS));

/**
 * Paths agree with a clean capture's: delays to the sample, gains to 1e-12 (estimateDelays transforms two
 * channels in one complex FFT, so a channel's gain moves in its last bits with its partner's content).
 */
function expectSamePaths(got: readonly ChannelPath[], clean: readonly ChannelPath[]): void {
  expect(got.map((p) => [p.output, p.input, p.totalDelayFrames, p.inverted])).toEqual(clean.map((p) => [p.output, p.input, p.totalDelayFrames, p.inverted]));
  got.forEach((p, i) => expect(Math.abs(p.gain - clean[i].gain)).toBeLessThan(1e-12));
}

describe('calibrate: a disturbed capture is measured again', () => {
  it('measures once on a clean rig, every channel at its delay with unit gain', async () => {
    const cal = await calibrateClean();

    expect(cal.attempts).toBe(1);
    expect(cal.retryReasons).toEqual([]);
    expect(cal.channels.every((c) => c.status === 'ok' && c.confidence! > 0.9999)).toBe(true);
  });

  it('measures again when a dropout hit three channels\' probes, naming them, and keeps the clean capture', async () => {
    const once = await calibrateClean();
    const cal = await calibrate(rigFaultyFor(1), OUTPUTS);

    expect(cal.attempts).toBe(2);
    expect(cal.retryReasons).toHaveLength(1);
    expect(cal.retryReasons[0]).toMatch(/^output 4 at .* dB SNR against the channels' median .* dB; output 5 at .*; output 6 at .* dB SNR against the channels' median [0-9.]+ dB$/);
    // Every channel keeps a clean capture: the same delays and gains as a rig that never dropped.
    expectSamePaths(cal.paths, once.paths);
    // Outputs 4–6 from the second capture, the others from the first.
    expect(cal.channels.map((c) => c.attempt)).toEqual([1, 1, 1, 2, 2, 2, 1, 1]);
  });

  it('gives up after CALIBRATION_ATTEMPTS disturbed captures, and measures those channels again from their undisturbed frames', async () => {
    const once = await calibrateClean();
    const cal = await calibrate(rigFaultyFor(CALIBRATION_ATTEMPTS), OUTPUTS);

    expect(cal.attempts).toBe(CALIBRATION_ATTEMPTS);
    expect(cal.retryReasons).toHaveLength(CALIBRATION_ATTEMPTS);
    // As the capture measured them, the disturbed channels' gains are 1–2 % off (a −36 dB content residual
    // for the whole run); measured again without the zeroed frames, they are the clean rig's within 1e-5
    // (−100 dB) and their delays within 1e-4 sample.
    const disturbed = cal.channels.filter((c) => c.detail?.includes('disturbed in every capture'));
    expect(disturbed.map((c) => c.outputIndex)).toEqual([3, 4, 5]);
    for (const c of disturbed) {
      expect(c.detail).toMatch(/measured again without the \d+ frames of its probe the disturbance spoiled \([0-9.]+ % of its energy\): SNR [0-9.]+ → [0-9.]+ dB, gain 0\.9[0-9]+ → 1\.0000/);
      const asCaptured = Number(/gain ([0-9.]+) →/.exec(c.detail!)![1]);
      expect(Math.abs(asCaptured - 1)).toBeGreaterThan(0.005);
    }
    cal.paths.forEach((p, i) => {
      expect(Math.abs(p.gain - once.paths[i].gain), `output ${p.output + 1} gain`).toBeLessThan(1e-5);
      expect(Math.abs(p.totalDelayFrames - once.paths[i].totalDelayFrames), `output ${p.output + 1} delay`).toBeLessThan(1e-4);
    });
    // The channels no capture disturbed kept the first.
    expect(cal.channels.filter((c) => c.outputIndex < 3 || c.outputIndex > 5).every((c) => c.attempt === 1 && c.detail === undefined)).toBe(true);
  });

  it('calibrates every channel cleanly from two captures each disturbed on other channels', async () => {
    const once = await calibrateClean();
    // Capture 1 loses frames under outputs 4–6's probes, capture 2 under outputs 1–2's, capture 3 under 6–8's:
    // no capture is clean, but every channel is clean in one of the first two.
    const cal = await calibrate(rigPerCapture([dropout, [{ kind: 'zero', atFrame: 6000, lengthFrames: 256 }], [{ kind: 'zero', atFrame: 6 * STAGGER_FRAMES + 6000, lengthFrames: 256 }]]), OUTPUTS);

    expect(cal.attempts).toBe(2);
    expect(cal.retryReasons).toHaveLength(2);
    expect(cal.retryReasons[1]).toMatch(/^output 1 at .*; output 2 at .* dB$/);
    expectSamePaths(cal.paths, once.paths);
    // Outputs 4–6 from capture 2 (disturbed itself, on outputs 1–2, which capture 1 had measured cleanly).
    expect(cal.channels.map((c) => c.attempt)).toEqual([1, 1, 1, 2, 2, 2, 1, 1]);
    expect(cal.channels.every((c) => c.detail === undefined)).toBe(true);
  });

  it('measures again only the channels a flagged period could have touched', async () => {
    const once = await calibrateClean();
    // Flagged periods, content untouched: one after every probe has ended (no channel's concern), one at
    // frame 6000, while the probes of outputs 1 and 2 sound.
    const tail = 8 * STAGGER_FRAMES + 12_000 + LATENCY + 2 * rigOptions.periodFrames;
    const cal = await calibrate(rigPerCapture([[]], [[tail, 6000]]), OUTPUTS);

    expect(cal.attempts).toBe(2);
    expect(cal.retryReasons).toEqual(['output 1 1 period(s) flagged by the rig (underflow or overflow) during its probe; output 2 1 period(s) flagged by the rig (underflow or overflow) during its probe']);
    expect(cal.channels.map((c) => c.attempt)).toEqual([2, 2, 1, 1, 1, 1, 1, 1]);
    expect(cal.paths).toEqual(once.paths);

    // Flagged in every capture, content untouched: kept as measured, and its row says why.
    const always = await calibrate(rigPerCapture([[], [], []], [[6000], [6000], [6000]]), OUTPUTS);
    expect(always.paths).toEqual(once.paths);
    expect(always.channels[0].detail).toMatch(/disturbed in every capture; capture 1 kept \(1 period\(s\) flagged .*\); its probe fits the capture everywhere \(no disturbed block\): kept as measured$/);

    const tailOnly = await calibrate(rigPerCapture([[]], [[tail]]), OUTPUTS);
    expect(tailOnly.attempts).toBe(1);
    expect(tailOnly.retryReasons).toEqual([]);
  });
});
