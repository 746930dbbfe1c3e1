import { estimateDelay } from '../../src/analysis/latency/estimateDelay.ts';
import { render } from '../../src/engine/render.ts';
import { stagedSwitches } from '../../src/engine/crossfadeEngine.ts';
import { EventKind, type TimedEvent } from '../../src/engine/events.ts';
import { namedChannel } from '../report/channelLabel.ts';
import type { EffectFigures, ExpectationCheck } from '../report/runReport.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { programmeInput } from './programmeInput.ts';
import { type FrameSpan, overlapsSpans } from './dropoutAttribution.ts';
import type { ScenarioRun } from './runScenario.ts';

/** Smoothing time assumed for an engine whose parameters do not name one (`smoothingMs`): the ≈10 ms ramp live hosts use. */
export const DEFAULT_SMOOTHING_MS = 10;
/**
 * Correlation the input → output delay needs (estimateDelay's confidence ρ). An effect's output is
 * coherent with its input only in part — a 32 kbps codec with bursts of packet loss keeps ρ ≈ 0.35 of
 * white noise — but the whitened correlation's peak still falls on the delay (the lossy scenario's
 * codec frame, 1024 samples, is found within 0.003 sample at ρ = 0.35); unrelated signals stay below 0.1.
 */
const MIN_LATENCY_CONFIDENCE = 0.2;
/** Longest input → output latency searched (the lossy codec's frame plus any rig's buffering fit well inside). */
const MAX_EFFECT_LATENCY_SECONDS = 0.5;
/** A rendered step below this (full scale) is treated as this: a change in silence is judged against the noise floor, not against 0. */
const STEP_FLOOR = 1e-4;

/**
 * The offline render of an effect run: the same engine from the same state, fed the same programme from
 * the sample the server began with (the first block it processed, `sourceStartFrame` ≤ 0, so the
 * render includes what the effect heard before the scenario's frame 0 — a reverb's tail carries it),
 * with every Param event at the frame the server applied it. Returns the render and the programme input,
 * both from scenario frame 0.
 */
export function renderEffectApplied(run: ScenarioRun, periodFrames: number): { render: Float32Array[]; input: Float32Array[] } {
  const effect = run.effect!;
  const lead = Math.max(0, -effect.sourceStartFrame);
  const fs = run.loaded.scenario.sampleRate;
  const builds = run.sent.flatMap((s) => (s.planned.build ? [s.planned.build] : []));
  // Through structural changes, the slot as the server ran it (the offline rule): each change's engine staged for its Swap.
  const engine = builds.length
    ? stagedSwitches(run.entry.create(run.config), builds.map((b) => ({ id: b.id, engine: run.entry.create(b.params) })), { sampleRate: fs, maxBlockFrames: periodFrames })
    : run.entry.create(run.config);
  const input = programmeInput(effect.source, engine.numInputs, lead + run.frames, fs);
  const events: TimedEvent[] = [];
  for (const s of run.sent) {
    s.planned.rows.forEach((row, k) => {
      const f = s.rowFrames?.[k];
      if (f !== null && f !== undefined) events.push({ ...row, atFrame: f + lead });
    });
  }
  const out = render(engine, { sampleRate: fs, blockFrames: periodFrames, frames: lead + run.frames, input, events, prepare: builds.length === 0 });
  return { render: out.map((x) => x.subarray(lead)), input: input.map((x) => x.subarray(lead)) };
}

/**
 * The effect's input → output latency per output: the delay of the capture against the programme the
 * engine was fed (GCC-PHAT with a phase-slope fit, estimateDelay) — the engine's own latency (a codec's
 * frame; 0 for a reverb's dry path) plus the rig's buffering and device loop. The engine's part is
 * measured the same way on the offline render, the rig's is the calibrated path.
 */
export function effectLatency(run: ScenarioRun, input: readonly Float32Array[], rendered: readonly Float32Array[], paths: readonly ChannelPath[]): Pick<EffectFigures, 'perChannelLatencyMs' | 'engineLatencyMs' | 'pathMs' | 'worstLatencyMs' | 'latencyDetail'> {
  const fs = run.loaded.scenario.sampleRate;
  const ms = (frames: number) => (frames * 1000) / fs;
  const options = { minDelaySamples: 0, maxDelaySamples: Math.round(MAX_EFFECT_LATENCY_SECONDS * fs), minConfidence: MIN_LATENCY_CONFIDENCE };
  const perChannel: Array<number | null> = rendered.map(() => null);
  if (run.effect?.source.kind === 'tone') {
    return { perChannelLatencyMs: perChannel, engineLatencyMs: null, pathMs: null, worstLatencyMs: null, latencyDetail: 'not measured: a tone is periodic, so its delay is ambiguous by whole periods (use noise or a file as the programme)' };
  }
  const problems: string[] = [];
  for (const p of paths) {
    const x = input[Math.min(p.output, input.length - 1)];
    const d = estimateDelay(x, run.capture[p.input], options);
    if (d.ok) perChannel[p.output] = ms(d.delaySamples);
    else problems.push(`${namedChannel('output', p.output)}: ${d.detail}`);
  }
  const own = rendered.length ? estimateDelay(input[0], rendered[0], options) : null;
  const measured = perChannel.filter((v): v is number => v !== null);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    perChannelLatencyMs: perChannel,
    engineLatencyMs: own?.ok ? ms(own.delaySamples) : null,
    pathMs: paths.length ? ms(median(paths.map((p) => p.totalDelayFrames))) : null,
    worstLatencyMs: measured.length === paths.length && measured.length ? Math.max(...measured) : null,
    latencyDetail: problems.length ? `not measured on ${problems.join('; ')}` : undefined,
  };
}

/**
 * The click-free bound on every parameter change: over the engine's smoothing time and one period from
 * the frame the server applied it, the capture's largest sample step |c[n] − c[n−1]| (through the
 * calibrated path) against the largest step of the offline render over the same frames — the engine with
 * its own smoothing — scaled by the path's gain: 20·log10(capture step / rendered step), dB, the worst
 * channel. 0 dB when the rig played what the engine renders; a click the live path adds (an unsmoothed
 * jump, a lost or repeated block at the change) raises it. A change whose captured window holds an
 * environment event (`excluded`: a driver xrun, frame jump or machine stall, as the content residual leaves
 * out) is listed unjudged (`atEnvironment`, stepDb null): a block the machine lost there is not the server's.
 */
export function parameterChangeSteps(
  run: ScenarioRun, rendered: readonly Float32Array[], paths: readonly ChannelPath[], periodFrames: number, excluded: readonly FrameSpan[] = [],
): Pick<EffectFigures, 'changes' | 'worstClickStepDb' | 'smoothingMs'> {
  const fs = run.loaded.scenario.sampleRate;
  const configured = (run.config as { smoothingMs?: unknown } | null)?.smoothingMs;
  const smoothingMs = typeof configured === 'number' ? configured : DEFAULT_SMOOTHING_MS;
  const window = Math.round((smoothingMs * fs) / 1000) + periodFrames;
  const changes: EffectFigures['changes'] = [];
  const names = run.entry.create(run.config).paramNames;
  for (const s of run.sent) {
    s.planned.rows.forEach((row, k) => {
      const at = s.rowFrames?.[k];
      if (at === null || at === undefined) return;
      // The captured frames largestStep reads for each path: one before the window, for the first step.
      const atEnvironment = paths.some((p) => overlapsSpans(excluded, at + Math.round(p.totalDelayFrames) - 1, at + Math.round(p.totalDelayFrames) + window));
      if (atEnvironment) {
        changes.push({ index: s.planned.index, paramIndex: row.paramIndex, paramName: names[row.paramIndex] ?? `#${row.paramIndex}`, value: row.value, appliedFrame: at, stepDb: null, atEnvironment });
        return;
      }
      let worst = -Infinity;
      for (const p of paths) {
        const shift = Math.round(p.totalDelayFrames);
        const renderedStep = Math.abs(p.gain) * largestStep(rendered[p.output], at, at + window);
        const capturedStep = largestStep(run.capture[p.input], at + shift, at + shift + window);
        worst = Math.max(worst, 20 * Math.log10(Math.max(capturedStep, STEP_FLOOR) / Math.max(renderedStep, STEP_FLOOR)));
      }
      // A structural change's row is its Swap (value: the switch's number), not a parameter.
      const paramName = row.kind === EventKind.Swap ? 'engine switch' : names[row.paramIndex] ?? `#${row.paramIndex}`;
      changes.push({ index: s.planned.index, paramIndex: row.paramIndex, paramName, value: row.value, appliedFrame: at, stepDb: Number.isFinite(worst) ? worst : null });
    });
  }
  const steps = changes.map((c) => c.stepDb).filter((v): v is number => v !== null);
  return { changes, worstClickStepDb: steps.length ? Math.max(...steps) : null, smoothingMs };
}

/** Largest |x[n] − x[n−1]| for n in [from, to) (clipped to the signal). */
function largestStep(x: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let n = Math.max(1, from); n < Math.min(x.length, to); n++) m = Math.max(m, Math.abs(x[n] - x[n - 1]));
  return m;
}

/** Every automation event the harness sent was logged and applied by the server as planned, and no command was answered with an error. */
export function automationApplied(run: ScenarioRun): ExpectationCheck {
  const problems = run.sent.map((s) => s.logProblem).filter((p): p is string => p !== undefined);
  const errors = run.effect?.errorReplies ?? [];
  const events = run.sent.reduce((n, s) => n + s.planned.rows.length, 0);
  const passed = problems.length === 0 && errors.length === 0;
  return {
    name: 'every automation event applied', passed,
    detail: passed ? `${run.sent.length} commands, ${events} parameter events, each applied at a logged frame`
      : [...problems.slice(0, 5), ...errors.slice(0, 5).map((e) => `server replied ${e}`)].join('; '),
  };
}
