import { describe, expect, it } from 'vitest';
import type { EventLatency, OnsetLatency } from './latencyMeasurement.ts';
import { clockMapFailsAt } from './scenarioSummary.ts';

const onset = (latencyMs: number): OnsetLatency => ({ eventIndex: 0, output: 0, latencyMs, unexplainedMs: 0 });
const event = (latencies: number[], clockStallMs: number | null): EventLatency => ({
  eventIndex: 0, transport: 'osc', sendFrame: 0, arrivalFrame: 10, appliedFrame: 64, onsets: latencies.map(onset), skewMs: 0, clockStallMs,
});

describe('clockMapFailsAt: the events left out of the latency figures (and counted)', () => {
  it('keeps an event measured across a steady clock', () => {
    expect(clockMapFailsAt(event([3.1, 3.3], 0))).toBe(false);
    expect(clockMapFailsAt(event([3.1], 0.9))).toBe(false);
    expect(clockMapFailsAt(event([3.1], -0.9))).toBe(false);
    expect(clockMapFailsAt(event([3.1], null))).toBe(false);
    expect(clockMapFailsAt(event([], 50))).toBe(false); // nothing measured, nothing to leave out
  });

  it('leaves out an event across a stall or a jump ahead of the stream clock longer than 1 ms', () => {
    expect(clockMapFailsAt(event([9.8], 1.5))).toBe(true);
    expect(clockMapFailsAt(event([3.1], -5.9))).toBe(true);
  });

  it('leaves out an event with an onset before its send: the clock map is wrong there, not the rig early', () => {
    // jack-native after a freeze at the stream's start: −61 ms on every transducer, once passing a 5 ms p99 budget.
    expect(clockMapFailsAt(event([-61.2, -62.6], 0))).toBe(true);
    expect(clockMapFailsAt(event([3.1, -0.01], 0))).toBe(true);
  });
});
