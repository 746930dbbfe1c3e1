import { PilotToneDetector } from '../../src/analysis/dropouts/pilotToneDetector.ts';
import { ResidualDropoutDetector } from '../../src/analysis/dropouts/residualDropoutDetector.ts';
import { SignalHistory } from '../../src/analysis/dropouts/signalHistory.ts';
import { BlockRmsHistogram } from '../../src/analysis/statistics/blockRmsHistogram.ts';
import { RenderStream } from '../../src/engine/renderStream.ts';
import type { HapticConfig } from '../../src/haptic/hapticConfig.ts';
import { STEAL_POLICIES, type StealPolicy } from '../../src/haptic/hapticConfig.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import { RigFlag } from '../../src/host/audioRig.ts';
import type { DropoutFinding, ExpectationCheck, ScenarioResult } from '../report/runReport.ts';
import { appliedEvents, pilotFindings, residualFindings, rmsDbfs } from './analyzeScenario.ts';
import { summarizeScenario } from './scenarioSummary.ts';
import { silenceBeforeFrameZero } from './captureWindow.ts';
import type { CaptureSource } from './captureSource.ts';
import { ContentResidual } from '../../src/analysis/contentResidual.ts';
import { cutDropoutWindow, type DropoutWindow, dropoutWindowRange, MAX_DROPOUT_PICTURES } from './dropoutWindows.ts';
import { checkExpectations, hapticRun, poolsCheck, silenceDbfs, silenceFrom, silentAfterCheck, stealPolicyCheck } from './expectations.ts';
import { type ChannelPath, type EventLatency, captureGateOf, gateBlockFrames, latencyWindow, measureEventLatency, onsetSearchEnd } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';
import { type FrameSpan, runEnvironmentSpans } from './dropoutAttribution.ts';

export interface ChunkedAnalysisOptions {
  /** Frames per chunk, rounded to whole periods (default about 1 s). */
  chunkFrames?: number;
}

/** Frames summed per input before the next input, in the gate pass over an interleaved capture (256 × 32 channels: 32 KiB). */
const GATE_TILE_FRAMES = 256;

/** History kept behind the newest chunk for the pictures of findings reported late (a zeroed run pending over a silence). */
const PICTURE_HISTORY_SECONDS = 2;

/**
 * analyzeScenario over a capture read in chunks (a soak: from the float WAV the recorder spilled it to),
 * with the render of the applied events produced chunk by chunk beside it, so memory stays flat whatever
 * the duration. The findings are the same as analyzeScenario's at any chunk size (the tests compare them):
 * every stage carries its state from chunk to chunk —
 * 1. gates: a first pass over the capture, the onset gate of every input (BlockRmsHistogram);
 * 2. per chunk: the render (RenderStream), the content residual and level per path (ContentResidual), the residual
 *    dropout detector per path (ResidualDropoutDetector), the pilot detector, levels, the silence after the
 *    last event; the latency of every note-on once its window has arrived (measureEventLatency on the
 *    recent history of every channel); the steal policy's other renders when the scenario expects one;
 * 3. the summary (summarizeScenario), as for whole signals.
 * Not measured in chunks: the travelling-wave arrival expectation (a failed check says so).
 * Memory: about 3 s of every used channel (render and capture: one copy, which the residual detectors read
 * in place and hold longer only while an event of theirs is open), one chunk, and what grows with the
 * scenario's event count (the timeline, the latencies).
 */
export function analyzeScenarioChunked(
  run: ScenarioRun, source: CaptureSource, paths: readonly ChannelPath[], periodFrames: number, streamBufferingFrames: number,
  pilot?: { output: number; input: number }, options: ChunkedAnalysisOptions = {},
): { result: ScenarioResult; windows: Map<DropoutFinding, DropoutWindow> } {
  const fs = run.loaded.scenario.sampleRate;
  const total = run.frames;
  const chunk = Math.max(1, Math.round((options.chunkFrames ?? fs) / periodFrames)) * periodFrames;
  const inputs = Array.from({ length: source.channels }, () => new Float32Array(chunk));

  // 1. Gates.
  const usedInputs = [...new Set(paths.map((p) => p.input))];
  const histograms = new Map(usedInputs.map((i) => [i, new BlockRmsHistogram(gateBlockFrames(fs))]));
  const zeros = new Float32Array(chunk);
  const blankedFrames = Math.max(0, ...paths.map((p) => Math.ceil(p.totalDelayFrames - 1e-6)));
  for (let a = 0; a < total; a += chunk) {
    const n = Math.min(chunk, total - a);
    // The first chunk(s), where a path's frames before its delay are silenced, go through read() (captureWindow.ts).
    if (!source.readInterleaved || a < blankedFrames) {
      source.read(a, n, inputs);
      silenceBeforeFrameZero(inputs, a, paths);
      for (const [i, h] of histograms) h.push(inputs[i].subarray(0, n));
      continue;
    }
    // The file's own layout, a tile of frames at a time (it stays in the cache while every input is summed).
    const view = source.readInterleaved(a, n);
    const C = source.channels;
    const valid = view.length / C;
    for (let i0 = 0; i0 < valid; i0 += GATE_TILE_FRAMES) {
      const frames = Math.min(GATE_TILE_FRAMES, valid - i0);
      for (const [i, h] of histograms) h.pushStrided(view, i0 * C + i, C, frames);
    }
    if (valid < n) for (const h of histograms.values()) h.push(zeros.subarray(0, n - valid)); // past the end: silence, as read() gives
  }
  const gates = new Map(usedInputs.map((i) => [i, captureGateOf(histograms.get(i)!)]));

  // 2. Stages.
  const events = appliedEvents(run);
  const renderStream = new RenderStream(run.entry.create(run.config), fs, periodFrames, events);
  const outputs = renderStream.outputs;
  // The environment's moments (dropoutAttribution.ts) are left out of the residual, as in analyzeScenario.
  const excluded = runEnvironmentSpans(run, fs, periodFrames, streamBufferingFrames);
  const content = paths.map((p) => new ContentResidual(p.totalDelayFrames, p.gain, undefined, excluded));
  const renderHistory = Array.from({ length: outputs }, () => new SignalHistory(4 * fs));
  const captureHistory = Array.from({ length: source.channels }, () => new SignalHistory(4 * fs));
  // The detectors read these histories in place (one copy of each signal; each says how far back it still reads).
  const detectors = paths.map((p) => new ResidualDropoutDetector(
    { sampleRate: fs, latencySamples: p.totalDelayFrames, gain: p.gain, totalFrames: total },
    { render: renderHistory[p.output], capture: captureHistory[p.input], shared: true },
  ));
  const pilotDetector = pilot && pilot.input < source.channels ? new PilotToneDetector({ sampleRate: fs }) : undefined;
  const silence = silenceStage(run, paths, fs);
  const policies = stealPolicyStage(run, paths, periodFrames, events, excluded);
  const latency = new LatencyStage(run, paths, fs, total, gates, excluded);
  const pictures = new PictureStage(paths, fs, total);
  for (let k = 0; k < run.periodFlags.length; k++) {
    if (run.periodFlags[k] & ~RigFlag.PrimingOutput) pictures.add({ channelIndex: -1, startFrame: k * periodFrames, lengthFrames: periodFrames, atSeconds: 0, kind: '', detector: 'backend-flag' });
  }
  const seen = paths.map(() => 0);
  let pilotSeen = 0;

  for (let a = 0; a < total; a += chunk) {
    const n = Math.min(chunk, total - a);
    const render = renderStream.nextChunk(n);
    source.read(a, n, inputs);
    const capture = inputs.map((x) => x.subarray(0, n));
    silenceBeforeFrameZero(capture, a, paths);
    paths.forEach((p, k) => content[k].push(render[p.output], capture[p.input]));
    if (pilotDetector && a < run.recordedFrames) pilotDetector.process(capture[pilot!.input].subarray(0, Math.min(n, run.recordedFrames - a)));
    silence?.push(a, capture);
    policies?.push(capture);
    for (const p of paths) {
      if (renderHistory[p.output].end === a) renderHistory[p.output].append(render[p.output]);
      if (captureHistory[p.input].end === a) captureHistory[p.input].append(capture[p.input]);
    }
    for (const d of detectors) d.advance();
    const end = a + n;
    latency.measureReady(end, renderHistory, captureHistory);
    paths.forEach((p, k) => {
      for (; seen[k] < detectors[k].events.length; seen[k]++) pictures.add(residualFindings(p, [detectors[k].events[seen[k]]], fs)[0]);
    });
    for (; pilotDetector && pilotSeen < pilotDetector.events.length; pilotSeen++) pictures.add(pilotFindings(pilot!.output, [pilotDetector.events[pilotSeen]], fs)[0]);
    pictures.cut(end, renderHistory, captureHistory);
    const keep = Math.min(latency.neededFrom(), end - Math.round(PICTURE_HISTORY_SECONDS * fs));
    const keepRender = renderHistory.map(() => keep);
    const keepCapture = captureHistory.map(() => keep);
    paths.forEach((p, k) => {
      keepRender[p.output] = Math.min(keepRender[p.output], detectors[k].renderNeededFrom);
      keepCapture[p.input] = Math.min(keepCapture[p.input], detectors[k].captureNeededFrom);
    });
    renderHistory.forEach((h, k) => h.discardBefore(keepRender[k]));
    captureHistory.forEach((h, i) => h.discardBefore(keepCapture[i]));
  }

  // 3. Finish every stage, then the summary.
  for (const h of [...renderHistory, ...captureHistory]) h.ended = true;
  latency.measureReady(Number.POSITIVE_INFINITY, renderHistory, captureHistory);
  const residualDb: Array<number | null> = Array.from({ length: outputs }, () => null);
  const residualWithExcludedDb: Array<number | null> = Array.from({ length: outputs }, () => null);
  const latencyFollowedSamples: Array<number | null> = Array.from({ length: outputs }, () => null);
  let excludedFrames = 0;
  const findings: DropoutFinding[] = [];
  paths.forEach((p, k) => {
    const found = detectors[k].finish();
    residualDb[p.output] = content[k].finish();
    residualWithExcludedDb[p.output] = content[k].residualWithExcludedDb;
    excludedFrames = Math.max(excludedFrames, content[k].excludedFrames);
    for (; seen[k] < found.length; seen[k]++) pictures.add(residualFindings(p, [found[seen[k]]], fs)[0]);
    if (residualDb[p.output] !== null) {
      findings.push(...residualFindings(p, found, fs));
      latencyFollowedSamples[p.output] = detectors[k].latencyFollowedSamples;
    }
  });
  if (pilotDetector) {
    const found = pilotDetector.finish();
    for (; pilotSeen < found.length; pilotSeen++) pictures.add(pilotFindings(pilot!.output, [found[pilotSeen]], fs)[0]);
    findings.push(...pilotFindings(pilot!.output, found, fs));
  }
  pictures.cut(Number.POSITIVE_INFINITY, renderHistory, captureHistory);
  const rms: Array<number | null> = Array.from({ length: outputs }, (_, k) => {
    const i = paths.findIndex((q) => q.output === k);
    return i < 0 ? null : rmsDbfs(content[i].captureEnergy, total);
  });
  const expectations = chunkedExpectations(run, silence?.check() ?? null, policies?.check() ?? null);
  const result = summarizeScenario(run, { events: latency.results(), residualDb, residualWithExcludedDb, excludedFrames, findings, latencyFollowedSamples, rmsDbfs: rms, expectations }, paths, periodFrames, streamBufferingFrames);
  return { result, windows: pictures.windowsFor(result.dropouts) };
}

/**
 * The expectations table, measured in chunks: the steal policy and the silence by their stages; arrivals
 * are not measured in chunks (a failed check says so); the pools by the engine's counters.
 */
function chunkedExpectations(run: ScenarioRun, silence: ExpectationCheck | null, policy: ExpectationCheck | null): ExpectationCheck[] {
  return checkExpectations(run, (row, haptic) => {
    switch (row.key) {
      case 'stealPolicy': return policy!;
      case 'silentAfterMs': return silence!;
      case 'poolsNeverExceedCapacity': return poolsCheck(haptic!);
      default: return { name: row.name(run.loaded.scenario.expect), passed: false, detail: 'not measured: the capture was analysed in chunks (a long run), and this check needs it whole' };
    }
  });
}

/** Σ capture² from `afterMs` past the last event on every path (expect.silentAfterMs), chunk by chunk. */
function silenceStage(run: ScenarioRun, paths: readonly ChannelPath[], fs: number) {
  const afterMs = run.loaded.scenario.expect.silentAfterMs;
  if (afterMs === undefined) return undefined;
  const from = paths.map((p) => silenceFrom(run, p, afterMs, fs));
  const sums = new Float64Array(paths.length);
  return {
    push(a: number, capture: readonly Float32Array[]): void {
      paths.forEach((p, k) => {
        const c = capture[p.input];
        let s = sums[k];
        for (let i = Math.max(0, from[k] - a); i < c.length; i++) s += c[i] * c[i];
        sums[k] = s;
      });
    },
    check(): ExpectationCheck {
      let loudest = -Infinity;
      paths.forEach((_, k) => {
        if (from[k] < run.frames) loudest = Math.max(loudest, silenceDbfs(sums[k], run.frames - from[k]));
      });
      return silentAfterCheck(afterMs, loudest);
    },
  };
}

/** expect.stealPolicy: the applied events rendered under every other policy beside the capture, each path's content residual (outside the environment's moments, as the content's). */
function stealPolicyStage(run: ScenarioRun, paths: readonly ChannelPath[], periodFrames: number, events: ReturnType<typeof appliedEvents>, excluded: readonly FrameSpan[]) {
  const expected = run.loaded.scenario.expect.stealPolicy;
  const haptic = hapticRun(run);
  if (!expected || !haptic) return undefined;
  const fs = run.loaded.scenario.sampleRate;
  const others = haptic.config.pools.stealPolicy === expected ? STEAL_POLICIES : [];
  const stages = others.map((policy) => {
    const config: HapticConfig = { ...haptic.config, pools: { ...haptic.config.pools, stealPolicy: policy } };
    return { policy, render: new RenderStream(new HapticEngine(config), fs, periodFrames, events), residual: paths.map((p) => new ContentResidual(p.totalDelayFrames, p.gain, undefined, excluded)) };
  });
  return {
    push(capture: readonly Float32Array[]): void {
      for (const s of stages) {
        const render = s.render.nextChunk(capture[0].length);
        paths.forEach((p, k) => s.residual[k].push(render[p.output], capture[p.input]));
      }
    },
    check(): ExpectationCheck {
      const worst = new Map<StealPolicy, number>(stages.map((s) => [s.policy, Math.max(-Infinity, ...s.residual.map((r) => r.finish() ?? -Infinity))]));
      return stealPolicyCheck(haptic, expected, (policy) => worst.get(policy) ?? -Infinity);
    },
  };
}

/**
 * The latency of every applied note-on, measured once the frames its onsets are searched in have arrived
 * (latencyWindow), on the recent history of every channel; pending events sorted by the end of their window.
 */
class LatencyStage {
  private readonly pending: Array<{ order: number; until: number; from: number; to: number }>;
  private readonly noteOns: ScenarioRun['sent'];
  private readonly measured: EventLatency[];
  private readonly maxSpan: number;
  private next = 0;

  constructor(
    run: ScenarioRun, private readonly paths: readonly ChannelPath[], private readonly fs: number, total: number, private readonly gates: ReadonlyMap<number, number>,
    private readonly excluded: readonly FrameSpan[],
  ) {
    this.noteOns = run.sent.filter((s) => s.planned.noteOn && s.appliedFrame !== null);
    const frames = this.noteOns.map((s) => s.appliedFrame!);
    const maxDelay = Math.max(0, ...paths.map((p) => p.totalDelayFrames));
    this.pending = this.noteOns.map((s, order) => {
      const until = onsetSearchEnd(frames, s.appliedFrame!, fs);
      const w = latencyWindow(s.appliedFrame!, until, maxDelay, fs);
      return { order, until, from: w.from, to: Math.min(total, w.to) };
    });
    this.pending.sort((x, y) => x.to - y.to || x.order - y.order);
    this.maxSpan = this.pending.reduce((m, e) => Math.max(m, e.to - e.from), 0);
    this.measured = new Array(this.noteOns.length);
  }

  /** Measures every pending event whose window ends by `end`. */
  measureReady(end: number, render: readonly SignalHistory[], capture: readonly SignalHistory[]): void {
    for (; this.next < this.pending.length && this.pending[this.next].to <= end; this.next++) {
      const e = this.pending[this.next];
      const view = (h: SignalHistory) => (h.end > h.start ? h.data.subarray(e.from + h.offset, h.end + h.offset) : new Float32Array(0));
      const signals = { render: render.map(view), capture: capture.map(view), originFrame: e.from };
      this.measured[e.order] = measureEventLatency(this.noteOns[e.order], e.until, signals, this.paths, this.fs, this.gates, this.excluded);
    }
  }

  /** The first frame a pending event may still read. */
  neededFrom(): number {
    return this.next < this.pending.length ? this.pending[this.next].to - this.maxSpan : Number.POSITIVE_INFINITY;
  }

  results(): EventLatency[] {
    return this.measured;
  }
}

/**
 * The picture windows of the findings as they are reported: cut from the history once their last frame has
 * arrived; the first MAX_DROPOUT_PICTURES per path, per pilot and of the backend flags (the report draws the
 * first MAX_DROPOUT_PICTURES findings of its list). A finding reported after its window left the history
 * (over PICTURE_HISTORY_SECONDS late) gets none.
 */
class PictureStage {
  private readonly queued: Array<{ key: string; range: NonNullable<ReturnType<typeof dropoutWindowRange>> }> = [];
  private readonly perSource = new Map<string, number>();
  private readonly windows = new Map<string, DropoutWindow>();

  constructor(private readonly paths: readonly ChannelPath[], private readonly fs: number, private readonly total: number) {}

  add(d: DropoutFinding): void {
    const source = `${d.detector}:${d.channelIndex}`;
    const count = this.perSource.get(source) ?? 0;
    if (count >= MAX_DROPOUT_PICTURES) return;
    this.perSource.set(source, count + 1);
    const range = dropoutWindowRange(d, this.paths, this.fs, this.total);
    if (range) this.queued.push({ key: keyOf(d), range });
  }

  cut(end: number, render: readonly SignalHistory[], capture: readonly SignalHistory[]): void {
    for (let i = 0; i < this.queued.length; ) {
      const { key, range } = this.queued[i];
      if (range.to > end) {
        i++;
        continue;
      }
      this.queued.splice(i, 1);
      const c = capture[range.path.input];
      const r = render[range.path.output];
      if (range.from < c.start || Math.max(0, range.from - range.shift) < r.start) continue;
      this.windows.set(key, cutDropoutWindow(range, (n) => c.data[n + c.offset], (m) => (m < r.end ? r.data[m + r.offset] : 0)));
    }
  }

  windowsFor(dropouts: readonly DropoutFinding[]): Map<DropoutFinding, DropoutWindow> {
    const out = new Map<DropoutFinding, DropoutWindow>();
    for (const d of dropouts.slice(0, MAX_DROPOUT_PICTURES)) {
      const w = this.windows.get(keyOf(d));
      if (w) out.set(d, w);
    }
    return out;
  }
}

const keyOf = (d: Pick<DropoutFinding, 'detector' | 'channelIndex' | 'startFrame' | 'lengthFrames' | 'kind'>): string =>
  `${d.detector}:${d.channelIndex}:${d.startFrame}:${d.lengthFrames}${d.detector === 'backend-flag' ? '' : `:${d.kind}`}`;
