import type { Command } from 'commander';
import { RunProgress } from '../../../hil/report/progress.ts';
import { type RunReport, type ScenarioResult, isBackendFlag } from '../../../hil/report/runReport.ts';
import { writeRunReport } from '../../../hil/report/writeRunReport.ts';
import { resolveScenarios, runHil } from '../../../hil/runner/runHil.ts';
import { withDurationMinutes } from '../../../hil/scenario/loadScenario.ts';
import { CliError } from '../cliError.ts';

interface HilCliOptions {
  rig: string;
  scenario?: string[];
  nightly?: boolean;
  tag?: string;
  reports: string;
  realtime?: boolean;
  json?: boolean;
  soakMinutes?: string;
}

export function register(program: Command): void {
  program
    .command('hil')
    .description('the main job: calibrate the rig, replay the scenarios against the rig server, measure latency, dropouts and content, and write reports/index.html')
    .option('--rig <name|file>', "rig: 'virtual' (built in, default), 'jack' (a JACK dummy loopback the harness starts), or a rig file in hil/rigs/", 'virtual')
    .option('--scenario <name...>', 'scenario names (scenarios/<name>.json or .mid) or paths; default: all but the nightly-only ones')
    .option('--nightly', 'include the nightly-only scenarios (the 10-minute soak)')
    .option('--tag <tag>', "only scenarios with this tag (e.g. 'smoke')")
    .option('--reports <dir>', 'where reports are written', 'reports')
    .option('--soak-minutes <n>', 'run the soak scenario for n minutes instead of 10 (the nightly run; the capture is analysed in chunks, memory stays flat)')
    .option('--realtime', 'virtual rig only: pace it in real time instead of simulated time')
    .option('--json', 'print the run report (every figure) as JSON on stdout')
    .action(async (opts: HilCliOptions) => {
      if (opts.rig !== 'virtual') {
        // PortAudio rigs need Debian's libportaudio2 (JACK host API) loaded before naudiodon's own copy.
        const { reexecWithDebianPortaudio } = await import('../../../hil/jack/portaudioLibrary.ts');
        await reexecWithDebianPortaudio();
      }
      let scenarios;
      try {
        scenarios = resolveScenarios(opts.scenario, opts.nightly ?? false, opts.tag);
        if (opts.soakMinutes !== undefined) {
          const minutes = Number(opts.soakMinutes);
          if (!(minutes > 0) || !Number.isFinite(minutes)) throw new Error(`--soak-minutes: expected a positive number of minutes, got "${opts.soakMinutes}"`);
          if (!scenarios.some((s) => s.name === 'soak')) throw new Error('--soak-minutes: the soak scenario is not selected (add --nightly or --scenario soak)');
          scenarios = scenarios.map((s) => (s.name === 'soak' ? withDurationMinutes(s, minutes) : s));
        }
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (scenarios.length === 0) throw new CliError(`no scenario to run${opts.tag ? ` with tag "${opts.tag}"` : ''}`);
      const progress = new RunProgress({
        scenarios: scenarios.map((s) => ({ name: s.name, expectedSeconds: (s.durationFrames / s.scenario.sampleRate) * (opts.rig === 'virtual' && !opts.realtime ? 0.3 : 1) + 1 })),
      });
      let stop = false;
      const onSignal = (sig: string) => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write(`\nrig hil: ${sig} — finishing the current step and writing the report (again to quit at once)\n`);
      };
      process.on('SIGINT', () => onSignal('SIGINT'));
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      const ticker = setInterval(() => progress.tick(), 500);
      let current = '';
      let report: RunReport;
      let written = { htmlPath: '' };
      try {
        report = await runHil({
          rig: opts.rig,
          rigOverrides: opts.realtime ? { clock: 'realtime' } : undefined,
          scenarios,
          writeReport: async (r) => { written = await writeRunReport(r, opts.reports); },
          onScenario: (name) => {
            if (current) progress.finishScenario('done');
            current = name;
            progress.startScenario(name);
          },
          shouldStop: () => stop,
        });
        if (current) progress.finishScenario('done');
      } finally {
        clearInterval(ticker);
        progress.stop();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const s of report.scenarios) {
          const failed = s.budgets.filter((b) => !b.passed).map((b) => `${b.key} ${b.measured === null ? '—' : b.measured.toFixed(2)} > ${b.limit} ${b.unit}`);
          const exp = s.expectations.filter((e) => !e.passed).map((e) => e.name);
          process.stdout.write(`${s.status.toUpperCase().padEnd(11)} ${s.name}  p99 ${s.latency.p99Ms?.toFixed(2) ?? '—'} ms, dropouts ${dropoutSummary(s)}${failed.length || exp.length ? `  (${[...failed, ...exp].join('; ')})` : ''}${s.error ? `  error: ${s.error.split('\n')[0]}` : ''}\n`);
        }
        const badCal = report.calibration.channels.filter((c) => c.status !== 'ok');
        if (badCal.length) process.stdout.write(`calibration: ${badCal.map((c) => `output ${c.output} ${c.status}`).join(', ')}\n`);
        process.stdout.write(`run ${report.status.toUpperCase()}: ${written.htmlPath} (index: ${opts.reports}/index.html)\n`);
      }
      process.exitCode = report.status === 'passed' ? 0 : report.status === 'interrupted' ? 130 : 1;
    });
}

/** "0", "2 findings", or "0 (+3 periods flagged by the backend)": content findings first, flags as the witness. */
function dropoutSummary(s: ScenarioResult): string {
  const flagged = s.dropouts.filter(isBackendFlag).length;
  const content = s.dropouts.length - flagged;
  return `${content}${flagged ? ` (+${flagged} period${flagged > 1 ? 's' : ''} flagged by the backend)` : ''}`;
}
