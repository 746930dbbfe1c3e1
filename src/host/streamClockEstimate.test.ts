import { describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import { StreamClockEstimate } from './streamClockEstimate.ts';

/**
 * The live clock map against a known truth: samples = true offset + lateness (≥ 0), lateness as a callback's
 * entry has it on this VM — tens of µs, now and then ~1.5 ms, and bursts of late periods after a stall.
 * Limit: the estimate within MAX_ERROR_MS of the true offset (the timestamped-events jitter target is 0.1 ms)
 * on every period after the window has filled, except the STEP_PERIODS after a step of the stream clock
 * (a step cannot be told from lateness before that).
 */
const WINDOW = 512;
const STEP_PERIODS = 16;
const MAX_ERROR_MS = 0.1;
const PERIOD_MS = 64 / 48;

function lateness(seed: number, n: number): Float64Array {
  const rng = new Prng(seed);
  const late = new Float64Array(n);
  for (let k = 0; k < n; k++) late[k] = 0.03 * rng.nextFloat() + (rng.nextFloat() < 0.08 ? 1.5 * rng.nextFloat() : 0);
  // Bursts: after a 10 ms stall the next 4 callbacks come back to back, each a period less late.
  for (let k = 700; k < n; k += 397) for (let j = 0; j < 4; j++) if (k + j < n) late[k + j] += 10 - j * PERIOD_MS;
  return late;
}

/** Pushes one sample, returns the offset. */
function push(estimate: StreamClockEstimate, sampleMs: number): number {
  estimate.cell[0] = sampleMs;
  estimate.push();
  return estimate.cell[0];
}

/** The worst |estimate − truth| over the periods it is judged on, and where. */
function worstError(truth: (k: number) => number, n: number, judged: (k: number) => boolean, estimate = new StreamClockEstimate(WINDOW, STEP_PERIODS)): { errorMs: number; at: number } {
  const late = lateness(7, n);
  let errorMs = 0;
  let at = -1;
  for (let k = 0; k < n; k++) {
    const e = push(estimate, truth(k) + late[k]);
    if (judged(k) && Math.abs(e - truth(k)) > errorMs) [errorMs, at] = [Math.abs(e - truth(k)), k];
  }
  return { errorMs, at };
}

describe('StreamClockEstimate: the live host → stream clock map', () => {
  const N = 4000;
  const filled = (k: number) => k >= WINDOW;

  it('holds a steady clock through lateness and bursts of late periods', () => {
    expect(worstError(() => 3.25, N, filled).errorMs).toBeLessThanOrEqual(MAX_ERROR_MS);
  });

  it('follows a stream clock 0.12 %, 1 % and 30 % slow (the dummy driver measured here: quiet, loaded, saturated)', () => {
    for (const slow of [0.0012, 0.01, 0.3]) {
      const r = worstError((k) => k * PERIOD_MS * slow, N, filled);
      expect(r.errorMs, `${slow}: ${JSON.stringify(r)}`).toBeLessThanOrEqual(MAX_ERROR_MS);
    }
  });

  it('follows a step of the stream clock within STEP_PERIODS periods — and not without its step rule', () => {
    const STEP_AT = 2000;
    for (const [stepMs, slow] of [[2, 0], [0.4, 0], [-PERIOD_MS, 0], [2, 0.01]]) {
      const truth = (k: number) => 1 + k * PERIOD_MS * slow + (k >= STEP_AT ? stepMs : 0);
      const judged = (k: number) => filled(k) && (k < STEP_AT || k >= STEP_AT + STEP_PERIODS);
      const r = worstError(truth, N, judged);
      expect(r.errorMs, `step ${stepMs} ms, drift ${slow}: ${JSON.stringify(r)}`).toBeLessThanOrEqual(MAX_ERROR_MS);
      // The rule switched off (a threshold never reached): a step later keeps the old offset for half a window.
      const off = worstError(truth, N, judged, new StreamClockEstimate(WINDOW, STEP_PERIODS, Number.POSITIVE_INFINITY));
      if (stepMs > 0) expect(off.errorMs, `step ${stepMs} ms without the rule`).toBeGreaterThan(stepMs - MAX_ERROR_MS);
    }
  });

  it('allocates nothing per sample', async () => {
    const estimate = new StreamClockEstimate(WINDOW, STEP_PERIODS);
    let k = 0;
    const m = await measureAllocation(() => { estimate.cell[0] = 1 + 0.01 * (k++ % 7); estimate.push(); });
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} samples`).toBe(true);
  });

  it('refuses a window that cannot hold four step windows', () => {
    expect(() => new StreamClockEstimate(48, STEP_PERIODS)).toThrow(RangeError);
  });
});
