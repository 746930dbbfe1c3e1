import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runText } from '../../src/cli/commands/hil.ts';
import { junitXml } from './junitXml.ts';
import { prettyJson } from './prettyJson.ts';
import { runReportHtml } from './runPage.ts';
import { RUN_REPORT_FORMAT_VERSION, type RunReport, emptyScenarioResult } from './runReport.ts';
import { runReportSchema } from './runReportSchema.ts';
import { readRunSummaries } from './runSummary.ts';
import { findingCues } from './scenarioAudio.ts';
import { upgradeRunReport } from './upgradeRunReport.ts';
import { writeIndex } from './writeRunReport.ts';

/**
 * One channel numbering: everything a person reads counts channels from 1 ("ch 1", "output 1"), the JSON
 * keeps the 0-based index under a key that says so (`channelIndex`, `outputIndex`, `inputIndex`). A
 * dropout on the first channel and a calibration row for the first output are the pins.
 */
function reportWithFirstChannelFinding(): RunReport {
  const s = emptyScenarioResult('first-channel', 'a dropout on the first channel');
  s.status = 'failed';
  s.dropouts = [{ channelIndex: 0, startFrame: 4800, lengthFrames: 64, atSeconds: 0.1, kind: 'zeroed block', detector: 'residual' }];
  return {
    formatVersion: RUN_REPORT_FORMAT_VERSION, runId: 'numbering', startedAt: '2026-12-05T03:00:00.000Z', finishedAt: '2026-12-05T03:00:10.000Z', status: 'failed', seed: 1,
    rig: { name: 'virtual', backend: 'virtual', sampleRate: 48_000, periodFrames: 128, inputChannels: 2, outputChannels: 2 },
    software: { studioRigVersion: '0.1.0', node: 'v20', gitCommit: null, platform: 'linux x64' },
    calibration: {
      channels: [
        { outputIndex: 0, inputIndex: 0, status: 'inverted', totalRoundTripSamples: 300, harnessBufferSamples: 128, deviceRoundTripSamples: 172, confidence: 0.99, detail: 'polarity inverted' },
        { outputIndex: 1, inputIndex: -1, status: 'no-signal', totalRoundTripSamples: null, harnessBufferSamples: 128, deviceRoundTripSamples: null, confidence: null, detail: 'not wired in the rig file' },
      ],
      jackIodelaySamples: null, deviceRoundTripMedianSamples: 172,
    },
    scenarios: [s],
  };
}

/** The same run as format 1 wrote it: bare `channel`, `output` and `input`. */
function formatOne(report: RunReport): unknown {
  const json = JSON.parse(JSON.stringify(report));
  json.formatVersion = 1;
  for (const s of json.scenarios) {
    for (const d of s.dropouts) {
      d.channel = d.channelIndex;
      delete d.channelIndex;
    }
  }
  for (const c of json.calibration.channels) {
    c.output = c.outputIndex;
    c.input = c.inputIndex;
    delete c.outputIndex;
    delete c.inputIndex;
  }
  return json;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('channel numbering: from 1 where a person reads it, 0-based under an Index key in the JSON', () => {
  const report = reportWithFirstChannelFinding();
  let html: string;
  beforeAll(async () => {
    html = await runReportHtml(report);
  });

  it('report.json: the first channel is index 0 under channelIndex / outputIndex / inputIndex, and the schema holds it', () => {
    const json = JSON.parse(prettyJson(report));
    expect(json.formatVersion).toBe(2);
    expect(json.scenarios[0].dropouts[0]).toMatchObject({ channelIndex: 0 });
    expect(json.scenarios[0].dropouts[0]).not.toHaveProperty('channel');
    expect(json.calibration.channels[0]).toMatchObject({ outputIndex: 0, inputIndex: 0 });
    expect(json.calibration.channels[1]).toMatchObject({ outputIndex: 1, inputIndex: -1 });
    expect(runReportSchema.safeParse(json).success).toBe(true);
    expect(runReportSchema.safeParse(formatOne(report)).success).toBe(false);
  });

  it('report.html: the dropout reads channel 1 (its table cell, heading and caption)', () => {
    const facts = /channel \(from 1\)<\/th>.*?<tr><td class="l">([^<]*)<\/td>/s.exec(html);
    expect(facts?.[1]).toBe('1');
    expect(text(html)).toContain('Dropout 1: ch 1');
  });

  it('report.html: calibration rows read output 1 → input 1, and output 2 → not wired', () => {
    const rows = [...html.matchAll(/<tr class="fail"><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([['1', '1'], ['2', 'none']]);
    expect(text(html)).toContain('output 1 → input 1 inverted; output 2 → not wired no-signal');
  });

  it('JUnit: calibration test cases are named by channel from 1', () => {
    const xml = junitXml(report);
    expect(xml).toContain('name="output 1 → input 1"');
    expect(xml).toContain('name="output 2 → not wired"');
    expect(xml).not.toContain('input 0');
  });

  it('rig hil text and --keep-audio cue labels read ch 1', () => {
    const out = runText(report);
    expect(out).toMatch(/first-channel .*dropouts 1 on ch 1\b/);
    expect(out).toContain('calibration: output 1 → input 1 inverted (polarity inverted), output 2 → not wired no-signal');
    expect(findingCues(report.scenarios[0].dropouts)[0].label).toBe('1: ch 1 zeroed block, 64 frames (residual)');
  });

  describe('reports written in format 1 (bare channel / output / input) still read', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'numbering-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('upgradeRunReport renames the keys, keeps the values, and the page reads channel 1 as before', async () => {
      const upgraded = upgradeRunReport(formatOne(report));
      expect(upgraded).toEqual(report);
      expect(runReportSchema.safeParse(upgraded).success).toBe(true);
      expect(text(await runReportHtml(upgraded))).toContain('Dropout 1: ch 1');
    });

    it('the index summarises a format-1 report.json that has no summary.json', async () => {
      await mkdir(join(dir, 'runs', 'old'), { recursive: true });
      await writeFile(join(dir, 'runs', 'old', 'report.json'), JSON.stringify(formatOne(report)));
      const { runs, skipped } = await readRunSummaries(dir);
      expect(skipped).toEqual([]);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ folder: 'old', runId: 'numbering', dropoutCount: 1, failingScenarios: ['first-channel'] });
    });

    it('a format-1 run left running by a harness that is gone is rewritten as interrupted, in format 2, its page reading ch 1', async () => {
      const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
      const reports = join(dir, 'killed');
      await mkdir(join(reports, 'runs', 'numbering'), { recursive: true });
      const old = formatOne({ ...report, status: 'running', finishedAt: null, harness: { pid: deadPid, host: hostname() } });
      await writeFile(join(reports, 'runs', 'numbering', 'report.json'), JSON.stringify(old));
      await writeIndex(reports);
      const rewritten = JSON.parse(await readFile(join(reports, 'runs', 'numbering', 'report.json'), 'utf8'));
      expect(rewritten).toMatchObject({ formatVersion: 2, status: 'interrupted' });
      expect(rewritten.scenarios[0].dropouts[0]).toMatchObject({ channelIndex: 0 });
      expect(rewritten.calibration.channels[1]).toMatchObject({ outputIndex: 1, inputIndex: -1 });
      expect(text(await readFile(join(reports, 'runs', 'numbering', 'report.html'), 'utf8'))).toContain('Dropout 1: ch 1');
    });
  });
});
