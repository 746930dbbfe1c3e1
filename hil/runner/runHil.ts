import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { REPO_ROOT, SCENARIOS_DIR, workspace } from '../../src/presets/workspace.ts';
import type { AudioRig } from '../../src/host/audioRig.ts';
import { loadRig, type LoadRigOverrides } from '../rigs/loadRig.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { JackRig } from '../rigs/jackRig.ts';
import { writeScenarioAudio } from '../report/scenarioAudio.ts';
import { FloatWavReader } from '../../src/io/floatWavStream.ts';
import { type DropoutFinding, RUN_REPORT_FORMAT_VERSION, type RunReport, type ScenarioResult, emptyScenarioResult, overallStatus } from '../report/runReport.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { type LoadedScenario, ScenarioError, loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { analyzeScenarioChunked } from './analyzeScenarioChunked.ts';
import { type DropoutWindow, drawDropoutPictures, wholeDropoutWindows } from './dropoutWindows.ts';
import { calibrate } from './calibrate.ts';
import { ENVIRONMENT_RERUNS, spoiledByEnvironment } from './environmentRerun.ts';
import { runPeriodSweep } from './periodSweep.ts';
import { runScenario, scenarioEngine } from './runScenario.ts';

/** The bundled scenarios (the default of workspace.scenariosDir). */
export { SCENARIOS_DIR };

export interface HilOptions {
  rig?: string;
  rigOverrides?: LoadRigOverrides;
  /** The scenarios to play, in order (resolveScenarios picks them by name, tag and nightly). */
  scenarios: readonly LoadedScenario[];
  seed?: number;
  /** Writes the report files (the HTML writer); called after calibration, after every scenario and at the end. */
  writeReport: (report: RunReport) => Promise<unknown>;
  onScenario?: (name: string, index: number, count: number) => void;
  onProgress?: (fraction: number) => void;
  shouldStop?: () => boolean;
  /**
   * The latency budget table: the latency probe at these period sizes (frames) on the virtual rig
   * modelled after the run's rig (virtual, simulated rigs only). Default: none.
   */
  periodSweep?: readonly number[];
  onPeriodSweep?: (periodFrames: number) => void;
  /**
   * `--keep-audio`: the folder of a run (given its id) to write each scenario's capture and aligned
   * render into, as WAVs with a cue marker at each finding.
   */
  keepAudioIn?: (runId: string) => string;
  /** Scenarios left out on purpose (nightly-only), listed in the report and JUnit as skipped with the reason. */
  leftOut?: readonly { name: string; description: string; reason: string }[];
}

/**
 * Every scenario file in the scenarios folder (workspace.scenariosDir: scenarios/ unless the user says
 * otherwise; sorted) but the nightly-only ones unless `nightly`, only those tagged `tag` when given — or
 * exactly the ones named (names in that folder or paths).
 */
export function resolveScenarios(names: readonly string[] | undefined, nightly: boolean, tag?: string, dir = workspace.scenariosDir): LoadedScenario[] {
  const files = scenarioFiles(dir);
  if (names && names.length) {
    return names.map((n) => {
      const f = files.find((x) => basename(x, extname(x)) === n);
      if (f) return loadScenario(join(dir, f));
      // A bare name that is not in the scenarios folder is a typo, not a path: say which names exist.
      if (!n.includes('/') && !extname(n)) {
        throw new ScenarioError(`scenario "${n}"`, [`no such scenario; known: ${files.map((x) => basename(x, extname(x))).join(', ')} (or a path to a .json or .mid file)`]);
      }
      return loadScenario(n);
    });
  }
  return listScenarios(dir)
    .filter((s) => nightly || !s.scenario.tags.includes('nightly-only'))
    .filter((s) => !tag || s.scenario.tags.includes(tag as never));
}

/** Outputs of a scenario's engine (0 when it cannot be built: that scenario then fails with the reason). */
function outputsOf(s: LoadedScenario): number {
  try {
    const { entry, config } = scenarioEngine(s);
    return entry.create(config).numOutputs;
  } catch {
    return 0;
  }
}

/** Every scenario in the scenarios folder, sorted by file name. */
export function listScenarios(dir = workspace.scenariosDir): LoadedScenario[] {
  return scenarioFiles(dir).map((f) => loadScenario(join(dir, f)));
}

const scenarioFiles = (dir: string) => readdirSync(dir).filter((f) => ['.json', '.mid'].includes(extname(f))).sort();

/** The nightly-only scenarios a run without --nightly leaves out (none when scenarios are named). */
export function nightlyOnlyLeftOut(names: readonly string[] | undefined, nightly: boolean, tag?: string, dir = workspace.scenariosDir): { name: string; description: string; reason: string }[] {
  if (nightly || (names && names.length)) return [];
  return listScenarios(dir)
    .filter((s) => s.scenario.tags.includes('nightly-only') && (!tag || s.scenario.tags.includes(tag as never)))
    .map((s) => ({ name: s.name, description: s.scenario.description, reason: 'nightly-only: runs with --nightly' }));
}

/**
 * A capture longer than this (all inputs, float32) is spilled to a float WAV during the run and analysed
 * back in chunks (analyzeScenarioChunked): 512 MiB is 87 s of 32 channels at 48 kHz, so the soak always is.
 */
export const CAPTURE_IN_MEMORY_MAX_BYTES = 512 * 2 ** 20;

/** Runs and analyses one scenario: in memory, or through a spilled capture analysed in chunks. */
async function runAndAnalyze(rig: AudioRig, s: LoadedScenario, calibrated: readonly ChannelPath[], options: HilOptions, keepAudio?: { folder: string; index: number }): Promise<ScenarioResult> {
  const frames = s.durationFrames + Math.round(0.5 * rig.sampleRate);
  // An effect scenario is analysed whole (its render starts before the capture: effectAnalysis.ts).
  const captureFile = s.scenario.kind !== 'effect' && frames * rig.inputChannels * 4 > CAPTURE_IN_MEMORY_MAX_BYTES ? join(tmpdir(), `rig-hil-capture-${process.pid}-${s.name}.wav`) : undefined;
  try {
    const run = await runScenario(rig, s, { shouldStop: options.shouldStop, onProgress: options.onProgress, captureFile });
    // Calibration's device part plus the buffering of the mode the scenario ran in — read after the run: a
    // native JACK rig calibrates on this thread with ~50 ms of fill and plays scenarios from its worker
    // host with 2 periods (read before the run, the first scenario's paths were 2304 frames too long).
    const paths = calibrated.map((p) => ({ ...p, totalDelayFrames: p.deviceDelayFrames + rig.streamBufferingFrames }));
    const cpu0 = process.cpuUsage();
    const analysisStarted = performance.now();
    let result: ScenarioResult;
    let windows: Map<DropoutFinding, DropoutWindow>;
    if (run.captureFile) {
      const reader = new FloatWavReader(run.captureFile);
      try {
        ({ result, windows } = analyzeScenarioChunked(run, reader, paths, rig.periodFrames, rig.streamBufferingFrames, rig.pilot));
      } finally {
        reader.close();
      }
    } else {
      const analysed = analyzeScenario(run, paths, rig.periodFrames, rig.streamBufferingFrames, rig.pilot);
      result = analysed.result;
      windows = wholeDropoutWindows(result.dropouts, run.capture, analysed.render, paths, rig.sampleRate);
      // --keep-audio: the capture and the aligned render as WAVs with cues (in-memory runs; a spilled soak's capture is its own WAV).
      if (keepAudio) result.audio = writeScenarioAudio(keepAudio.folder, keepAudio.index, s.name, { sampleRate: rig.sampleRate, capture: run.capture, render: analysed.render, paths, dropouts: result.dropouts });
    }
    await drawDropoutPictures(result.dropouts, windows, rig.sampleRate);
    // The harness's own work per second of audio: the copy in the audio callback and the analysis
    // (the engine and the server are the device under test, not the harness).
    result.analysisSeconds = (performance.now() - analysisStarted) / 1000;
    result.harnessCpuPercentOfOneCore = (100 * (run.captureCopyMs + cpuMs(process.cpuUsage(cpu0)))) / ((run.frames / rig.sampleRate) * 1000);
    return result;
  } finally {
    if (captureFile) rmSync(captureFile, { force: true });
  }
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/**
 * On the JACK loopback the device's part of the calibrated round trip must agree with jack_iodelay
 * (jackd2's own multi-tone estimator) run on the same server, within 1 sample.
 */
async function compareWithJackIodelay(rig: AudioRig, deviceSamples: number | null): Promise<{ iodelay: number | null; agrees: boolean; detail: string }> {
  const { runJackIodelay } = await import('../jack/jackIodelay.ts');
  await rig.start(() => {});
  try {
    const r = await runJackIodelay(1, 2);
    const agrees = deviceSamples !== null && Math.abs(deviceSamples - r.roundTripFrames) <= 1;
    return { iodelay: r.roundTripFrames, agrees, detail: agrees ? '' : `calibrated device round trip ${deviceSamples?.toFixed(3) ?? '—'} samples disagrees with jack_iodelay ${r.roundTripFrames.toFixed(3)} by more than 1 sample` };
  } catch (err) {
    return { iodelay: null, agrees: false, detail: `jack_iodelay could not be run: ${(err as Error).message}` };
  } finally {
    await rig.stop();
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/**
 * The main job: calibrates the rig, plays every scenario against the rig server, measures, and
 * writes the report after each step — so a run that is interrupted or crashes still leaves a report
 * of everything measured so far, with its status saying so.
 */
export async function runHil(options: HilOptions): Promise<RunReport> {
  const { scenarios } = options;
  const rig: AudioRig = loadRig(options.rig ?? 'virtual', options.rigOverrides);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const startedAt = new Date();
  const report: RunReport = {
    formatVersion: RUN_REPORT_FORMAT_VERSION,
    runId: `${startedAt.toISOString().replace(/[:.]/g, '-')}-${rig.name}`,
    startedAt: startedAt.toISOString(), finishedAt: null, status: 'running',
    seed: options.seed ?? 1,
    rig: { name: rig.name, backend: rig.kind, sampleRate: rig.sampleRate, periodFrames: rig.periodFrames, inputChannels: rig.inputChannels, outputChannels: rig.outputChannels },
    software: { studioRigVersion: pkg.version, node: process.version, gitCommit: gitCommit(), platform: `${process.platform} ${process.arch}` },
    harness: { pid: process.pid, host: hostname() },
    calibration: { channels: [], jackIodelaySamples: null, deviceRoundTripMedianSamples: null },
    scenarios: [],
  };
  const save = async () => { await options.writeReport(report); };
  let calibrationProblem = '';
  await save();
  try {
    // Every output an engine of the run drives (32 transducers for the haptic engine).
    const transducers = Math.max(1, ...scenarios.map(outputsOf));
    // The pilot pair, when the rig names one, carries the pilot tone instead of a transducer.
    const outputs = Array.from({ length: Math.min(transducers, rig.outputChannels) }, (_, k) => k).filter((k) => k !== rig.pilot?.output);
    const cal = await calibrate(rig, outputs);
    report.calibration = { channels: cal.channels, jackIodelaySamples: null, deviceRoundTripMedianSamples: cal.deviceRoundTripMedianSamples, attempts: cal.attempts, retryReasons: cal.retryReasons };
    if (rig.kind === 'jack') {
      const check = await compareWithJackIodelay(rig, cal.deviceRoundTripMedianSamples);
      report.calibration.jackIodelaySamples = check.iodelay;
      if (!check.agrees) calibrationProblem = check.detail;
    }
    if (rig instanceof JackRig || rig instanceof JackNativeRig) report.rig.server = rig.serverDescription;
    await save();
    for (let i = 0; i < scenarios.length; i++) {
      const s = scenarios[i];
      if (options.shouldStop?.()) break;
      options.onScenario?.(s.name, i, scenarios.length);
      try {
        const keepAudio = options.keepAudioIn ? { folder: options.keepAudioIn(report.runId), index: i } : undefined;
        let result = await runAndAnalyze(rig, s, cal.paths, options, keepAudio);
        // Played again (at most ENVIRONMENT_RERUNS times) only when the environment left nothing to judge; every attempt's reason is kept.
        const reruns: string[] = [];
        for (let why = spoiledByEnvironment(result); why !== null && reruns.length < ENVIRONMENT_RERUNS && !options.shouldStop?.(); why = spoiledByEnvironment(result)) {
          reruns.push(why);
          result = await runAndAnalyze(rig, s, cal.paths, options, keepAudio);
        }
        if (reruns.length > 0) result.environmentReruns = reruns;
        report.scenarios.push(result);
      } catch (err) {
        const failed = emptyScenarioResult(s.name, s.scenario.description);
        failed.status = 'failed';
        failed.error = (err as Error).stack ?? String(err);
        report.scenarios.push(failed);
      }
      await save();
    }
    if (options.periodSweep?.length && rig.kind === 'virtual' && rig.clock === 'simulated' && !options.shouldStop?.()) {
      const probe = scenarios.find((s) => s.name === 'latency-probe') ?? resolveScenarios(['latency-probe'], false)[0];
      report.periodSweep = await runPeriodSweep(probe, { sampleRate: rig.sampleRate, inputChannels: rig.inputChannels, outputChannels: rig.outputChannels }, options.periodSweep, options.onPeriodSweep);
      await save();
    }
    for (const s of scenarios.slice(report.scenarios.length)) {
      const skipped = emptyScenarioResult(s.name, s.scenario.description);
      skipped.status = 'skipped';
      skipped.error = 'not run: the run was stopped before this scenario';
      report.scenarios.push(skipped);
    }
    for (const l of options.leftOut ?? []) {
      const skipped = emptyScenarioResult(l.name, l.description);
      skipped.status = 'skipped';
      skipped.skipReason = l.reason;
      report.scenarios.push(skipped);
    }
    report.status = options.shouldStop?.() ? 'interrupted' : overallStatus({ ...report, status: 'passed' });
    if (report.status === 'interrupted') report.statusDetail = 'stopped by a signal before every scenario ran';
    if (calibrationProblem && report.status === 'passed') report.status = 'failed';
    if (calibrationProblem) report.statusDetail = [report.statusDetail, calibrationProblem].filter(Boolean).join('; ');
  } catch (err) {
    report.status = 'crashed';
    report.statusDetail = (err as Error).stack ?? String(err);
    throw err;
  } finally {
    report.finishedAt = new Date().toISOString();
    await save();
    await rig.stop();
  }
  return report;
}
