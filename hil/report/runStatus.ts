import { overallStatus, type RunReport, type RunStatus } from './runReport.ts';

/** What the page shows as the run's status: an unfinished run says so, a finished one is judged by its results. */
export function shownStatus(report: RunReport): RunStatus {
  if (report.status === 'interrupted' || report.status === 'crashed' || report.status === 'running') return report.status;
  return overallStatus(report);
}

export const isUnfinished = (status: RunStatus) => status === 'interrupted' || status === 'crashed' || status === 'running';

/**
 * Failures as the JUnit XML counts them (failures + errors): an unfinished run, bad calibration channels,
 * failed budgets and expectations, scenario errors and interruptions.
 */
export function failureCount(report: RunReport): number {
  let n = (isUnfinished(report.status) ? 1 : 0) + report.calibration.channels.filter((c) => c.status !== 'ok').length;
  for (const s of report.scenarios) {
    n += s.budgets.filter((b) => !b.passed).length + s.expectations.filter((e) => !e.passed).length;
    if (s.error) n += 1;
    if (s.status === 'interrupted') n += 1;
  }
  return n;
}
