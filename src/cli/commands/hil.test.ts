import { describe, expect, it } from 'vitest';
import { RUN_REPORT_FORMAT_VERSION, type RunReport, type ScenarioResult, emptyScenarioResult } from '../../../hil/report/runReport.ts';
import { runText } from './hil.ts';

/** A run of the given scenarios on a 2-channel virtual rig, as `rig hil` prints it. */
function textOf(...scenarios: ScenarioResult[]): string {
  const report: RunReport = {
    formatVersion: RUN_REPORT_FORMAT_VERSION, runId: 'text', startedAt: '2026-12-08T00:00:00.000Z', finishedAt: '2026-12-08T00:00:05.000Z', status: 'passed', seed: 1,
    rig: { name: 'virtual', backend: 'virtual', sampleRate: 48_000, periodFrames: 64, inputChannels: 2, outputChannels: 2 },
    software: { studioRigVersion: '0.1.0', node: 'v20', gitCommit: null, platform: 'linux x64' },
    calibration: { channels: [] },
    scenarios,
  } as unknown as RunReport;
  return runText(report);
}

function scenario(name: string, latency: Partial<ScenarioResult['latency']>): ScenarioResult {
  const s = emptyScenarioResult(name, name);
  s.status = 'passed';
  s.latency = { ...s.latency, ...latency };
  return s;
}

describe('rig hil: a scenario line', () => {
  it('gives the p99 it measured', () => {
    expect(textOf(scenario('sweep-32', { eventCount: 32, onsetCount: 1024, p99Ms: 4.837 }))).toMatch(/^PASSED {6}sweep-32 {2}p99 4\.84 ms, dropouts 0\n$/);
  });

  it('says why a p99 is missing: onsets left out at environment events, events at a stalled clock, or none to measure', () => {
    const out = textOf(
      scenario('pool-storm', { eventCount: 24, onsetCount: 0, atEnvironmentOnsetCount: 32 }),
      scenario('panic', { eventCount: 6, onsetCount: 0, clockStallEventCount: 1 }),
      scenario('silence', { eventCount: 0 }),
      scenario('unreadable', { eventCount: 3, onsetCount: 0 }),
    ).split('\n');
    expect(out[0]).toContain('pool-storm  p99 — ms (32 onset(s) at environment events left out), dropouts 0');
    expect(out[1]).toContain('panic  p99 — ms (1 event(s) at a stalled clock left out), dropouts 0');
    expect(out[2]).toContain('silence  p99 — ms (no note event), dropouts 0');
    expect(out[3]).toContain('unreadable  p99 — ms (no onset measured), dropouts 0');
  });
});
