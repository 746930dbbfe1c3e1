import { attributeRunDropouts } from './dropoutAttribution.ts';
import { percentile } from '../../src/analysis/statistics/percentile.ts';
import { RigFlag } from '../../src/host/audioRig.ts';
import { type DropoutFinding, type ScenarioResult, emptyScenarioResult } from '../report/runReport.ts';
import type { ScenarioMeasures } from './analyzeScenario.ts';
import { checkBudgets } from './budgetTable.ts';
import { CLOCK_STALL_LIMIT_MS } from './clockStall.ts';
import type { ChannelPath, EventLatency } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';

/** Percentile of sorted values, null (not measured) when there are none. */
const percentileOrNull = (sorted: readonly number[], p: number): number | null => (sorted.length ? percentile(sorted, p) : null);
const median = (xs: number[]) => percentileOrNull([...xs].sort((a, b) => a - b), 50);

/** What every part of the summary reads. */
interface SummaryInputs {
  run: ScenarioRun;
  m: ScenarioMeasures;
  paths: readonly ChannelPath[];
  periodFrames: number;
  streamBufferingFrames: number;
  fs: number;
}

/**
 * The scenario's result from what was measured, part by part in report order: latency statistics,
 * their breakdown, the dropout list (content findings, then every period the backend flagged), content,
 * levels, the backend's and the server's counters, the timeline — then the expectations, the budgets
 * (budgetTable.ts) and the status.
 */
export function summarizeScenario(run: ScenarioRun, m: ScenarioMeasures, paths: readonly ChannelPath[], periodFrames: number, streamBufferingFrames: number): ScenarioResult {
  const s: SummaryInputs = { run, m, paths, periodFrames, streamBufferingFrames, fs: run.loaded.scenario.sampleRate };
  const result = emptyScenarioResult(run.loaded.name, run.loaded.scenario.description);
  result.durationSeconds = run.wallSeconds;
  const { measured, counted } = latencyEvents(m.events);
  result.latency = latencySummary(s, measured, counted);
  result.breakdown = latencyBreakdown(s, counted, result.latency.p50Ms);
  result.dropouts = dropoutList(s);
  const worst = m.residualDb.filter((v): v is number => v !== null);
  result.content = { perChannelResidualDb: m.residualDb, worstResidualDb: worst.length ? Math.max(...worst) : null };
  if (m.excludedFrames) {
    // Frames attributed to the environment (a driver xrun, a machine stall) are left out of the residual; the figure with them is kept beside it.
    const all = (m.residualWithExcludedDb ?? []).filter((v): v is number => v !== null);
    result.content.excludedSeconds = m.excludedFrames / s.fs;
    result.content.worstResidualWithExcludedDb = all.length ? Math.max(...all) : null;
  }
  if (m.latencyFollowedSamples) {
    // The largest move by magnitude, sign kept: a drift between two clocks grows steadily one way.
    const moved = m.latencyFollowedSamples.filter((v): v is number => v !== null);
    result.content.latencyFollowedSamples = m.latencyFollowedSamples;
    result.content.worstLatencyFollowedSamples = moved.length ? moved.reduce((a, v) => (Math.abs(v) > Math.abs(a) ? v : a), 0) : null;
  }
  result.perTransducerRmsDbfs = m.rmsDbfs;
  result.backendFlags = backendSummary(run);
  result.dropoutAttribution = attributeRunDropouts(m.findings, run, s.fs, periodFrames, streamBufferingFrames);
  const c = run.status.counts;
  result.server = { malformedPacketCount: c.malformedOscPackets + c.malformedSocketFrames + c.truncatedSocketFrames + c.malformedMidi, lateEventCount: c.lateEvents, underrunCount: c.underruns };
  result.timeline = timeline(s, measured);
  if (m.effect) result.effect = m.effect;
  result.expectations = m.expectations;
  result.budgets = checkBudgets({ run, result, periodFrames, renderClippedSamples: m.renderClippedSamples ?? null });
  result.status = run.interrupted ? 'interrupted' : result.budgets.every((b) => b.passed) && result.expectations.every((e) => e.passed) ? 'passed' : 'failed';
  return result;
}

/** The measured events, and those that count in the latency figures: not straddling a stall of the stream clock. */
function latencyEvents(measured: EventLatency[]): { measured: EventLatency[]; counted: EventLatency[] } {
  return { measured, counted: measured.filter((e) => !clockMapFailsAt(e)) };
}

/**
 * An event whose latency measures the clock map rather than the path, left out of the latency figures and
 * counted (`clockStallEventCount`): its send and effect straddle a stall of the stream clock, or a jump
 * ahead of it (skipped cycles after the machine froze: clockStallMs below −CLOCK_STALL_LIMIT_MS), or an
 * onset comes out before the command was sent — no rig plays a note before it is asked to, so the map
 * is wrong there (measured on jack-native after a freeze at the start: −61 ms "latencies" that passed a
 * 5 ms p99 budget).
 */
export function clockMapFailsAt(e: EventLatency): boolean {
  if (e.onsets.length === 0) return false;
  return Math.abs(e.clockStallMs ?? 0) > CLOCK_STALL_LIMIT_MS || e.onsets.some((o) => o.latencyMs < 0);
}

function latencySummary({ m }: SummaryInputs, measured: EventLatency[], events: EventLatency[]): ScenarioResult['latency'] {
  const outputs = m.residualDb.length;
  const all = events.flatMap((e) => e.onsets.map((o) => o.latencyMs)).sort((a, b) => a - b);
  const mean = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
  const skews = events.map((e) => e.skewMs).filter((v): v is number => v !== null);
  const atEnvironment = measured.reduce((n, e) => n + (e.atEnvironmentOnsets ?? 0), 0);
  return {
    eventCount: measured.length, onsetCount: all.length,
    p50Ms: percentileOrNull(all, 50), p95Ms: percentileOrNull(all, 95), p99Ms: percentileOrNull(all, 99), maxMs: all.length ? all[all.length - 1] : null,
    jitterMs: all.length > 1 ? Math.sqrt(all.reduce((a, v) => a + (v - mean) ** 2, 0) / (all.length - 1)) : null,
    skewMs: skews.length ? Math.max(...skews) : null,
    clockStallEventCount: measured.length - events.length,
    ...(atEnvironment ? { atEnvironmentOnsetCount: atEnvironment } : {}),
    samplesMs: all,
    perTransducerP50Ms: Array.from({ length: outputs }, (_, k) => percentileOrNull(events.flatMap((e) => e.onsets.filter((o) => o.output === k).map((o) => o.latencyMs)).sort((a, b) => a - b), 50)),
  };
}

function latencyBreakdown({ run, paths, streamBufferingFrames, fs }: SummaryInputs, events: EventLatency[], totalMs: number | null): ScenarioResult['breakdown'] {
  const msPerFrame = 1000 / fs;
  const measured = events.filter((e) => e.onsets.length > 0);
  const withArrival = measured.filter((e) => e.arrivalFrame !== null);
  const transport = withArrival.map((e) => (e.arrivalFrame! - e.sendFrame) * msPerFrame);
  const scheduling = withArrival.map((e) => (e.appliedFrame - e.arrivalFrame!) * msPerFrame);
  const device = paths.map((p) => p.deviceDelayFrames / 2);
  const unexplained = measured.flatMap((e) => e.onsets.map((o) => o.unexplainedMs));
  return {
    transportMs: median(transport),
    schedulingMs: median(scheduling),
    bufferingMs: streamBufferingFrames * msPerFrame,
    // The output half of the device loop, plus whatever the calibration does not explain (≈ 0 on a sound rig).
    pathMs: device.length ? median(device)! * msPerFrame + (median(unexplained) ?? 0) : null,
    totalMs,
    budgetMs: run.loaded.scenario.budgets.latency.p99Ms ?? null,
  };
}

/** The content findings, then every period the backend flagged (its own witness, listed, never hidden). */
function dropoutList({ run, m, periodFrames, fs }: SummaryInputs): DropoutFinding[] {
  const dropouts: DropoutFinding[] = [...m.findings];
  run.periodFlags.forEach((flags, period) => {
    const real = flags & ~RigFlag.PrimingOutput;
    if (real) dropouts.push(finding(-1, period * periodFrames, periodFrames, flagNames(real), 'backend-flag', fs));
  });
  return dropouts;
}

function backendSummary(run: ScenarioRun): ScenarioResult['backendFlags'] {
  return {
    underflowCount: Array.from(run.periodFlags).filter((f) => f & (RigFlag.OutputUnderflow | RigFlag.InputUnderflow)).length,
    overflowCount: Array.from(run.periodFlags).filter((f) => f & (RigFlag.OutputOverflow | RigFlag.InputOverflow)).length,
    messages: run.serverLog.slice(0, 50),
    serverXrunCount: run.serverXruns.client, serverDriverXrunCount: run.serverXruns.driver,
  };
}

/** Every sent command: scheduled, sent, received, where it took effect and its measured latency. */
function timeline({ run, fs }: SummaryInputs, measured: EventLatency[]): ScenarioResult['timeline'] {
  const msPerFrame = 1000 / fs;
  const eventByIndex = new Map(measured.map((e) => [e.eventIndex, e]));
  return run.sent.map((s) => {
    const ev = eventByIndex.get(s.planned.index);
    const lat = ev && ev.onsets.length ? percentile(ev.onsets.map((o) => o.latencyMs).sort((a, b) => a - b), 50) : null;
    return {
      index: s.planned.index, type: s.planned.type, transport: s.planned.transport, scheduledMs: s.planned.atFrame * msPerFrame,
      sentMs: s.sendFrame * msPerFrame, receivedMs: s.arrivalFrame === null ? null : s.arrivalFrame * msPerFrame,
      effectiveFrame: s.appliedFrame, latencyMs: lat, clockStallMs: s.clockStallMs,
    };
  });
}

/** One finding of the report's dropout list. */
export function finding(channelIndex: number, startFrame: number, lengthFrames: number, kind: string, detector: DropoutFinding['detector'], sampleRate: number): DropoutFinding {
  return { channelIndex, startFrame, lengthFrames, atSeconds: startFrame / sampleRate, kind, detector };
}

function flagNames(flags: number): string {
  return Object.entries(RigFlag).filter(([, bit]) => flags & bit).map(([name]) => name).join('+');
}
