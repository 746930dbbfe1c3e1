import type { ScenarioResult } from '../report/runReport.ts';

/**
 * How many more times a scenario is played when the environment left it nothing to measure (spoiledByEnvironment):
 * on this VM two note onsets of osc-automation both fell in environment spans (5 driver xruns, 12 machine stalls up
 * to 14 ms in one 4 s run) and its latency budget failed with no figure at all.
 */
export const ENVIRONMENT_RERUNS = 2;

/**
 * Why a failed scenario measured nothing the server could be judged on, or null: every failed budget has no
 * figure (measured null) because every latency onset was left out for an environment event in its capture search
 * (a driver xrun, a frame jump or a machine stall: dropoutAttribution.ts). A budget that failed on a figure, an
 * error, or an onset missing for any other reason is the server's verdict and is never played again.
 */
export function spoiledByEnvironment(result: ScenarioResult): string | null {
  if (result.status !== 'failed' || result.error !== undefined) return null;
  const failed = result.budgets.filter((b) => !b.passed);
  if (failed.length === 0 || failed.some((b) => b.measured !== null)) return null;
  const left = result.latency.atEnvironmentOnsetCount ?? 0;
  if (result.latency.onsetCount !== 0 || left === 0) return null;
  return `no ${failed.map((b) => b.key).join(', ')}: all ${left} latency onset(s) fell at environment events (${result.dropoutAttribution?.driverXrunCount ?? 0} driver xrun(s), ${result.dropoutAttribution?.machineStallCount ?? 0} machine stall(s))`;
}
