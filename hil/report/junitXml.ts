import builderModule from 'junit-report-builder';
import { wiringLabel } from './channelLabel.ts';
import type { RunReport } from './runReport.ts';

/**
 * JUnit XML for CI viewers. Class names are `hil.<rig>.<scenario>` (and `hil.<rig>.run`,
 * `hil.<rig>.calibration`), so a viewer groups by rig, then scenario. Each scenario has a "played and
 * analysed" case timed with its wall time (playing + analysis) that errors when it did not finish, then a
 * case per budget and expectation whose failure message gives rounded figures and the budget's detail.
 * Scenarios left out on purpose (nightly-only) are `<skipped/>`. Every suite carries a `report` property
 * with the path of report.html (and the scenario's anchor), so a failure links to its evidence.
 */
export interface JunitOptions {
  /** Path or URL of the run's report.html as CI should show it (default "report.html", beside junit.xml). */
  reportHref?: string;
}

/** A name as one segment of a dotted class name. */
const segment = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

/** Rounded for a message: ms to 0.01, dB to 0.1, counts whole, anything else 4 significant digits. */
export function roundFigure(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return 'nothing';
  if (Number.isInteger(value)) return String(value);
  if (unit === 'ms' || unit === 's') return value.toFixed(2);
  if (unit === 'dB') return value.toFixed(1);
  return String(Number(value.toPrecision(4)));
}

export function junitXml(report: RunReport, options: JunitOptions = {}): string {
  const href = options.reportHref ?? 'report.html';
  const rig = `hil.${segment(report.rig.name)}`;
  const builder = builderModule.newBuilder();
  const runSuite = builder.testSuite().name(`run ${report.runId}`).property('report', href);
  const run = runSuite.testCase().className(`${rig}.run`).name('run finished');
  if (report.finishedAt) run.time((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000);
  if (report.status === 'interrupted' || report.status === 'crashed' || report.status === 'running') {
    run.error(`${report.status}${report.statusDetail ? `: ${report.statusDetail}` : ''}`);
  }
  const cal = builder.testSuite().name(`calibration (${report.rig.name})`).property('report', `${href}#calibration`);
  for (const c of report.calibration.channels) {
    const tc = cal.testCase().className(`${rig}.calibration`).name(wiringLabel(c.outputIndex, c.inputIndex));
    if (c.status !== 'ok') tc.failure(`${c.status}${c.detail ? `: ${c.detail}` : ''}`);
  }
  report.scenarios.forEach((s, i) => {
    const className = `${rig}.${segment(s.name)}`;
    const suite = builder.testSuite().name(s.name).time(s.durationSeconds + (s.analysisSeconds ?? 0)).property('report', `${href}#scenario-${i}`);
    const played = suite.testCase().className(className).name('played and analysed').time(s.durationSeconds + (s.analysisSeconds ?? 0));
    if (s.status === 'skipped') {
      played.skipped();
      if (s.skipReason ?? s.error) played.standardOutput(s.skipReason ?? s.error);
    } else if (s.error) played.error(s.error.split('\n')[0], undefined, s.error);
    else if (s.status === 'interrupted') played.error('interrupted before the end');
    for (const b of s.budgets) {
      const tc = suite.testCase().className(className).name(`budget ${b.name} (${b.key} ≤ ${b.limit} ${b.unit})`);
      if (!b.passed) tc.failure(`${b.key} measured ${roundFigure(b.measured, b.unit)} ${b.unit}, limit ${b.limit} ${b.unit}${b.detail ? `: ${b.detail}` : ''}`);
    }
    for (const e of s.expectations) {
      const tc = suite.testCase().className(className).name(`expect ${e.name}`);
      if (!e.passed) tc.failure(e.detail);
    }
  });
  return builder.build();
}
