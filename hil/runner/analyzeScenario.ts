import { detectPilotDropouts } from '../../src/analysis/dropouts/pilotToneDetector.ts';
import { residualDropoutsAndLatency } from '../../src/analysis/dropouts/residualDetector.ts';
import type { TimedEvent } from '../../src/engine/events.ts';
import { render } from '../../src/engine/render.ts';
import type { DropoutFinding, EffectFigures, ExpectationCheck, ScenarioResult } from '../report/runReport.ts';
import { automationApplied, effectLatency, parameterChangeSteps, renderEffectApplied } from './effectAnalysis.ts';
import { captureFromFrameZero } from './captureWindow.ts';
import type { DropoutEvent } from '../../src/analysis/dropouts/dropoutEvent.ts';
import { SignalHistory } from '../../src/analysis/dropouts/signalHistory.ts';
import { ContentResidual } from '../../src/analysis/contentResidual.ts';
import { checkExpectations } from './expectations.ts';
import { type ChannelPath, type EventLatency, captureGates, measureEventLatencies } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';
import { finding, summarizeScenario } from './scenarioSummary.ts';
import { type FrameSpan, runEnvironmentSpans } from './dropoutAttribution.ts';


const db = (ratio: number): number | null => (ratio > 0 && Number.isFinite(ratio) ? 10 * Math.log10(ratio) : null);

/**
 * The offline render of what the server applied: the same engine, the same events at the same frames
 * (with another configuration, to ask what the rig would have played under it).
 */
export function renderApplied(run: ScenarioRun, periodFrames: number, config: unknown = run.config): Float32Array[] {
  return render(run.entry.create(config), { sampleRate: run.loaded.scenario.sampleRate, blockFrames: periodFrames, frames: run.frames, events: appliedEvents(run) });
}

/** The events the server applied, at the frames it applied them (what renderApplied renders; a RenderStream renders it in chunks). */
export function appliedEvents(run: ScenarioRun): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (const s of run.sent) {
    if (s.appliedFrame === null) continue;
    // Each row where it took effect when the log says (rowFrames), else where the command did.
    const applied = s.appliedFrame;
    s.planned.rows.forEach((row, k) => events.push({ ...row, atFrame: s.rowFrames?.[k] ?? applied }));
  }
  return events;
}

/**
 * Residual of a captured channel against the render of its output, delayed by the calibrated path and
 * scaled by its calibrated gain (ContentResidual, fed both whole), dB; null when the render is silent.
 */
export function channelResidualDb(capture: Float32Array, rendered: Float32Array, path: ChannelPath, excluded: readonly FrameSpan[] = []): ChannelResidual {
  const residual = new ContentResidual(path.totalDelayFrames, path.gain, { render: SignalHistory.wrap(rendered), capture: SignalHistory.wrap(capture) }, excluded);
  return { db: residual.finish(), withExcludedDb: residual.residualWithExcludedDb, excludedFrames: residual.excludedFrames };
}

/** A channel's residual outside the environment's moments, the same over every frame, and how many frames were left out. */
export interface ChannelResidual {
  db: number | null;
  withExcludedDb: number | null;
  excludedFrames: number;
}

/** What the analysis measured in the signals; summarizeScenario turns it into the scenario's result. */
export interface ScenarioMeasures {
  /** Every applied note-on, in the order sent, with its onsets. */
  events: EventLatency[];
  /** Content residual per engine output (null: silent render or not wired), outside the environment's moments. */
  residualDb: Array<number | null>;
  /** The same over every frame, and the capture frames left out (dropoutAttribution.ts: environmentSpans). */
  residualWithExcludedDb?: Array<number | null>;
  excludedFrames?: number;
  /** Content findings in report order: the residual detector's per path (in path order), then the pilot's. */
  findings: DropoutFinding[];
  /**
   * Per engine output, how far the residual detector moved its alignment without reporting it (samples; null: not
   * examined): a clock drifting between playback and capture, or a path that resamples, reads here.
   */
  latencyFollowedSamples?: Array<number | null>;
  /** RMS of the capture per engine output, dBFS (null: not wired). */
  rmsDbfs: Array<number | null>;
  expectations: ExpectationCheck[];
  /** Samples beyond ±1 in the render (the clipped-samples budget of an engine that does not count its own). */
  renderClippedSamples?: number;
  /** Effect scenarios: the effect's latency and every parameter change's step. */
  effect?: EffectFigures;
}

/** The residual detector's findings on one path, as report findings. */
export function residualFindings(path: ChannelPath, events: readonly DropoutEvent[], sampleRate: number): DropoutFinding[] {
  return events.map((d) => finding(path.output, d.startFrame, d.lengthFrames, d.kind, 'residual', sampleRate));
}

/** The pilot detector's findings, as report findings on the pilot's output. */
export function pilotFindings(pilotOutput: number, events: readonly DropoutEvent[], sampleRate: number): DropoutFinding[] {
  return events.map((d) => finding(pilotOutput, d.startFrame, d.lengthFrames, d.kind, 'pilot', sampleRate));
}

/** Mean square → dBFS (null for silence or no frames). */
export const rmsDbfs = (sumSquares: number, frames: number): number | null => db(sumSquares / frames);


/** What the analysis of one run works on, and what its steps have measured so far (each step fills its part). */
export interface AnalysisContext {
  run: ScenarioRun;
  paths: readonly ChannelPath[];
  periodFrames: number;
  pilot?: { output: number; input: number };
  fs: number;
  /** The render of what the server applied (the 'render' step). */
  render: Float32Array[];
  /** Effect scenarios: the programme the engine was fed, from scenario frame 0. */
  input: Float32Array[];
  /** Onset gate per captured input. */
  gates: ReadonlyMap<number, number>;
  measures: ScenarioMeasures;
  /** The environment's moments on the scenario's frames: left out of the content residual. */
  excluded: readonly FrameSpan[];
}

/**
 * One named stage of the analysis (as pluginval registers a test with its name): the runner loops over
 * the list in order; a step reads what earlier ones left in the context and adds its own figures.
 */
export interface AnalysisStep {
  name: string;
  run(c: AnalysisContext): void;
}

/** The analysis of a scenario run on whole signals, step by step. */
/**
 * The render in the context, the paths cut to the outputs it has (a rig calibrated for 32 transducers
 * runs a stereo effect on the first two), the capture from the scenario's frame 0 (captureWindow.ts).
 */
const rendered = (c: AnalysisContext, render: Float32Array[]) => {
  c.render = render;
  c.paths = c.paths.filter((p) => p.output < render.length);
  c.run = { ...c.run, capture: captureFromFrameZero(c.run.capture, c.paths) };
  c.gates = captureGates(c.run.capture, c.paths, c.fs);
  c.measures.residualDb = Array.from({ length: render.length }, () => null);
  c.measures.rmsDbfs = Array.from({ length: render.length }, () => null);
};

const STEPS = {
  // The offline render of what the server applied, and the onset gate of every captured input.
  render: { name: 'render', run: (c) => rendered(c, renderApplied(c.run, c.periodFrames)) },
  // An effect's: the programme through the engine from the sample the server began with (effectAnalysis.ts).
  effectRender: {
    name: 'render',
    run: (c) => {
      const r = renderEffectApplied(c.run, c.periodFrames);
      rendered(c, r.render);
      c.input = r.input;
    },
  },
  // Latency of every note-on on every transducer (latencyMeasurement.ts), with its breakdown.
  latency: { name: 'latency', run: (c) => { c.measures.events = measureEventLatencies(c.run.sent, c.render, c.run.capture, c.paths, c.fs, c.gates, c.excluded); } },
  // The effect's input → output latency, per channel (effectAnalysis.ts).
  effectLatency: { name: 'latency', run: (c) => { c.measures.effect = { ...c.measures.effect!, ...effectLatency(c.run, c.input, c.render, c.paths) }; } },
  // The click-free bound on every parameter change (effectAnalysis.ts).
  parameterChanges: { name: 'parameter changes', run: (c) => { c.measures.effect = { ...c.measures.effect!, ...parameterChangeSteps(c.run, c.render, c.paths, c.periodFrames, c.excluded) }; } },
  content: {
    // Each channel's capture against the render delayed by the calibrated path and scaled by its gain, dB below the render.
    name: 'content',
    run: (c) => {
      c.measures.residualWithExcludedDb = c.measures.residualDb.map(() => null);
      c.measures.excludedFrames = 0;
      for (const p of c.paths) {
        const r = channelResidualDb(c.run.capture[p.input], c.render[p.output], p, c.excluded);
        c.measures.residualDb[p.output] = r.db;
        c.measures.residualWithExcludedDb[p.output] = r.withExcludedDb;
        c.measures.excludedFrames = Math.max(c.measures.excludedFrames, r.excludedFrames);
      }
    },
  },
  dropouts: {
    // The prediction-residual detector on every channel that sounds, then the pilot-tone detector on the
    // rig's spare pair when it names one (a second, content-independent witness; captureRecorder.ts).
    name: 'dropouts',
    run: (c) => {
      const { run, fs } = c;
      const followed: Array<number | null> = c.measures.residualDb.map(() => null);
      for (const p of c.paths) {
        if (c.measures.residualDb[p.output] === null) continue;
        const cap = run.capture[p.input];
        const found = residualDropoutsAndLatency(c.render[p.output], cap, { sampleRate: fs, latencySamples: p.totalDelayFrames, gain: p.gain });
        c.measures.findings.push(...residualFindings(p, found.events, fs));
        followed[p.output] = found.latencyFollowedSamples;
      }
      c.measures.latencyFollowedSamples = followed;
      if (c.pilot && c.pilot.input < run.capture.length) {
        c.measures.findings.push(...pilotFindings(c.pilot.output, detectPilotDropouts(run.capture[c.pilot.input].subarray(0, run.recordedFrames), { sampleRate: fs }), fs));
      }
    },
  },
  levels: {
    // RMS of the capture per engine output, and the render's clipped samples (engines that do not count their own).
    name: 'levels',
    run: (c) => {
      for (const p of c.paths) {
        const x = c.run.capture[p.input];
        let s = 0;
        for (let n = 0; n < x.length; n++) s += x[n] * x[n];
        if (c.measures.rmsDbfs[p.output] === null) c.measures.rmsDbfs[p.output] = rmsDbfs(s, x.length);
      }
      c.measures.renderClippedSamples = c.run.engineStats ? undefined : clippedSamplesOf(c.render);
    },
  },
  // The scenario's expect block (expectations.ts), and for an effect whether every automation event was applied as planned.
  expectations: {
    name: 'expectations',
    run: (c) => {
      c.measures.expectations = checkExpectations(c.run, { paths: c.paths, periodFrames: c.periodFrames, render: c.render, gates: c.gates, excluded: c.excluded });
      if (c.run.effect) c.measures.expectations.unshift(automationApplied(c.run));
    },
  },
} satisfies Record<string, AnalysisStep>;

/** The analysis of an instrument scenario on whole signals, step by step. */
export const ANALYSIS_STEPS: readonly AnalysisStep[] = [STEPS.render, STEPS.latency, STEPS.content, STEPS.dropouts, STEPS.levels, STEPS.expectations];

/**
 * The analysis of an effect scenario: the programme's render, content and dropouts as for an instrument,
 * then the effect's input → output latency and the click-free bound on every parameter change.
 */
export const EFFECT_ANALYSIS_STEPS: readonly AnalysisStep[] = [STEPS.effectRender, STEPS.content, STEPS.dropouts, STEPS.levels, STEPS.effectLatency, STEPS.parameterChanges, STEPS.expectations];



/**
 * Everything measured about one scenario run, checked against its budgets: the analysis steps in order
 * (ANALYSIS_STEPS: render, latency, content, dropouts, levels, expectations; EFFECT_ANALYSIS_STEPS for an
 * effect), then the summary with the
 * budgets (scenarioSummary.ts) — with every period the backend flagged added to the dropout list.
 */
export function analyzeScenario(
  run: ScenarioRun, paths: readonly ChannelPath[], periodFrames: number, streamBufferingFrames: number, pilot?: { output: number; input: number },
  steps: readonly AnalysisStep[] = run.effect ? EFFECT_ANALYSIS_STEPS : ANALYSIS_STEPS,
): { result: ScenarioResult; render: Float32Array[] } {
  const fs = run.loaded.scenario.sampleRate;
  const c: AnalysisContext = {
    run, paths, periodFrames, pilot, fs, render: [], input: [], gates: new Map(),
    excluded: runEnvironmentSpans(run, fs, periodFrames, streamBufferingFrames),
    measures: { events: [], residualDb: [], findings: [], rmsDbfs: [], expectations: [], ...(run.effect ? { effect: emptyEffectFigures() } : {}) },
  };
  for (const step of steps) step.run(c);
  return { result: summarizeScenario(run, c.measures, c.paths, periodFrames, streamBufferingFrames), render: c.render };
}

function emptyEffectFigures(): EffectFigures {
  return { perChannelLatencyMs: [], worstLatencyMs: null, engineLatencyMs: null, pathMs: null, smoothingMs: 0, changes: [], worstClickStepDb: null };
}

/** Samples beyond ±1 (full scale) over every channel: what a fixed-point DAC would clip. */
function clippedSamplesOf(channels: readonly Float32Array[]): number {
  let n = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) if (c[i] > 1 || c[i] < -1) n++;
  return n;
}
