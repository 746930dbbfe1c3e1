import builderModule from 'junit-report-builder';
import type { RunReport } from './runReport.ts';

/**
 * JUnit XML for CI: a 'run' suite whose one case errors when the run did not finish (interrupted, crashed,
 * still running), a calibration suite with a case per channel, and one suite per scenario with a case
 * per budget and expectation.
 */
export function junitXml(report: RunReport): string {
  const builder = builderModule.newBuilder();
  const run = builder.testSuite().name(`run ${report.runId}`).testCase().className('run').name('run finished');
  if (report.status === 'interrupted' || report.status === 'crashed' || report.status === 'running') {
    run.error(`${report.status}${report.statusDetail ? `: ${report.statusDetail}` : ''}`);
  }
  const cal = builder.testSuite().name(`calibration (${report.rig.name})`);
  for (const c of report.calibration.channels) {
    const tc = cal.testCase().className('calibration').name(`output ${c.output} → input ${c.input}`);
    if (c.status !== 'ok') tc.failure(`${c.status}${c.detail ? `: ${c.detail}` : ''}`);
  }
  for (const s of report.scenarios) {
    const suite = builder.testSuite().name(s.name).time(s.durationSeconds);
    if (s.error) suite.testCase().className(s.name).name('run').error(s.error);
    if (s.status === 'interrupted') suite.testCase().className(s.name).name('run').error('interrupted before the end');
    if (s.status === 'skipped') suite.testCase().className(s.name).name('run').skipped();
    for (const b of s.budgets) {
      const tc = suite.testCase().className(s.name).name(`budget ${b.name} (${b.key} ≤ ${b.limit} ${b.unit})`);
      if (!b.passed) tc.failure(`${b.key} measured ${b.measured ?? 'nothing'} ${b.unit}, limit ${b.limit} ${b.unit}${b.detail ? `: ${b.detail}` : ''}`);
    }
    for (const e of s.expectations) {
      const tc = suite.testCase().className(s.name).name(`expect ${e.name}`);
      if (!e.passed) tc.failure(e.detail);
    }
  }
  return builder.build();
}
