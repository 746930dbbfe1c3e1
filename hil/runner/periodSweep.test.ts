import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/loadScenario.ts';
import { runPeriodSweep } from './periodSweep.ts';
import { SCENARIOS_DIR } from './runHil.ts';

describe('latency budget table over period sizes', () => {
  it('measures the 64-frame path inside the 5 ms budget and the 128-frame path over it, buffering one period each', async () => {
    const probe = loadScenario(join(SCENARIOS_DIR, 'latency-probe.json'));
    // The first four notes (a socket and an OSC note, twice) are enough to see each path's structure.
    const events = probe.events.slice(0, 8);
    const short = { ...probe, events, durationFrames: events[7].atFrame + Math.round(0.2 * probe.scenario.sampleRate) };
    const sweep = await runPeriodSweep(short, { sampleRate: 48000, inputChannels: 32, outputChannels: 32 }, [64, 128], undefined, 4);
    const [p64, p128] = sweep.rows;
    expect(sweep.budgetMs).toBe(5);
    expect(p64.onsetCount).toBe(4 * 4); // four notes on the four calibrated transducers
    expect(p64.breakdown.bufferingMs).toBeCloseTo(64 / 48, 6);
    expect(p128.breakdown.bufferingMs).toBeCloseTo(128 / 48, 6);
    expect(p64.p99Ms).toBeLessThanOrEqual(5);
    expect(p64.meetsBudget).toBe(true);
    expect(p128.p99Ms).toBeGreaterThan(5);
    expect(p128.meetsBudget).toBe(false);
    // Doubling the period adds one period (64 frames) of buffering, half of the loop's extra 64 frames
    // and a wait of 0 to 64 frames more: at least 1.5 × 64 frames.
    expect((p128.p50Ms ?? 0) - (p64.p50Ms ?? 0)).toBeGreaterThanOrEqual(1.5 * (64 / 48) - 1e-9);
    expect(p64.dropouts + p128.dropouts).toBe(0);
  });
});
