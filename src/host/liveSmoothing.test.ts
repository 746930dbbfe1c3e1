import { describe, expect, it } from 'vitest';
import { largestStep } from '../analysis/largestStep.ts';
import { liveReverbOnTone, TEST_TONE } from './liveReverbOnTone.ts';

/**
 * A parameter jump sent to the live reverb over its OSC bridge is ramped by the engine's smoothing:
 * no click in what the rig plays. The bound, for the mix out = (1 − w)·d + w·y ramped linearly over
 * R = smoothingMs·fs/1000 samples from w₀ to w₁:
 *   out[n+1] − out[n] = (1 − w[n+1])·Δd + w[n+1]·Δy + (w[n+1] − w[n])·(y[n] − d[n]),
 * so |Δout| ≤ max(|Δd|, |Δy|) + (|w₁ − w₀| / R)·(max|y| + max|d|).
 * With a sine d of amplitude A at f, |Δd| ≤ 2π·f·A/fs; the wet y of a linear reverb fed a sine is a
 * sine of that frequency, whose largest step is measured before the jump (5 % margin for the window
 * not catching its exact peak). Without smoothing the last term is |w₁ − w₀|·|y − d| at one sample.
 */
const FS = 48000;
const PERIOD = 64;
const TONE = TEST_TONE;

interface Run { maxStepBefore: number; wetPeak: number; maxStepAfter: number; appliedAt: number }

/** The live output of the reverb (pure wet), a jump of wetDry 1 → 0 over OSC, and the steps around it. */
async function jumpOnLiveHost(smoothingMs: number): Promise<Run> {
  const { rig, server, played } = await liveReverbOnTone({ wetDry: 1, rt60Seconds: 0.5, smoothingMs });
  try {
    rig.advance(Math.round((1.5 * FS) / PERIOD)); // the tail settles on the tone
    const before = played.slice(-Math.round(0.5 * FS));
    const bridge = server.effect?.bridge;
    bridge?.handle({ kind: 'param', name: 'wet_dry', values: [0] }, { address: '127.0.0.1', port: 1 });
    rig.advance(Math.round((0.1 * FS) / PERIOD));
    const entry = server.eventLog.since(0).find((e) => e.type === 'param');
    const appliedAt = entry?.appliedFrame ?? -1;
    const after = played.slice(appliedAt - 1, appliedAt + Math.round(0.05 * FS));
    return { maxStepBefore: largestStep(before), wetPeak: Math.max(...before.map(Math.abs)), maxStepAfter: largestStep(after), appliedAt };
  } finally {
    await server.stop();
  }
}

/** The bound above for a mix jump of `deltaWet` ramped over `rampFrames`. */
function smoothingBound(run: Run, deltaWet: number, rampFrames: number): number {
  const dryStep = (2 * Math.PI * TONE.frequencyHz * TONE.amplitude) / FS;
  return Math.max(dryStep, 1.05 * run.maxStepBefore) + (deltaWet / rampFrames) * (run.wetPeak + TONE.amplitude);
}

describe('parameter smoothing on the live host', () => {
  it('keeps the largest sample step after a wetDry jump 1 → 0 within the 10 ms ramp bound', async () => {
    const run = await jumpOnLiveHost(10);
    expect(run.appliedAt).toBeGreaterThan(0);
    const bound = smoothingBound(run, 1, Math.round(0.01 * FS));
    expect(run.maxStepAfter).toBeLessThanOrEqual(bound);
  });

  it('the same check catches the click when smoothing is off (smoothingMs 0)', async () => {
    const run = await jumpOnLiveHost(0);
    const bound = smoothingBound(run, 1, Math.round(0.01 * FS));
    expect(run.maxStepAfter).toBeGreaterThan(2 * bound);
  });
});
