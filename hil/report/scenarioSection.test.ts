import { describe, expect, it } from 'vitest';
import { valueAtPath } from './html.ts';
import { RUN_REPORT_FORMAT_VERSION, emptyScenarioResult, type ScenarioResult } from './runReport.ts';
import { runReportSchema } from './runReportSchema.ts';
import { scenarioSection } from './scenarioSection.ts';

/** An effect scenario's result as the runner writes it (figures from a virtual-rig run). */
function effectResult(): ScenarioResult {
  const r = emptyScenarioResult('reverb-automation', 'the FDN reverb, automated');
  r.status = 'passed';
  r.effect = {
    perChannelLatencyMs: [2.667, 2.667], worstLatencyMs: 2.667, engineLatencyMs: 0, pathMs: 2.667, smoothingMs: 10,
    changes: [{ index: 0, paramIndex: 0, paramName: 'wetDry', value: 0.7, appliedFrame: 12032, stepDb: 0 }], worstClickStepDb: 0,
  };
  return r;
}

describe('an effect scenario on the run page', () => {
  it('shows its latency and every parameter change, each figure tagged with its path in report.json', async () => {
    const s = effectResult();

    const html = await scenarioSection(s, 0, 48000);

    expect(html).toContain('Effect: latency and parameter changes');
    expect(html).not.toContain('<h3>Latency</h3>');
    const paths = [...html.matchAll(/data-figure="(scenarios\[0\]\.effect[^"]*)"/g)].map((m) => m[1]);
    expect(paths).toEqual(expect.arrayContaining(['scenarios[0].effect.worstLatencyMs', 'scenarios[0].effect.changes[0].stepDb', 'scenarios[0].effect.worstClickStepDb']));
    for (const p of paths) expect(valueAtPath({ scenarios: [s] }, p), p).not.toBeUndefined();
  });

  it('is valid report.json by the published schema', () => {
    const report = { formatVersion: RUN_REPORT_FORMAT_VERSION, runId: 'r', startedAt: '', finishedAt: null, status: 'passed', seed: 1,
      rig: { name: 'virtual', backend: 'virtual', sampleRate: 48000, periodFrames: 64, inputChannels: 2, outputChannels: 2 },
      software: { studioRigVersion: '0', node: 'v20', gitCommit: null, platform: 'linux' },
      calibration: { channels: [], jackIodelaySamples: null, deviceRoundTripMedianSamples: null }, scenarios: [effectResult()] };

    expect(runReportSchema.safeParse(report).success).toBe(true);
    expect(runReportSchema.safeParse({ ...report, scenarios: [{ ...effectResult(), effect: { worstClickStepDb: 'loud' } }] }).success).toBe(false);
  });
});

describe('the latency the dropout detector followed, on the run page', () => {
  const withFollowed = (perChannel: Array<number | null>, worst: number | null): ScenarioResult => {
    const r = emptyScenarioResult('latency-probe', 'bursts');
    r.content = { perChannelResidualDb: [-120, -118, null], worstResidualDb: -118, latencyFollowedSamples: perChannel, worstLatencyFollowedSamples: worst };
    return r;
  };

  it('names a drift of half a sample or more, with its channel, tagged with its path in report.json', async () => {
    const s = withFollowed([0.2, -4.79, null], -4.79);
    const html = await scenarioSection(s, 0, 48000);
    expect(html).toContain('data-figure="scenarios[0].content.worstLatencyFollowedSamples"');
    expect(valueAtPath({ scenarios: [s] }, 'scenarios[0].content.worstLatencyFollowedSamples')).toBe(-4.79);
    expect(html).toMatch(/without an event: .*−?-?4\.79.*\(channel 2\) — the capture's latency moved during the run/s);
  });

  it('says 0 without the drift sentence on a sound rig, and nothing for a run analysed before the figure existed', async () => {
    const html = await scenarioSection(withFollowed([0, 0, null], 0), 0, 48000);
    expect(html).toContain('Latency followed by the dropout detector without an event');
    expect(html).not.toContain('moved during the run');
    const old = emptyScenarioResult('latency-probe', 'bursts');
    expect(await scenarioSection(old, 0, 48000)).not.toContain('Latency followed');
  });
});
