import type { Command } from 'commander';
import { RunProgress } from '../../../hil/report/progress.ts';
import { channelLabel, wiringLabel } from '../../../hil/report/channelLabel.ts';
import { type RunReport, type ScenarioResult, isBackendFlag } from '../../../hil/report/runReport.ts';
import { runFolder } from '../../../hil/report/runFiles.ts';
import { writeRunReport } from '../../../hil/report/writeRunReport.ts';
import { SWEEP_PERIOD_FRAMES } from '../../../hil/runner/periodSweep.ts';
import { listScenarios, nightlyOnlyLeftOut, resolveScenarios, runHil } from '../../../hil/runner/runHil.ts';
import { knownRigNames, rigFilePath } from '../../../hil/rigs/loadRig.ts';
import { readRigFile } from '../../../hil/rigs/rigFile.ts';
import { wiringSummary } from '../../../hil/rigs/rigWiring.ts';
import { preflightRig } from '../../../hil/rigs/preflightRig.ts';
import { SCENARIO_TAGS } from '../../../hil/scenario/scenarioSchema.ts';
import type { WorkspaceOptions } from '../../presets/studioRigConfig.ts';
import { withDurationMinutes } from '../../../hil/scenario/loadScenario.ts';
import { CliError } from '../cliError.ts';
import { integerOption } from '../numberOptions.ts';
import { addWorkspaceOptions, useWorkspace } from '../workspaceOptions.ts';

interface HilCliOptions extends WorkspaceOptions {
  rig: string;
  scenario?: string[];
  nightly?: boolean;
  tag?: string;
  reports: string;
  realtime?: boolean;
  json?: boolean;
  periodSweep?: string[] | false;
  keep?: number;
  junit?: string;
  keepAudio?: boolean;
  list?: boolean;
  soakMinutes?: string;
}

export function register(program: Command): void {
  addWorkspaceOptions(program
    .command('hil')
    .description('the main job: calibrate the rig, replay the scenarios against the rig server, measure latency, dropouts and content, and write reports/index.html')
    .option('--rig <name|file>', "rig: 'virtual' (built in, default), 'jack' (a JACK dummy loopback the harness starts), or a rig file in hil/rigs/", 'virtual')
    .option('--scenario <name...>', 'scenario names (scenarios/<name>.json or .mid) or paths; default: all but the nightly-only ones')
    .option('--nightly', 'include the nightly-only scenarios (the 10-minute soak)')
    .option('--tag <tag>', "only scenarios with this tag (e.g. 'smoke')")
    .option('--reports <dir>', 'where reports are written', 'reports')
    .option('--soak-minutes <n>', 'run the soak scenario for n minutes instead of 10 (the nightly run; the capture is analysed in chunks, memory stays flat)')
    .option('--realtime', 'virtual rig only: pace it in real time instead of simulated time')
    .option('--keep <n>', 'keep only the newest N run folders in <reports>/runs (older ones are deleted), 1 to 100000', integerOption(1, 100_000, 'runs to keep'))
    .option('--keep-audio', 'write each scenario\'s capture and its aligned render as float WAVs with a cue marker at each finding (runs/<run>/audio/)')
    .option('--junit <file>', 'also write the JUnit XML here (it is always at <reports>/latest/junit.xml)')
    .option('--list', 'list the scenarios (with their tags and budgets) and the rigs, and run nothing')
    .option('--json', 'print the run report (every figure) as JSON on stdout; with --list, the list')
    .option('--period-sweep <frames...>', 'virtual rig: the latency budget table, the latency probe at these period sizes (default on a full virtual run: 32 64 128 256)')
    .option('--no-period-sweep', 'skip the latency budget table over period sizes'), { scenarios: true })
    .action(async (opts: HilCliOptions) => {
      await useWorkspace(opts);
      if (opts.list) {
        printHilList(Boolean(opts.json));
        return;
      }
      if ((await preflightRig(opts.rig)) !== 'virtual') {
        // PortAudio rigs need Debian's libportaudio2 (JACK host API) loaded before naudiodon's own copy.
        const { reexecWithDebianPortaudio } = await import('../../../hil/jack/portaudioLibrary.ts');
        await reexecWithDebianPortaudio();
      }
      let scenarios = resolveScenarios(opts.scenario, opts.nightly ?? false, opts.tag);
      if (opts.soakMinutes !== undefined) {
        const minutes = Number(opts.soakMinutes);
        if (!(minutes > 0) || !Number.isFinite(minutes)) throw new CliError(`--soak-minutes: expected a positive number of minutes, got "${opts.soakMinutes}"`);
        if (!scenarios.some((s) => s.name === 'soak')) throw new CliError('--soak-minutes: the soak scenario is not selected (add --nightly or --scenario soak)');
        scenarios = scenarios.map((s) => (s.name === 'soak' ? withDurationMinutes(s, minutes) : s));
      }
      if (scenarios.length === 0) throw new CliError(`no scenario to run${opts.tag ? ` with tag "${opts.tag}"; tags: ${SCENARIO_TAGS.join(', ')}` : ''}`);
      const sweep = periodSweepSizes(opts);
      const progress = new RunProgress({
        scenarios: [
          ...scenarios.map((s) => ({ name: s.name, expectedSeconds: (s.durationFrames / s.scenario.sampleRate) * (opts.rig === 'virtual' && !opts.realtime ? 0.3 : 1) + 1 })),
          ...(sweep ?? []).map((frames) => ({ name: `period sweep ${frames} frames`, expectedSeconds: 3 })),
        ],
      });
      let stop = false;
      const onSignal = (sig: string) => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write(`\nrig hil: ${sig} — finishing the current step and writing the report (again to quit at once)\n`);
      };
      const onSigint = () => onSignal('SIGINT');
      const onSigterm = () => onSignal('SIGTERM');
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      try {
        const ticker = setInterval(() => progress.tick(), 500);
        let current = '';
        let report: RunReport;
        let written = { htmlPath: '' };
        try {
          report = await runHil({
            periodSweep: sweep,
            onPeriodSweep: (frames) => {
              if (current) progress.finishScenario('done');
              current = `period sweep ${frames} frames`;
              progress.startScenario(current);
            },
            rig: opts.rig,
            rigOverrides: opts.realtime ? { clock: 'realtime' } : undefined,
            scenarios,
            writeReport: async (r) => { written = await writeRunReport(r, opts.reports, { keep: opts.keep, junitPath: opts.junit }); },
            onScenario: (name) => {
              if (current) progress.finishScenario('done');
              current = name;
              progress.startScenario(name);
            },
            shouldStop: () => stop,
            leftOut: nightlyOnlyLeftOut(opts.scenario, opts.nightly ?? false, opts.tag),
            keepAudioIn: opts.keepAudio ? (runId) => runFolder(opts.reports, runId) : undefined,
          });
          if (current) progress.finishScenario('done');
        } finally {
          clearInterval(ticker);
          progress.stop();
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(`${runText(report)}run ${report.status.toUpperCase()}: ${written.htmlPath} (index: ${opts.reports}/index.html)\n`);
        process.exitCode = report.status === 'passed' ? 0 : report.status === 'interrupted' ? 130 : 1;
      } finally {
        // Handled only while this run goes on: a caller in the same process (the CLI's tests) is left as it was.
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      }
    });
}

/** Period sizes of the latency budget table: as asked, or by default on a full run of the virtual rig. */
function periodSweepSizes(opts: HilCliOptions): number[] | undefined {
  if (opts.periodSweep === false || opts.rig !== 'virtual' || opts.realtime) return undefined;
  if (Array.isArray(opts.periodSweep)) {
    return opts.periodSweep.map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 16 || n > 8192) throw new CliError(`--period-sweep: ${JSON.stringify(v)} is not a period size in frames (a whole number from 16 to 8192)`);
      return n;
    });
  }
  return opts.scenario || opts.tag ? undefined : [...SWEEP_PERIOD_FRAMES];
}

/** `rig hil --list`: every scenario in scenarios/ with its tags, length and p99 budget, every rig name, and each rig file's wiring. */
function printHilList(json: boolean): void {
  const scenarios = listScenarios().map((s) => ({
    name: s.name, tags: s.scenario.tags, events: s.events.length, seconds: Number((s.durationFrames / s.scenario.sampleRate).toFixed(2)),
    kind: s.scenario.kind, p99BudgetMs: s.scenario.kind === 'effect' ? null : s.scenario.budgets.latency.p99Ms ?? null,
    effectLatencyBudgetMs: s.scenario.kind === 'effect' ? s.scenario.budgets.effectLatencyMs ?? null : null, description: s.scenario.description,
  }));
  const rigs = knownRigNames();
  const rigFiles = describeRigFiles(rigs);
  if (json) {
    process.stdout.write(`${JSON.stringify({ scenarios, rigs, rigFiles }, null, 2)}\n`);
    return;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  process.stdout.write('scenarios (rig hil --scenario <name>; --tag <tag>; nightly-only ones need --nightly):\n');
  for (const s of scenarios) {
    process.stdout.write(`  ${s.name.padEnd(width)}  ${(s.tags.join(', ') || '—').padEnd(22)}  ${`${s.seconds} s`.padStart(8)}  ${s.effectLatencyBudgetMs !== null ? `effect latency ≤ ${s.effectLatencyBudgetMs} ms` : s.p99BudgetMs === null ? 'no latency budget' : `p99 ≤ ${s.p99BudgetMs} ms`}\n`);
  }
  process.stdout.write(`rigs (rig hil --rig <name>, or a path to a rig file): ${rigs.join(', ')}\n`);
  const rigWidth = Math.max(...rigFiles.map((r) => r.name.length));
  for (const r of rigFiles) {
    process.stdout.write(`  ${r.name.padEnd(rigWidth)}  ${'problem' in r ? r.problem : `${r.backend}, ${r.sampleRate} Hz, ${r.periodFrames}-frame periods, ${r.inputChannels} in / ${r.outputChannels} out: ${r.wiring}`}\n`);
  }
}

/**
 * The rig files among the known rigs ('jack' is jack-loopback), with their wiring in words (channels
 * from 1) and, in JSON, as the file has it (0-based `inputIndexPerOutput`, `pilot`); a file that does
 * not read is listed with its problem, not left out.
 */
function describeRigFiles(names: readonly string[]) {
  return names.filter((n) => n !== 'virtual' && n !== 'jack').map((name) => {
    try {
      const f = readRigFile(rigFilePath(name));
      return {
        name, backend: f.backend, sampleRate: f.sampleRate, periodFrames: f.periodFrames, inputChannels: f.inputChannels, outputChannels: f.outputChannels,
        inputIndexPerOutput: f.inputIndexPerOutput ?? null, pilot: f.pilot ?? null, wiring: wiringSummary(f),
      };
    } catch (err) {
      return { name, problem: (err as Error).message };
    }
  });
}

/**
 * The run as `rig hil` prints it: a line per scenario (its headline figure, dropouts with their channels,
 * what failed and why), the period sweep, and the calibration channels that are not ok. Channels from 1.
 */
export function runText(report: RunReport): string {
  let text = '';
  for (const s of report.scenarios) {
    const failed = s.budgets.filter((b) => !b.passed).map((b) => `${b.key} ${b.measured === null ? '—' : b.measured.toFixed(2)} > ${b.limit} ${b.unit}`);
    const exp = s.expectations.filter((e) => !e.passed).map((e) => e.name);
    text += `${s.status.toUpperCase().padEnd(11)} ${s.name}  ${headline(s)}, dropouts ${dropoutSummary(s)}${failed.length || exp.length ? `  (${[...failed, ...exp].join('; ')})` : ''}${s.error ? `  error: ${s.error.split('\n')[0]}` : ''}${s.skipReason ? `  (${s.skipReason})` : ''}\n`;
    // Why a budget failed and what to change, once per distinct reason (the budgets table has them all).
    for (const why of new Set(s.budgets.filter((b) => !b.passed && b.detail).map((b) => b.detail))) text += `            why: ${why}\n`;
    for (const [k, why] of (s.environmentReruns ?? []).entries()) text += `            played again after attempt ${k + 1}: ${why}\n`;
  }
  for (const r of report.periodSweep?.rows ?? []) {
    text += `${(r.meetsBudget ? 'within' : 'over').padEnd(11)} period ${r.periodFrames} frames (${r.periodMs.toFixed(2)} ms)  p50 ${r.p50Ms?.toFixed(2) ?? '—'} / p99 ${r.p99Ms?.toFixed(2) ?? '—'} ms against ${report.periodSweep?.budgetMs} ms\n`;
  }
  const badCal = report.calibration.channels.filter((c) => c.status !== 'ok');
  if (badCal.length) text += `calibration: ${badCal.map((c) => `${wiringLabel(c.outputIndex, c.inputIndex)} ${c.status}${c.detail ? ` (${c.detail})` : ''}`).join(', ')}\n`;
  return text;
}

/** A scenario's first figure: the p99 note latency, or an effect's input → output latency, worst parameter step and residual. */
function headline(s: ScenarioResult): string {
  const e = s.effect;
  if (!e) return `p99 ${s.latency.p99Ms?.toFixed(2) ?? '—'} ms${s.latency.p99Ms === null ? ` (${whyNoLatency(s.latency)})` : ''}`;
  return `latency ${e.worstLatencyMs?.toFixed(2) ?? '—'} ms, worst step ${e.worstClickStepDb?.toFixed(2) ?? '—'} dB over ${e.changes.length} changes, residual ${s.content.worstResidualDb?.toFixed(1) ?? '—'} dB`;
}

/**
 * Why a scenario line has no p99: every onset left out at the environment's moments (a driver xrun, frame jump or
 * machine stall in its capture search), its events at a stalled stream clock, or no note event at all — so a dash
 * is never read as a figure lost without a word.
 */
function whyNoLatency(l: ScenarioResult['latency']): string {
  const why: string[] = [];
  if ((l.atEnvironmentOnsetCount ?? 0) > 0) why.push(`${l.atEnvironmentOnsetCount} onset(s) at environment events left out`);
  if (l.clockStallEventCount > 0) why.push(`${l.clockStallEventCount} event(s) at a stalled clock left out`);
  if (why.length === 0) why.push(l.eventCount === 0 ? 'no note event' : 'no onset measured');
  return why.join(', ');
}

/** Channels a scenario line names for its dropouts; the report has them all. */
const MAX_LISTED_CHANNELS = 8;

/** "0", "2 on ch 6, 20", or "0 (+3 periods flagged by the backend)": content findings first (their channels, from 1), flags as the witness. */
function dropoutSummary(s: ScenarioResult): string {
  const flagged = s.dropouts.filter(isBackendFlag).length;
  const content = s.dropouts.length - flagged;
  const channels = [...new Set(s.dropouts.filter((d) => !isBackendFlag(d) && d.channelIndex >= 0).map((d) => d.channelIndex))].sort((a, b) => a - b);
  const where = channels.length ? ` on ch ${channels.slice(0, MAX_LISTED_CHANNELS).map((c) => channelLabel(c)).join(', ')}${channels.length > MAX_LISTED_CHANNELS ? ` and ${channels.length - MAX_LISTED_CHANNELS} more` : ''}` : '';
  const a = s.dropoutAttribution;
  // With an xrun record: whose they are (the server's count, the environment's are listed).
  const split = a && a.xrunRecord !== 'none'
    ? ` [server's: ${a.serverEventCount} event(s), ${a.outputRingUnderrunCount} output-ring underrun(s); environment's: ${a.environmentEventCount} at ${a.driverXrunCount} jackd driver xrun(s)]`
    : '';
  return `${content}${where}${flagged ? ` (+${flagged} period${flagged > 1 ? 's' : ''} flagged by the backend)` : ''}${split}`;
}
