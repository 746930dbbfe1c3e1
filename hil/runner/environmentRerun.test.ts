import { describe, expect, it } from 'vitest';
import { emptyScenarioResult, type ScenarioResult } from '../report/runReport.ts';
import { spoiledByEnvironment } from './environmentRerun.ts';

/** A failed latency scenario: its p99 and max budgets without a figure, `left` onsets left out at environment events. */
function noOnsets(left: number): ScenarioResult {
  const r = emptyScenarioResult('osc-automation', 'test');
  r.status = 'failed';
  r.budgets = [
    { name: 'note latency p99', key: 'p99Ms', limit: 8, measured: null, unit: 'ms', passed: false },
    { name: 'note latency max', key: 'maxMs', limit: 10.5, measured: null, unit: 'ms', passed: false },
    { name: 'dropouts', key: 'dropoutCount', limit: 0, measured: 0, unit: 'events', passed: true },
  ];
  r.latency = { ...r.latency, onsetCount: 0, atEnvironmentOnsetCount: left };
  return r;
}

describe('spoiledByEnvironment: a scenario is played again only when the environment left it nothing to measure', () => {
  it('names a scenario whose only failures are budgets without a figure because every onset fell at an environment event', () => {
    expect(spoiledByEnvironment(noOnsets(64))).toMatch(/^no p99Ms, maxMs: all 64 latency onset\(s\) fell at environment events/);
  });

  it('never one that failed on a figure, had an error, lost its onsets for another reason, passed, or measured some onsets', () => {
    const measuredFailure = noOnsets(64);
    measuredFailure.budgets[2] = { ...measuredFailure.budgets[2], measured: 1, passed: false };
    const errored = { ...noOnsets(64), error: 'Error: the rig stopped' };
    const passed = { ...noOnsets(64), status: 'passed' as const, budgets: noOnsets(64).budgets.map((b) => ({ ...b, passed: true })) };
    const someMeasured = noOnsets(64);
    someMeasured.latency = { ...someMeasured.latency, onsetCount: 3 };
    for (const [why, r] of [['a dropout counted', measuredFailure], ['an error', errored], ['no onset, none at the environment', noOnsets(0)], ['passed', passed], ['3 onsets measured', someMeasured]] as const) {
      expect(spoiledByEnvironment(r), why).toBeNull();
    }
  });
});
