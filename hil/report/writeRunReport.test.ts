import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRunReport } from './fixtureReport.ts';
import { fmt, valueAtPath } from './html.ts';
import { failureCount } from './runStatus.ts';
import { emptyScenarioResult, type RunReport } from './runReport.ts';
import { readRunSummaries } from './runSummary.ts';
import { writeRunReport } from './writeRunReport.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('writeRunReport', () => {
  let dir: string;
  let full: RunReport;
  let light: RunReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-report-'));
    full = await fixtureRunReport({ runId: 'full' });
    light = await fixtureRunReport({ runId: 'light', scenarioCount: 1, startedAt: '2026-11-19T02:00:00.000Z' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes report.html, report.json and junit.xml in the run folder and the index, and no temporary file', async () => {
    const reports = join(dir, 'files');
    const written = await writeRunReport(full, reports);
    expect(written).toEqual({ htmlPath: join(reports, 'runs/full/report.html'), jsonPath: join(reports, 'runs/full/report.json'), junitPath: join(reports, 'runs/full/junit.xml'), indexPath: join(reports, 'index.html') });
    expect(await listFiles(reports)).toEqual(['index.html', 'latest/junit.xml', 'runs/full/junit.xml', 'runs/full/report.html', 'runs/full/report.json', 'runs/full/summary.json']);
    expect(JSON.parse(await readFile(written.jsonPath, 'utf8'))).toEqual(full);
    expect(await readFile(join(reports, 'latest/junit.xml'), 'utf8')).toBe(await readFile(written.junitPath, 'utf8'));
  });

  it('shows every figure of the page as the JSON value at its path with its digits', async () => {
    const html = await readFile(join(dir, 'files/runs/full/report.html'), 'utf8');
    const json = JSON.parse(await readFile(join(dir, 'files/runs/full/report.json'), 'utf8'));
    const figures = [...html.matchAll(/data-figure="([^"]+)" data-digits="(\d+)">([^<]*)</g)].map((m) => ({ path: unescapeHtml(m[1]), digits: Number(m[2]), text: m[3] }));
    const wrong = figures.filter((f) => { const v = valueAtPath(json, f.path); return !(typeof v === 'number' || v === null) || fmt(v as number | null, f.digits) !== f.text; });
    expect(figures.length).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });

  it('replaces the files by rename when it writes again, leaving one run folder and no temporary file', async () => {
    const reports = join(dir, 'rewrite');
    await writeRunReport({ ...light, status: 'running' }, reports);
    const before = await stat(join(reports, 'runs/light/report.json'));
    await writeRunReport({ ...light, status: 'passed' }, reports);
    const after = await stat(join(reports, 'runs/light/report.json'));
    expect(after.ino).not.toBe(before.ino);
    expect(await listFiles(reports)).toEqual(['index.html', 'latest/junit.xml', 'runs/light/junit.xml', 'runs/light/report.html', 'runs/light/report.json', 'runs/light/summary.json']);
  });

  it('shows a scenario figure that changed between two writes of the same run', async () => {
    const reports = join(dir, 'changed');
    await writeRunReport(light, reports);
    const changed = structuredClone(light);
    changed.scenarios[0].latency.p99Ms = 4.321;
    const { htmlPath } = await writeRunReport(changed, reports);
    expect(await readFile(htmlPath, 'utf8')).toContain('data-figure="scenarios[0].latency.p99Ms" data-digits="3">4.321<');
  });

  it.each([
    ['interrupted', 'INTERRUPTED', 'The run was interrupted before it finished: SIGINT.'],
    ['crashed', 'CRASHED', 'The run crashed before it finished: SIGINT.'],
    ['running', 'RUNNING', 'The run had not finished when this report was written'],
  ] as const)('says at the top of the page that a %s run did not finish', async (status, badgeText, sentence) => {
    const reports = join(dir, status);
    const { htmlPath } = await writeRunReport({ ...light, status, finishedAt: null, statusDetail: 'SIGINT' }, reports);
    const html = await readFile(htmlPath, 'utf8');
    const top = html.slice(html.indexOf('<div class="summary'), html.indexOf('<h2>Budgets'));
    expect(top).toContain(`badge ${status}">${badgeText}<`);
    expect(top).toContain(sentence);
    expect(top).toContain('What was measured up to then is shown below.');
  });

  it('renders a scenario that measured nothing with notes in place of its charts', async () => {
    const { htmlPath } = await writeRunReport({ ...light, status: 'crashed', scenarios: [...light.scenarios, { ...emptyScenarioResult('sweep', '32-channel sweep'), error: 'rig server exited with code 134' }] }, join(dir, 'empty'));
    const html = await readFile(htmlPath, 'utf8');
    const section = html.slice(html.indexOf('id="scenario-1"'), html.indexOf('id="calibration"'));
    expect(section).toContain('rig server exited with code 134');
    expect(section).toContain('No onset measured.');
    expect(section).toContain('Latency per transducer (p50, ms): no value (null in report.json).');
    expect(section).not.toContain('Chart unavailable');
  });

  it('lists the good runs in the index newest first and skips a corrupt or foreign report.json with a note', async () => {
    const reports = join(dir, 'index');
    for (const [folder, text] of [['half', '{"formatVersion":1,"runId":"ha'], ['foreign', '{"hello":"world"}']]) {
      await mkdir(join(reports, 'runs', folder), { recursive: true });
      await writeFile(join(reports, 'runs', folder, 'report.json'), text);
    }
    await writeRunReport(light, reports);
    const { indexPath } = await writeRunReport({ ...light, runId: 'newer', startedAt: '2026-11-20T02:00:00.000Z' }, reports);
    const html = await readFile(indexPath, 'utf8');
    expect(html.indexOf('runs/newer/report.html')).toBeLessThan(html.indexOf('runs/light/report.html'));
    expect(html.indexOf('runs/light/report.html')).toBeGreaterThan(0);
    expect(html).toMatch(/runs\/half<\/code>: report.json is not valid JSON/);
    expect(html).toMatch(/runs\/foreign<\/code>: report.json is not a run report: runId/);
  });

  it('writes JUnit XML with a test case per calibration channel, budget and expectation, failing exactly the failures', async () => {
    const xml = await readFile(join(dir, 'files/runs/full/junit.xml'), 'utf8');
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites;
    const cases = 1 + full.calibration.channels.length + full.scenarios.reduce((n, s) => n + 1 + s.budgets.length + s.expectations.length, 0);
    expect(Number(root.tests)).toBe(cases);
    expect(Number(root.failures) + Number(root.errors)).toBe(failureCount(full));
    expect(failureCount(full)).toBe(1 + 3 + 1); // inverted channel; mpe-glide p99, jitter and dropouts; its content expectation
  });

  it('names JUnit classes hil.<rig>.<scenario>, times each scenario, rounds figures, links the report and skips nightly-only scenarios', async () => {
    const withSkip = structuredClone(full);
    withSkip.runId = 'junit-details';
    withSkip.scenarios[1].budgets[1] = { ...withSkip.scenarios[1].budgets[1], measured: 6.374999999999, passed: false, detail: 'bound 6.67 ms' };
    withSkip.scenarios.push({ ...emptyScenarioResult('soak', '10 minutes'), status: 'skipped', skipReason: 'nightly-only: runs with --nightly' });
    const { junitPath, htmlPath } = await writeRunReport(withSkip, join(dir, 'junit-details'));
    const xml = await readFile(junitPath, 'utf8');
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml).testsuites;
    const suites = root.testsuite as Array<{ name: string; properties: { property: Array<{ name: string; value: string }> }; testcase: Array<{ classname: string; name: string; time?: string; failure?: { message: string }; skipped?: unknown }> }>;
    const glide = suites.find((x) => x.name === 'mpe-glide')!;
    expect(new Set(glide.testcase.map((t) => t.classname))).toEqual(new Set(['hil.virtual.mpe-glide']));
    expect(Number(glide.testcase[0].time)).toBeCloseTo(withSkip.scenarios[1].durationSeconds + withSkip.scenarios[1].analysisSeconds!, 6);
    expect(glide.properties.property).toEqual([{ name: 'report', value: `${resolve(htmlPath)}#scenario-1` }]);
    expect(glide.testcase.find((t) => t.name.startsWith('budget latency p99'))!.failure!.message).toBe('p99Ms measured 6.37 ms, limit 5 ms: bound 6.67 ms');
    const soak = suites.find((x) => x.name === 'soak')!;
    expect(soak.testcase.map((t) => [t.classname, t.skipped !== undefined])).toEqual([['hil.virtual.soak', true]]);
    expect(Number(root.skipped ?? 0) || soak.testcase.filter((t) => t.skipped !== undefined).length).toBe(1);
    expect(Number(root.failures) + Number(root.errors)).toBe(failureCount(withSkip));
  });

  it('makes CI fail on an interrupted run whose scenarios all passed', async () => {
    const passing = { ...light, status: 'interrupted' as const, calibration: { ...light.calibration, channels: light.calibration.channels.filter((c) => c.status === 'ok') } };
    const { junitPath } = await writeRunReport(passing, join(dir, 'junit-interrupted'));
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junitPath, 'utf8')).testsuites;
    expect(passing.scenarios.every((s) => s.status === 'passed')).toBe(true);
    expect([Number(root.failures), Number(root.errors)]).toEqual([0, 1]);
    expect(failureCount(passing)).toBe(1);
  });

  it('names the failing scenarios in the index, with wall time and analysis time apart', async () => {
    const html = await readFile(join(dir, 'files/index.html'), 'utf8');
    const row = html.slice(html.indexOf('runs/full/report.html'), html.indexOf('</tr>', html.indexOf('runs/full/report.html')));
    expect(row).toContain('<td class="l failing">mpe-glide</td>');
    expect(row).toMatch(/data-json="runs\/full\/summary.json"><span class="fig" data-figure="wallSeconds" data-digits="1">95\.0<\/span>&nbsp;s<\/td>/);
    expect(row).toMatch(/data-figure="analysisSeconds" data-digits="1">2\.5</);
    expect(html).toContain('<th>wall time (whole run)</th><th>of which analysis</th>');
  });

  it('reads summary.json for the index, not the (possibly 9 MB) report.json', async () => {
    const reports = join(dir, 'summary-only');
    await writeRunReport(light, reports);
    await writeFile(join(reports, 'runs/light/report.json'), '{ not read by the index');
    const { runs, skipped } = await readRunSummaries(reports);
    expect(skipped).toEqual([]);
    expect(runs.map((r) => [r.runId, r.status, r.worstP99?.ms])).toEqual([['light', 'failed', light.scenarios[0].latency.p99Ms]]); // failed: its inverted calibration channel
  });

  it('draws trends per rig, each scenario against its own p99 budget', async () => {
    const reports = join(dir, 'per-rig');
    await writeRunReport(full, reports);
    const jack = { ...full, runId: 'jack-run', startedAt: '2026-11-22T02:00:00.000Z', rig: { ...full.rig, name: 'jack-loopback' } };
    const { indexPath } = await writeRunReport(jack, reports);
    const html = await readFile(indexPath, 'utf8');
    expect([...html.matchAll(/<h3>Rig ([^<]+)<\/h3>/g)].map((m) => m[1])).toEqual(['jack-loopback', 'virtual']);
    expect(html).toContain('budget 5 ms: latency-probe, mpe-glide');
    expect(html).toContain('budget 8 ms: osc-automation');
    expect(html).not.toMatch(/budget 5 ms: [^<]*osc-automation/);
  });

  it('keeps only the newest N runs with keep, never the current one', async () => {
    const reports = join(dir, 'keep');
    for (const day of [18, 19, 20]) await writeRunReport({ ...light, runId: `run-${day}`, startedAt: `2026-11-${day}T02:00:00.000Z` }, reports);
    await mkdir(join(reports, 'runs', 'not-a-run'), { recursive: true });
    await writeRunReport({ ...light, runId: 'old-but-current', startedAt: '2026-11-01T02:00:00.000Z' }, reports, { keep: 2 });
    expect((await readdir(join(reports, 'runs'))).sort()).toEqual(['not-a-run', 'old-but-current', 'run-20']);
  });

  it('writes the JUnit XML to a stable path given with junitPath', async () => {
    const target = join(dir, 'ci/out/junit.xml');
    const { junitPath } = await writeRunReport(light, join(dir, 'junit-path'), { junitPath: target });
    expect(await readFile(target, 'utf8')).toBe(await readFile(junitPath, 'utf8'));
  });

  it('shows a run whose harness was killed (SIGKILL) as interrupted, in its report and the index, once its process is gone', async () => {
    const reports = join(dir, 'killed');
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    await writeRunReport({ ...light, runId: 'killed', status: 'running', finishedAt: null, harness: { pid: deadPid, host: hostname() } }, reports);
    await writeRunReport({ ...light, runId: 'alive', status: 'running', finishedAt: null, harness: { pid: process.pid, host: hostname() } }, reports);
    const report = JSON.parse(await readFile(join(reports, 'runs/killed/report.json'), 'utf8')) as RunReport;
    expect(report.status).toBe('interrupted');
    expect(report.statusDetail).toMatch(new RegExp(`pid ${deadPid} .*ended without finishing the run`));
    expect(await readFile(join(reports, 'runs/killed/report.html'), 'utf8')).toContain('badge interrupted">INTERRUPTED<');
    const index = await readFile(join(reports, 'index.html'), 'utf8');
    const row = (id: string) => index.slice(index.indexOf(`runs/${id}/report.html`), index.indexOf('</tr>', index.indexOf(`runs/${id}/report.html`)));
    expect(row('killed')).toContain('badge interrupted">INTERRUPTED<');
    expect(row('alive')).toContain('badge running">RUNNING<');
  });

  it('refuses a runId that cannot name a folder', async () => {
    await expect(writeRunReport({ ...light, runId: '../escape' }, join(dir, 'bad'))).rejects.toThrow(/runId '..\/escape' cannot name a folder/);
  });
});
