import { describe, expect, it } from 'vitest';
import type { AudioRig, RigCallback } from '../../src/host/audioRig.ts';
import type { FaultSpec } from '../rigs/virtualRigOptions.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { CALIBRATION_ATTEMPTS, STAGGER_FRAMES, calibrate } from './calibrate.ts';

const OUTPUTS = [0, 1, 2, 3, 4, 5, 6, 7];
const LATENCY = 100;
const rigOptions = { inputChannels: 8, outputChannels: 8, periodFrames: 128, latencySamples: LATENCY } as const;

/**
 * 256 input frames lost (read as silence) while the probes of outputs 4–6 (indices 3–5) sound: what a stall
 * of the machine during calibration does. Output k's probe (0.25 s = 12 000 frames) starts k·STAGGER later,
 * so around 4·STAGGER + 6000 the probes of indices 3, 4 and 5 all sound.
 */
const dropout: FaultSpec[] = [{ kind: 'zero', atFrame: 4 * STAGGER_FRAMES + 6000, lengthFrames: 256 }];

/** A rig whose first `faultyCaptures` starts lose those frames, the later ones not (a stall that happens once). */
function rigFaultyFor(faultyCaptures: number): AudioRig {
  const clean = new VirtualRig(rigOptions);
  let starts = 0;
  let current = clean;
  // A fresh faulty rig per capture: a rig's stream frames run on across starts, so its fault would be passed.
  return Object.create(clean, {
    start: { value: (cb: RigCallback) => { current = starts++ < faultyCaptures ? new VirtualRig({ ...rigOptions, faults: dropout }) : clean; return current.start(cb); } },
    advance: { value: (periods: number) => current.advance(periods) },
    stop: { value: () => current.stop() },
  }) as AudioRig;
}

describe('calibrate: a disturbed capture is measured again', () => {
  it('measures once on a clean rig, every channel at its delay with unit gain', async () => {
    const cal = await calibrate(rigFaultyFor(0), OUTPUTS);

    expect(cal.attempts).toBe(1);
    expect(cal.retryReasons).toEqual([]);
    expect(cal.channels.every((c) => c.status === 'ok' && c.confidence! > 0.9999)).toBe(true);
  });

  it('measures again when a dropout hit three channels\' probes, naming them, and keeps the clean capture', async () => {
    const once = await calibrate(rigFaultyFor(0), OUTPUTS);
    const cal = await calibrate(rigFaultyFor(1), OUTPUTS);

    expect(cal.attempts).toBe(2);
    expect(cal.retryReasons).toHaveLength(1);
    expect(cal.retryReasons[0]).toMatch(/output 4 at .* dB SNR, output 5 at .* dB SNR, output 6 at .* dB SNR against the channels' median/);
    // The kept capture is the clean one: the same delays and gains as a rig that never dropped.
    expect(cal.paths.map((p) => [p.totalDelayFrames, p.gain])).toEqual(once.paths.map((p) => [p.totalDelayFrames, p.gain]));
  });

  it('gives up after CALIBRATION_ATTEMPTS disturbed captures, with every reason, and keeps the least disturbed', async () => {
    const cal = await calibrate(rigFaultyFor(CALIBRATION_ATTEMPTS), OUTPUTS);

    expect(cal.attempts).toBe(CALIBRATION_ATTEMPTS);
    expect(cal.retryReasons).toHaveLength(CALIBRATION_ATTEMPTS);
    // The disturbed channels' gains are off: why a capture like this must not be trusted silently.
    const gains = cal.paths.filter((p) => p.output >= 3 && p.output <= 5).map((p) => p.gain);
    expect(gains.some((g) => Math.abs(g - 1) > 0.01)).toBe(true);
  });
});
