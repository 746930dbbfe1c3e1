import { EventKind } from '../../src/engine/events.ts';
import { type HapticConfig, STEAL_POLICIES, type StealPolicy, layoutCentre, transducerPositions } from '../../src/haptic/hapticConfig.ts';
import type { HapticStats } from '../../src/haptic/hapticState.ts';
import { channelResidualDb, renderApplied } from './analyzeScenario.ts';
import type { ExpectationCheck } from '../report/runReport.ts';
import { type ChannelPath, findOnset, nextNoteOnAfter, onsetReadSpan } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';
import { type FrameSpan, overlapsSpans } from './dropoutAttribution.ts';

/**
 * The scenario's `expect` block, checked on what the rig actually played (the capture), with the
 * engine's own counters as a second witness.
 */
export interface ExpectationInputs {
  paths: readonly ChannelPath[];
  periodFrames: number;
  /** The render of what the server applied, under the run's own configuration (analyzeScenario's). */
  render: readonly Float32Array[];
  /** Onset gate per captured input (latencyMeasurement.captureGates). */
  gates: ReadonlyMap<number, number>;
  /**
   * Capture frames of the environment's events (dropoutAttribution.ts: environmentSpans, as the content
   * residual leaves them out): a note whose onsets fall there is not judged by the arrival expectation.
   */
  excluded?: readonly FrameSpan[];
}

/** What the haptic-only expectations read: the run's configuration and the engine's counters. */
export interface HapticRun {
  config: HapticConfig;
  stats: HapticStats;
}

export function hapticRun(run: ScenarioRun): HapticRun | null {
  return run.entry.engine === 'haptic' && run.engineStats ? { config: run.config as HapticConfig, stats: run.engineStats } : null;
}

/** An expectation about the haptic engine's pools or waves, asked of another engine: failed, saying why. */
function needsHaptic(name: string, run: ScenarioRun): ExpectationCheck {
  return { name, passed: false, detail: `only the haptic engine can be checked for this; the scenario runs "${run.entry.engine}"` };
}

type Expect = ScenarioRun['loaded']['scenario']['expect'];

/**
 * One expectation a scenario may state (its `expect` block): its key, its name in the report, what it
 * needs (the haptic engine's configuration and counters), and how it is checked on the whole capture.
 * An analysis that cannot hold the capture whole (analyzeScenarioChunked) supplies its own measurement
 * of each row; the table's order, names and requirements are the same either way.
 */
export interface ExpectationRow {
  key: keyof Expect;
  /** Whether the scenario asks for it. */
  asked(x: Expect): boolean;
  name(x: Expect): string;
  requiresHaptic: boolean;
  /** The check on whole signals (haptic is non-null whenever requiresHaptic). */
  whole(run: ScenarioRun, haptic: HapticRun | null, inputs: ExpectationInputs): ExpectationCheck;
}

const poolsName = 'pools never exceed capacity';

/** Every expectation, in report order; checkExpectations loops over it. */
export const EXPECTATIONS: readonly ExpectationRow[] = [
  {
    key: 'stealPolicy', asked: (x) => x.stealPolicy !== undefined, name: (x) => `steal policy "${x.stealPolicy}"`, requiresHaptic: true,
    whole: (run, haptic, inputs) => stealPolicy(run, haptic!, run.loaded.scenario.expect.stealPolicy!, inputs),
  },
  {
    key: 'arrivalFollowsWaveSpeed', asked: (x) => x.arrivalFollowsWaveSpeed === true, name: () => 'arrivals follow distance / wave speed', requiresHaptic: true,
    whole: (run, haptic, inputs) => arrivalFollowsWaveSpeed(run, haptic!.config, inputs.paths, inputs.gates, run.loaded.scenario.sampleRate, inputs.excluded),
  },
  {
    key: 'silentAfterMs', asked: (x) => x.silentAfterMs !== undefined, name: (x) => `silent ${x.silentAfterMs} ms after the last event`, requiresHaptic: false,
    whole: (run, _haptic, inputs) => silentAfter(run, inputs.paths, run.loaded.scenario.expect.silentAfterMs!, run.loaded.scenario.sampleRate),
  },
  { key: 'poolsNeverExceedCapacity', asked: (x) => x.poolsNeverExceedCapacity === true, name: () => poolsName, requiresHaptic: true, whole: (_run, haptic) => poolsCheck(haptic!) },
];

/**
 * The scenario's expectations in table order: each one asked for, failed with the reason when the run
 * cannot provide what it needs, else measured by `measure` (default: on the whole capture).
 */
export function checkExpectations(run: ScenarioRun, inputs: ExpectationInputs): ExpectationCheck[];
export function checkExpectations(run: ScenarioRun, measure: (row: ExpectationRow, haptic: HapticRun | null) => ExpectationCheck): ExpectationCheck[];
export function checkExpectations(run: ScenarioRun, how: ExpectationInputs | ((row: ExpectationRow, haptic: HapticRun | null) => ExpectationCheck)): ExpectationCheck[] {
  const x = run.loaded.scenario.expect;
  const haptic = hapticRun(run);
  const measure = typeof how === 'function' ? how : (row: ExpectationRow, h: HapticRun | null) => row.whole(run, h, how);
  return EXPECTATIONS.filter((row) => row.asked(x)).map((row) => (row.requiresHaptic && !haptic ? needsHaptic(row.name(x), run) : measure(row, haptic)));
}

/** Allocated = started − dropped: the engine's own counters say no stimulus went past a pool's capacity. */
export function poolsCheck({ stats: s }: HapticRun): ExpectationCheck {
  const ok = s.allocations === s.notesStarted - s.drops;
  return { name: poolsName, passed: ok, detail: `${s.notesStarted} notes started, ${s.allocations} allocated, ${s.drops} dropped, ${s.steals} stolen (allocated = started − dropped ${ok ? 'holds' : 'FAILS'})` };
}

/** How much better (dB) the capture must match the expected policy's render than any other policy's. */
const POLICY_MARGIN_DB = 20;

/**
 * The steal policy, observed in what the rig played: the same applied events are rendered under every
 * policy, and the capture must match the expected policy's render at least POLICY_MARGIN_DB better than
 * any other's (worst channel against worst channel) — which also requires the storm to overflow a pool,
 * or the renders would not differ. The engine's own steal/drop counters are reported beside it. The
 * residuals leave out the environment's moments (`excluded`), as the content residual does: on jack-native
 * three dropouts at driver xruns held "oldest" at −18.5 dB, 19.5 dB better than the next (limit 20).
 */
function stealPolicy(run: ScenarioRun, haptic: HapticRun, expected: StealPolicy, { paths, periodFrames, render, excluded }: ExpectationInputs): ExpectationCheck {
  const { config } = haptic;
  return stealPolicyCheck(haptic, expected, (policy) => {
    const rendered = policy === config.pools.stealPolicy
      ? render
      : renderApplied(run, periodFrames, { ...config, pools: { ...config.pools, stealPolicy: policy } });
    let worst = -Infinity;
    for (const p of paths) worst = Math.max(worst, channelResidualDb(run.capture[p.input], rendered[p.output], p, excluded).db ?? -Infinity);
    return worst;
  });
}

/** The steal-policy check from the worst channel's content residual (dB, −∞ when silent) under each policy. */
export function stealPolicyCheck({ config, stats: st }: HapticRun, expected: StealPolicy, worstResidual: (policy: StealPolicy) => number): ExpectationCheck {
  const name = `steal policy "${expected}"`;
  if (config.pools.stealPolicy !== expected) {
    return { name, passed: false, detail: `the engine is configured with "${config.pools.stealPolicy}"` };
  }
  const residuals = Object.fromEntries(STEAL_POLICIES.map((p) => [p, worstResidual(p)])) as Record<StealPolicy, number>;
  const others = STEAL_POLICIES.filter((p) => p !== expected);
  const margin = Math.min(...others.map((p) => residuals[p])) - residuals[expected];
  const fmtDb = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} dB` : 'silent');
  return {
    name, passed: margin >= POLICY_MARGIN_DB,
    detail: `capture vs render under each policy (worst channel): ${STEAL_POLICIES.map((p) => `${p} ${fmtDb(residuals[p])}`).join(', ')}; `
      + `"${expected}" matches ${Number.isFinite(margin) ? margin.toFixed(1) : '—'} dB better than the next (limit ${POLICY_MARGIN_DB} dB); engine: ${st.steals} steals, ${st.drops} drops of ${st.notesStarted} notes`,
  };
}

/**
 * For each travelling-wave note-on, the capture's onset on each transducer minus the propagation time
 * from the note's source position (distance / wave speed) must be the same on every transducer: the
 * spread of (onset − d/v) is the arrival error, limit 1 sample. A note whose onset search on some
 * transducer overlaps an environment span (a driver xrun, frame jump or machine stall there: `excluded`)
 * is left out and counted, as the content residual leaves those frames out: a period the machine lost
 * moves an onset by the loss, which says nothing about the engine's wave. The frames read count, not only
 * those up to the onset (onsetReadSpan): the onset is where the envelope reaches half the burst's own peak,
 * and the peak is read over the 70 ms after the burst starts — a zeroed period 2–40 ms after a 1 ms attack
 * on 180 Hz moves the onset found by 2–16 samples (arrivalExpectation.test.ts; CI on 2026-12-05 failed
 * mpe-glide on such a driver xrun, after the onsets, that the narrower check did not leave out).
 */
export function arrivalFollowsWaveSpeed(
  run: ScenarioRun, cfg: HapticConfig, paths: readonly ChannelPath[], gates: ReadonlyMap<number, number>, fs: number, excluded: readonly FrameSpan[] = [],
): ExpectationCheck {
  const pos = transducerPositions(cfg);
  const centre = layoutCentre(pos);
  const mpe = Array.from({ length: 16 }, () => ({ bend: 0, timbre: 0.5 }));
  let worst = 0;
  let notes = 0;
  let leftOut = 0;
  const noteOns = run.sent.filter((s) => s.planned.noteOn && s.appliedFrame !== null).map((s) => s.appliedFrame!);
  for (const s of run.sent) {
    if (s.planned.type === 'mpe') {
      for (const r of s.planned.rows) {
        if (r.kind === EventKind.PitchBend) mpe[r.channel].bend = r.value;
        if (r.kind === EventKind.Timbre) mpe[r.channel].timbre = r.value;
      }
    }
    const on = s.planned.noteOn;
    if (!on || on.velocity >= cfg.pools.velocitySplit || s.appliedFrame === null) continue;
    const src = { x: centre.xM + mpe[on.channel].bend * cfg.positionRangeM, y: centre.yM + (2 * mpe[on.channel].timbre - 1) * cfg.positionRangeM };
    const residuals: number[] = [];
    let atEnvironment = false;
    for (const p of paths) {
      const from = s.appliedFrame + p.totalDelayFrames - 0.005 * fs;
      const until = nextNoteOnAfter(noteOns, s.appliedFrame, Math.round(0.25 * fs)) + p.totalDelayFrames;
      const o = findOnset(run.capture[p.input], from, until, fs, gates.get(p.input)!);
      // An environment event in the frames the search read to find it (the onset's level comes from after it).
      const read = onsetReadSpan(from, o?.frame, until, fs);
      if (overlapsSpans(excluded, read.start, read.end)) atEnvironment = true;
      if (!o) continue;
      const d = Math.hypot(pos[p.output].xM - src.x, pos[p.output].yM - src.y);
      residuals.push(o.frame - p.totalDelayFrames - (d / cfg.waveSpeedMps) * fs);
    }
    if (atEnvironment) {
      leftOut++;
      continue;
    }
    if (residuals.length < 2) continue;
    notes++;
    worst = Math.max(worst, Math.max(...residuals) - Math.min(...residuals));
  }
  const passed = notes > 0 && worst <= 1;
  const left = leftOut > 0 ? `; ${leftOut} left out (their onsets at an environment event: driver xrun, frame jump or machine stall)` : '';
  return {
    name: 'arrivals follow distance / wave speed', passed,
    detail: (notes ? `${notes} travelling-wave notes: largest spread of (onset − distance/speed) across transducers ${worst.toFixed(2)} samples (limit 1)` : 'no travelling-wave note with measurable onsets') + left,
  };
}

/** Every captured channel is below −60 dBFS RMS from `afterMs` past the last event to the end. */
function silentAfter(run: ScenarioRun, paths: readonly ChannelPath[], afterMs: number, fs: number): ExpectationCheck {
  let loudest = -Infinity;
  for (const p of paths) {
    const c = run.capture[p.input];
    const from = silenceFrom(run, p, afterMs, fs);
    if (from >= c.length) continue;
    let s = 0;
    for (let n = from; n < c.length; n++) s += c[n] * c[n];
    loudest = Math.max(loudest, silenceDbfs(s, c.length - from));
  }
  return silentAfterCheck(afterMs, loudest);
}

/** First capture frame of a path that must be silent: `afterMs` past the last applied event, through the path. */
export function silenceFrom(run: ScenarioRun, p: ChannelPath, afterMs: number, fs: number): number {
  const last = run.sent.reduce((m, s) => Math.max(m, s.appliedFrame ?? 0), 0);
  return Math.round(last + p.totalDelayFrames + (afterMs * fs) / 1000);
}

export const silenceDbfs = (sumSquares: number, frames: number): number => 10 * Math.log10(sumSquares / frames + 1e-30);

/** The silence check from the loudest channel's RMS after the moment (−∞: the capture ends before it). */
export function silentAfterCheck(afterMs: number, loudest: number): ExpectationCheck {
  return {
    name: `silent ${afterMs} ms after the last event`, passed: loudest <= -60,
    detail: Number.isFinite(loudest) ? `loudest channel ${loudest.toFixed(1)} dBFS RMS (limit −60)` : 'the capture ends before that time',
  };
}
