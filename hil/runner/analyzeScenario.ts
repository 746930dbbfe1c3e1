import { detectPilotDropouts } from '../../src/analysis/dropouts/pilotToneDetector.ts';
import { attributeDropouts, streamEventStarts } from './dropoutAttribution.ts';
import { detectResidualDropouts } from '../../src/analysis/dropouts/residualDetector.ts';
import { percentile } from '../../src/analysis/statistics/percentile.ts';
import type { TimedEvent } from '../../src/engine/events.ts';
import { render } from '../../src/engine/render.ts';
import { RigFlag } from '../../src/host/audioRig.ts';
import { latencyBudgetAdvice } from './budgetAdvice.ts';
import { type BudgetCheck, type DropoutFinding, type ExpectationCheck, type ScenarioResult, isBackendFlag } from '../report/runReport.ts';
import type { DropoutEvent } from '../../src/analysis/dropouts/dropoutEvent.ts';
import { SignalHistory } from '../../src/analysis/dropouts/signalHistory.ts';
import { ContentResidual } from '../../src/analysis/contentResidual.ts';
import { emptyScenarioResult } from '../report/runReport.ts';
import { checkExpectations } from './expectations.ts';
import { type ChannelPath, type EventLatency, captureGates, measureEventLatencies } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';
import { CLOCK_STALL_LIMIT_MS } from './clockStall.ts';

/** Percentile of sorted values, null (not measured) when there are none. */
const percentileOrNull = (sorted: readonly number[], p: number): number | null => (sorted.length ? percentile(sorted, p) : null);
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
    for (const row of s.planned.rows) events.push({ ...row, atFrame: s.appliedFrame });
  }
  return events;
}

/**
 * Residual of a captured channel against the render of its output, delayed by the calibrated path and
 * scaled by its calibrated gain (ContentResidual, fed both whole), dB; null when the render is silent.
 */
export function channelResidualDb(capture: Float32Array, rendered: Float32Array, path: ChannelPath): number | null {
  const residual = new ContentResidual(path.totalDelayFrames, path.gain, { render: SignalHistory.wrap(rendered), capture: SignalHistory.wrap(capture) });
  return residual.finish();
}

/** What the analysis measured in the signals; summarizeScenario turns it into the scenario's result. */
export interface ScenarioMeasures {
  /** Every applied note-on, in the order sent, with its onsets. */
  events: EventLatency[];
  /** Content residual per engine output (null: silent render or not wired). */
  residualDb: Array<number | null>;
  /** Content findings in report order: the residual detector's per path (in path order), then the pilot's. */
  findings: DropoutFinding[];
  /** RMS of the capture per engine output, dBFS (null: not wired). */
  rmsDbfs: Array<number | null>;
  expectations: ExpectationCheck[];
  /** Samples beyond ±1 in the render (the clipped-samples budget of an engine that does not count its own). */
  renderClippedSamples?: number;
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

/**
 * Everything measured about one scenario run, checked against its budgets:
 * latency of every note-on on every transducer (latencyMeasurement.ts) with its breakdown; content —
 * each channel's capture against the render delayed by the calibrated path, as a residual in dB below
 * the render; dropouts — the prediction-residual detector on every channel, the pilot-tone detector
 * on the rig's spare pair when it names one, plus every period the backend flagged; levels; clipped samples; and the scenario's expectations.
 */
export function analyzeScenario(
  run: ScenarioRun, paths: readonly ChannelPath[], periodFrames: number, streamBufferingFrames: number, pilot?: { output: number; input: number },
): { result: ScenarioResult; render: Float32Array[] } {
  const fs = run.loaded.scenario.sampleRate;
  const expected = renderApplied(run, periodFrames);
  const outputs = expected.length;
  const gates = captureGates(run.capture, paths, fs);
  const events = measureEventLatencies(run.sent, expected, run.capture, paths, fs, gates);

  // Content and dropouts: the render delayed by the calibrated path and scaled by its calibrated gain.
  const residualDb: Array<number | null> = Array.from({ length: outputs }, () => null);
  const findings: DropoutFinding[] = [];
  for (const p of paths) {
    const cap = run.capture[p.input];
    const exp = expected[p.output];
    residualDb[p.output] = channelResidualDb(cap, exp, p);
    if (residualDb[p.output] === null) continue;
    findings.push(...residualFindings(p, detectResidualDropouts(exp, cap, { sampleRate: fs, latencySamples: p.totalDelayFrames, gain: p.gain }), fs));
  }
  if (pilot && pilot.input < run.capture.length) {
    // The pilot on the rig's spare pair (captureRecorder.ts): a second, content-independent witness.
    findings.push(...pilotFindings(pilot.output, detectPilotDropouts(run.capture[pilot.input].subarray(0, run.recordedFrames), { sampleRate: fs }), fs));
  }
  const rms = Array.from({ length: outputs }, (_, k) => {
    const p = paths.find((q) => q.output === k);
    if (!p) return null;
    const c = run.capture[p.input];
    let s = 0;
    for (let n = 0; n < c.length; n++) s += c[n] * c[n];
    return rmsDbfs(s, c.length);
  });
  const expectations = checkExpectations(run, { paths, periodFrames, render: expected, gates });
  const renderClippedSamples = run.engineStats ? undefined : clippedSamplesOf(expected);
  const result = summarizeScenario(run, { events, residualDb, findings, rmsDbfs: rms, expectations, renderClippedSamples }, paths, periodFrames, streamBufferingFrames);
  return { result, render: expected };
}

/**
 * The scenario's result from what was measured: latency statistics and breakdown, the dropout list (content
 * findings, then every period the backend flagged), content, levels, the backend's and the server's
 * counters, the timeline, the budgets and the status.
 */
export function summarizeScenario(run: ScenarioRun, m: ScenarioMeasures, paths: readonly ChannelPath[], periodFrames: number, streamBufferingFrames: number): ScenarioResult {
  const fs = run.loaded.scenario.sampleRate;
  const msPerFrame = 1000 / fs;
  const outputs = m.residualDb.length;
  const result = emptyScenarioResult(run.loaded.name, run.loaded.scenario.description);
  result.durationSeconds = run.wallSeconds;
  const measuredEvents = m.events;
  const straddlesStall = (e: (typeof measuredEvents)[number]) => e.onsets.length > 0 && (e.clockStallMs ?? 0) > CLOCK_STALL_LIMIT_MS;
  const stalled = measuredEvents.filter(straddlesStall);
  const events = measuredEvents.filter((e) => !straddlesStall(e));
  const all = events.flatMap((e) => e.onsets.map((o) => o.latencyMs)).sort((a, b) => a - b);
  const mean = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
  const skews = events.map((e) => e.skewMs).filter((v): v is number => v !== null);
  result.latency = {
    eventCount: measuredEvents.length, onsetCount: all.length,
    p50Ms: percentileOrNull(all, 50), p95Ms: percentileOrNull(all, 95), p99Ms: percentileOrNull(all, 99), maxMs: all.length ? all[all.length - 1] : null,
    jitterMs: all.length > 1 ? Math.sqrt(all.reduce((a, v) => a + (v - mean) ** 2, 0) / (all.length - 1)) : null,
    skewMs: skews.length ? Math.max(...skews) : null,
    clockStallEventCount: stalled.length,
    samplesMs: all,
    perTransducerP50Ms: Array.from({ length: outputs }, (_, k) => percentileOrNull(events.flatMap((e) => e.onsets.filter((o) => o.output === k).map((o) => o.latencyMs)).sort((a, b) => a - b), 50)),
  };
  const med = (xs: number[]) => percentileOrNull([...xs].sort((a, b) => a - b), 50);
  const measured = events.filter((e) => e.onsets.length > 0);
  const withArrival = measured.filter((e) => e.arrivalFrame !== null);
  const transport = withArrival.map((e) => (e.arrivalFrame! - e.sendFrame) * msPerFrame);
  const scheduling = withArrival.map((e) => (e.appliedFrame - e.arrivalFrame!) * msPerFrame);
  const device = paths.map((p) => p.deviceDelayFrames / 2);
  const unexplained = measured.flatMap((e) => e.onsets.map((o) => o.unexplainedMs));
  result.breakdown = {
    transportMs: med(transport),
    schedulingMs: med(scheduling),
    bufferingMs: streamBufferingFrames * msPerFrame,
    // The output half of the device loop, plus whatever the calibration does not explain (≈ 0 on a sound rig).
    pathMs: device.length ? med(device)! * msPerFrame + (med(unexplained) ?? 0) : null,
    totalMs: result.latency.p50Ms,
    budgetMs: run.loaded.scenario.budgets.latency.p99Ms ?? null,
  };

  const dropouts: DropoutFinding[] = [...m.findings];
  run.periodFlags.forEach((flags, period) => {
    const real = flags & ~RigFlag.PrimingOutput;
    if (real) dropouts.push(finding(-1, period * periodFrames, periodFrames, flagNames(real), 'backend-flag', fs));
  });
  result.dropouts = dropouts;
  const worst = m.residualDb.filter((v): v is number => v !== null);
  result.content = { perChannelResidualDb: m.residualDb, worstResidualDb: worst.length ? Math.max(...worst) : null };
  result.perTransducerRmsDbfs = m.rmsDbfs;
  result.backendFlags = {
    underflowCount: Array.from(run.periodFlags).filter((f) => f & (RigFlag.OutputUnderflow | RigFlag.InputUnderflow)).length,
    overflowCount: Array.from(run.periodFlags).filter((f) => f & (RigFlag.OutputOverflow | RigFlag.InputOverflow)).length,
    messages: run.serverLog.slice(0, 50),
    serverXrunCount: run.serverXruns.client, serverDriverXrunCount: run.serverXruns.driver,
  };
  result.dropoutAttribution = attributeDropouts(m.findings, run.serverXrunEvents ?? null, { count: run.status.counts.underruns, frames: run.outputUnderrunFrames ?? null }, fs, periodFrames);
  const c = run.status.counts;
  result.server = { malformedPacketCount: c.malformedOscPackets + c.malformedSocketFrames + c.truncatedSocketFrames + c.malformedMidi, lateEventCount: c.lateEvents, underrunCount: c.underruns };
  const eventByIndex = new Map(measuredEvents.map((e) => [e.eventIndex, e]));
  result.timeline = run.sent.map((s) => {
    const ev = eventByIndex.get(s.planned.index);
    const lat = ev && ev.onsets.length ? percentile(ev.onsets.map((o) => o.latencyMs).sort((a, b) => a - b), 50) : null;
    return {
      index: s.planned.index, type: s.planned.type, transport: s.planned.transport, scheduledMs: s.planned.atFrame * msPerFrame,
      sentMs: s.sendFrame * msPerFrame, receivedMs: s.arrivalFrame === null ? null : s.arrivalFrame * msPerFrame,
      effectiveFrame: s.appliedFrame, latencyMs: lat, clockStallMs: s.clockStallMs,
    };
  });
  result.expectations = m.expectations;
  result.budgets = budgetChecks(run, result, m.renderClippedSamples ?? null, periodFrames);
  result.status = run.interrupted ? 'interrupted' : result.budgets.every((b) => b.passed) && result.expectations.every((e) => e.passed) ? 'passed' : 'failed';
  return result;
}

/** Distinct dropout events: findings on any channel within 1 ms of each other are one event of the stream. */
export function dropoutEvents(findings: readonly DropoutFinding[], sampleRate: number): number {
  return streamEventStarts(findings, sampleRate).length;
}

function finding(channel: number, startFrame: number, lengthFrames: number, kind: string, detector: DropoutFinding['detector'], sampleRate: number): DropoutFinding {
  return { channel, startFrame, lengthFrames, atSeconds: startFrame / sampleRate, kind, detector };
}

function flagNames(flags: number): string {
  return Object.entries(RigFlag).filter(([, bit]) => flags & bit).map(([name]) => name).join('+');
}

/** Samples beyond ±1 (full scale) over every channel: what a fixed-point DAC would clip. */
function clippedSamplesOf(channels: readonly Float32Array[]): number {
  let n = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) if (c[i] > 1 || c[i] < -1) n++;
  return n;
}

function budgetChecks(run: ScenarioRun, r: ScenarioResult, renderClippedSamples: number | null, periodFrames: number): BudgetCheck[] {
  const b = run.loaded.scenario.budgets;
  const out: BudgetCheck[] = [];
  const le = (name: string, key: string, limit: number | undefined, measured: number | null, unit: string, detail?: string | ((limit: number) => string | undefined)) => {
    if (limit === undefined) return;
    const passed = measured !== null && measured <= limit;
    const text = typeof detail === 'function' ? (passed ? undefined : detail(limit)) : detail;
    out.push({ name, key, limit, measured, unit, passed, ...(text ? { detail: text } : {}) });
  };
  // A failed latency budget says why (the path's bound at this period) and what to change.
  const latencyDetail = r.latency.onsetCount === 0
    ? 'no onset could be measured'
    : (limit: number) => latencyBudgetAdvice(limit, periodFrames, run.loaded.scenario.sampleRate, r.breakdown);
  le('latency p50', 'p50Ms', b.latency.p50Ms, r.latency.p50Ms, 'ms', latencyDetail);
  le('latency p95', 'p95Ms', b.latency.p95Ms, r.latency.p95Ms, 'ms', latencyDetail);
  le('latency p99', 'p99Ms', b.latency.p99Ms, r.latency.p99Ms, 'ms', latencyDetail);
  le('latency max', 'maxMs', b.latency.maxMs, r.latency.maxMs, 'ms', latencyDetail);
  le('jitter', 'jitterMs', b.jitterMs, r.latency.jitterMs, 'ms');
  le('inter-channel skew', 'skewMs', b.skewMs, r.latency.skewMs, 'ms');
  // The content decides (residual on every channel, pilot); the backend's flags are the second witness.
  const content = r.dropouts.filter((d) => !isBackendFlag(d));
  const flagged = r.dropouts.length - content.length;
  const events = dropoutEvents(content, run.loaded.scenario.sampleRate);
  const flagNote = flagged ? `; ${flagged} period(s) flagged by the backend (listed; the content decides)` : '';
  // The server's events count; those at a driver xrun of the audio server are the environment's, listed (dropoutAttribution.ts).
  const a = r.dropoutAttribution;
  const environmentNote = a?.environmentEventCount ? `; ${a.environmentEventCount} of them at a driver xrun of the audio server (the environment's, not counted)` : '';
  le('dropouts', 'dropoutCount', b.dropouts, a ? a.serverEventCount : events, 'events', r.dropouts.length ? `${content.length} content findings (channels × events) grouped into ${events} events: findings within 1 ms of each other are one stream event${environmentNote}${flagNote}` : undefined);
  le('clipped samples', 'clippedSamples', b.clippedSamples, run.engineStats?.clippedSamples ?? renderClippedSamples, 'samples',
    run.engineStats ? undefined : 'samples beyond ±1 full scale in the render of what the server applied');
  le('content residual', 'worstResidualDb', b.contentResidualDb, r.content.worstResidualDb, 'dB');
  return out;
}
