import type { ServerXrun, ServerXrunRecord } from '../jack/serverXruns.ts';
import type { LateBlock } from '../../src/host/lateBlocks.ts';
import type { DropoutAttribution, DropoutFinding } from '../report/runReport.ts';

/** An audio server's xrun placed on the scenario's frame axis (the capture's). */
export interface ScenarioXrun {
  kind: ServerXrun['kind'];
  frame: number;
  /** A jump only: frames the stream moved at that cycle (ServerXrun.stepFrames). */
  stepFrames?: number;
  /** 'callback': the native client's record, exact to a period; 'log': when jackd's line reached us (later than the xrun). */
  placedBy: 'callback' | 'log';
}

/**
 * How far a content dropout may lie from a driver xrun and still be its effect, periods of the rig:
 * the late cycle's block reaches the capture one loopback period later, and an asynchronous server plays
 * what its clients wrote one cycle earlier, so the break shows 1–2 periods after the xrun's cycle; the
 * detectors place an event within a few windows of its true start. 8 periods (+ 2 ms) either side covers
 * that with room; at 64 frames, ±12.7 ms.
 */
const CALLBACK_WINDOW_PERIODS = 8;
const WINDOW_EXTRA_MS = 2;
/** A log line reaches the harness after the xrun (pipe, a busy event loop): look this far before it. */
const LOG_DELAY_MS = 250;

/**
 * The machine-stall sentinel's record on the scenario's frames (src/host/jack/machineStalls.ts): each stall
 * as the frames it covered — from one sentinel interval before the deadline it missed (the machine may
 * have stopped any time while the sentinel slept) to its wake-up. `realtime` false: the sentinel ran at
 * normal priority, so its lateness proves nothing and no underrun or event is excused by it.
 */
export interface ScenarioStallRecord {
  realtime: boolean;
  maxLateMs: number;
  stalls: { startFrame: number; endFrame: number }[];
}

/** The sentinel's stalls of a run on its scenario frames (the rig's stream frame minus the run's origin). */
export function scenarioStalls(
  record: { realtime: boolean; maxLateUs: number; intervalUs: number; stalls: readonly { frame: number; lateUs: number }[] },
  originFrame: number, sampleRate: number,
): ScenarioStallRecord {
  return {
    realtime: record.realtime,
    maxLateMs: record.maxLateUs / 1000,
    stalls: record.stalls.filter((s) => s.frame >= 0).map((s) => ({
      startFrame: Math.floor(s.frame - originFrame - ((s.lateUs + record.intervalUs) * sampleRate) / 1e6),
      endFrame: s.frame - originFrame,
    })),
  };
}

/** A run's xrun record on its scenario frames. */
export interface ScenarioXrunRecord {
  placedBy: ServerXrunRecord['placedBy'];
  xruns: ScenarioXrun[];
}

/** The xruns of a run on its scenario frames (the rig's stream frame minus the run's origin; a log line by the after-run clock map). */
export function scenarioXruns(record: ServerXrunRecord, originFrame: number, frameAtHostMs: (hostMs: number) => number): ScenarioXrunRecord {
  return { placedBy: record.placedBy, xruns: record.xruns.map((x) => x.frame !== null
    ? { kind: x.kind, frame: x.frame - originFrame, placedBy: 'callback' as const, ...(x.stepFrames !== undefined ? { stepFrames: x.stepFrames } : {}) }
    : { kind: x.kind, frame: Math.round(frameAtHostMs(x.hostMs)) - originFrame, placedBy: 'log' as const }) };
}

/**
 * The content's dropouts split by whose they are. Findings on any channel within 1 ms of each other are one
 * stream event (as the dropout budget counts them).
 *
 * Underruns of the server's output ring: one is the MACHINE's when the stall sentinel (real-time, above every
 * audio thread) saw the machine stop for at least the render-ahead cushion (`cushionFrames`, the fill less the render delay:
 * 2.67 ms at 64 frames × 2 with none) within the cushion before that cycle, or up to the cushion + 2 periods after the
 * stall (the catch-up); a stall that short of the cushion excuses nothing, since the renderer had time
 * left. It is also the machine's when its block was ready by its deadline on its own input cycle's clock
 * (entry + the nominal periods) and still missed its cycle (`earlyCycleFrames`: earlyCyclesOf): the output's
 * cycle then came sooner than that — the audio server ran the input's cycle late and caught up (seen on the
 * JACK loopback: a block finished 0.31 ms early and missed, 1.6 ms from a driver xrun, beside a 1.9 ms
 * stall). Every other underrun is the server's.
 *
 * An event is the environment's when a DRIVER xrun of the audio server (jackd's dummy driver running late)
 * or a machine stall of at least the cushion lies at the same moment — within ±(8 periods + 2 ms) of a
 * callback-placed xrun or of the stall, or up to 250 ms before a log-placed xrun (its line arrives late) and
 * 8 periods + 2 ms after it — unless one of the SERVER's underruns lies within the same window: that
 * underrun is the server's whatever the driver did (a late driver gives the renderer more time, never less).
 * Every other event is the server's (unexplained). Without an xrun record (`record` null) and without a
 * stall record every event is unexplained. `underruns.frames`: scenario frames of the underruns when the
 * rig records them (null: only their count is known, and no event is excused while there is one).
 */
export function attributeDropouts(
  content: readonly DropoutFinding[], record: ScenarioXrunRecord | null, underruns: { count: number; frames: readonly number[] | null },
  sampleRate: number, periodFrames: number, stallRecord: ScenarioStallRecord | null = null, cushionFrames = 2 * periodFrames,
): DropoutAttribution {
  return attributeWithSpans(content, record, underruns, sampleRate, stallRecord, cushionFrames, environmentSpans(record, underruns, sampleRate, periodFrames, stallRecord, cushionFrames));
}

/** attributeDropouts once its environment spans are known (attributeRunDropouts reads them for the underrun causes too). */
function attributeWithSpans(
  content: readonly DropoutFinding[], record: ScenarioXrunRecord | null, underruns: { count: number },
  sampleRate: number, stallRecord: ScenarioStallRecord | null, cushionFrames: number, e: ReturnType<typeof environmentSpans>,
): DropoutAttribution {
  const xruns = record?.xruns ?? [];
  const driverXruns = e.drivers.filter((x) => x.kind === 'driver');
  const jumps = xruns.filter((x) => x.kind === 'jump');
  const clientXruns = xruns.filter((x) => x.kind === 'client');
  const environment: number[] = [];
  const unexplained: number[] = [];
  for (const start of streamEventStarts(content, sampleRate)) (inSpans(e.spans, start) ? environment : unexplained).push(start);
  return {
    xrunRecord: record === null ? 'none' : record.placedBy,
    serverEventCount: unexplained.length,
    outputRingUnderrunCount: underruns.count,
    environmentEventCount: environment.length,
    driverXrunCount: driverXruns.length,
    clientXrunCount: clientXruns.length,
    unknownXrunCount: xruns.filter((x) => x.kind === 'unknown').length,
    frameJumpCount: jumps.length,
    frameJumpSeconds: jumps.slice(0, 100).map((x) => x.frame / sampleRate),
    frameJumpSteps: jumps.slice(0, 100).map((x) => x.stepFrames ?? null),
    matchWindowMs: (e.windowFrames * 1000) / sampleRate,
    serverEventSeconds: unexplained.slice(0, 100).map((f) => f / sampleRate),
    environmentEventSeconds: environment.slice(0, 100).map((f) => f / sampleRate),
    driverXrunSeconds: driverXruns.slice(0, 100).map((x) => x.frame / sampleRate),
    clientXrunSeconds: clientXruns.slice(0, 100).map((x) => x.frame / sampleRate),
    machineStalls: stallRecord === null ? 'none' : stallRecord.realtime ? 'realtime' : 'not-realtime',
    machineStallCount: e.stalls.length,
    machineStallMaxMs: stallRecord?.maxLateMs ?? null,
    machineStallSeconds: e.stalls.slice(0, 100).map((s) => s.startFrame / sampleRate),
    serverUnderrunCount: underruns.count - e.machineUnderruns,
    machineUnderrunCount: e.machineUnderruns,
    earlyCycleUnderrunCount: e.earlyCycleUnderruns,
    heldUnderrunCount: e.heldUnderruns,
    cushionMs: (cushionFrames * 1000) / sampleRate,
  };
}

/** Half-open frame spans [start, end) of whole frames, sorted and apart. */
export interface FrameSpan {
  start: number;
  end: number;
}

/**
 * The whole frames covering [start, end): moments placed by a clock (an xrun from jackd's log through the
 * clock map, a stall or an xrun between two cycles) fall between frames, and a consumer indexes samples by
 * these bounds (a fractional one read `undefined` from a Float32Array: the content residual became NaN).
 */
const frameSpan = (start: number, end: number): FrameSpan => ({ start: Math.floor(start), end: Math.ceil(end) });

/**
 * Where a content event is the environment's (see attributeDropouts): the windows of the driver xruns and of
 * the machine stalls at least the cushion long, less the windows of the server's underruns — as sorted,
 * disjoint frame spans, so the dropout attribution and the content residual (which leaves these frames
 * out: analyzeScenario.ts) use one definition. Empty when the underruns' frames are unknown but some happened.
 */
export function environmentSpans(
  record: ScenarioXrunRecord | null, underruns: { count: number; frames: readonly number[] | null },
  sampleRate: number, periodFrames: number, stallRecord: ScenarioStallRecord | null = null, cushionFrames = 2 * periodFrames,
  earlyCycleFrames: ReadonlySet<number> = new Set(), heldFrames: ReadonlySet<number> = new Set(),
): { spans: FrameSpan[]; windowFrames: number; drivers: ScenarioXrun[]; stalls: ScenarioStallRecord['stalls']; machineUnderruns: number; earlyCycleUnderruns: number; heldUnderruns: number; serverUnderrunFrames: number[] | null } {
  const windowFrames = CALLBACK_WINDOW_PERIODS * periodFrames + Math.round((WINDOW_EXTRA_MS * sampleRate) / 1000);
  const logDelayFrames = Math.round((LOG_DELAY_MS * sampleRate) / 1000);
  // A frame jump is a driver xrun JACK did not report: cycles the server ran without our callback.
  const drivers = (record?.xruns ?? []).filter((x) => x.kind === 'driver' || x.kind === 'jump');
  const stalls = stallRecord?.realtime ? stallRecord.stalls.filter((s) => s.endFrame - s.startFrame >= cushionFrames) : [];
  // After a frame jump the callback asks for a block the renderer has not made yet (it learns of the jump from
  // the next input): an underrun from the jump to the cushion + 2 periods after where it landed is the jump's,
  // as after a stall. A jump skips stepFrames − P frames: JACK ran those cycles without our callback.
  const jumps = drivers.filter((x) => x.kind === 'jump');
  const skipped = (x: ScenarioXrun) => (x.kind === 'jump' ? Math.max(0, (x.stepFrames ?? periodFrames) - periodFrames) : 0);
  const machines = (frame: number) => stalls.some((s) => frame >= s.startFrame - cushionFrames && frame <= s.endFrame + cushionFrames + 2 * periodFrames)
    || jumps.some((j) => frame >= j.frame - periodFrames && frame <= j.frame + skipped(j) + cushionFrames + 2 * periodFrames);
  // Each underrun once, in this order: in a stall or after a jump; at a block ready by its deadline on its input
  // cycle's clock that missed its cycle (that cycle came sooner than the nominal periods after the input's — the
  // audio server ran the input's late and caught up); at a block whose own work fitted its cushion and that missed
  // because the machine held its thread (heldFramesOf); else the server's.
  const timing: number[] = [];
  let earlyCycleUnderruns = 0;
  const serverUnderruns = underruns.frames === null ? null : underruns.frames.filter((u) => {
    if (machines(u)) return false;
    const early = earlyCycleFrames.has(u);
    if (!early && !heldFrames.has(u)) return true;
    if (early) earlyCycleUnderruns++;
    timing.push(u);
    return false;
  });
  const machineUnderruns = underruns.frames === null || serverUnderruns === null ? 0 : underruns.frames.length - serverUnderruns.length;
  const heldUnderruns = timing.length - earlyCycleUnderruns;
  if (serverUnderruns === null && underruns.count > 0) return { spans: [], windowFrames, drivers, stalls, machineUnderruns, earlyCycleUnderruns, heldUnderruns, serverUnderrunFrames: null };
  const excusing = mergeSpans([
    ...drivers.map((x) => (x.placedBy === 'callback'
      ? frameSpan(x.frame - windowFrames, x.frame + skipped(x) + windowFrames + 1)
      : frameSpan(x.frame - logDelayFrames - windowFrames, x.frame + windowFrames + 1))),
    ...stalls.map((s) => frameSpan(s.startFrame - windowFrames, s.endFrame + windowFrames + 1)),
    // A cycle the audio server ran early is its timing at that moment, as a driver xrun is (the late cycle
    // before it often stays under jackd's xrun threshold: seen with no xrun, jump or stall within 100 ms);
    // a block the machine held back is the machine's at that moment as a stall is.
    ...timing.map((u) => frameSpan(u - windowFrames, u + windowFrames + 1)),
  ]);
  const servers = mergeSpans((serverUnderruns ?? []).map((u) => frameSpan(u - windowFrames, u + windowFrames + 1)));
  return { spans: subtractSpans(excusing, servers), windowFrames, drivers, stalls, machineUnderruns, earlyCycleUnderruns, heldUnderruns, serverUnderrunFrames: serverUnderruns };
}

/** What a run recorded of its environment: its xruns, its output ring's underruns, the stall sentinel's record. */
export interface RunEnvironment {
  serverXrunEvents?: ScenarioXrunRecord | null;
  outputUnderrunFrames?: number[] | null;
  machineStalls?: ScenarioStallRecord | null;
  /** The host's late-block record on the scenario's frames (output frame = the cycle it was due at); null = none kept. */
  lateBlocks?: readonly LateBlock[] | null;
  /** Records of that ring overwritten before it was read (their underruns then show no record). */
  lateBlocksLost?: number;
  /** Per underrun: frames from its input's cycle entry to its own (ScenarioRun.underrunCycleGapFrames). */
  underrunCycleGapFrames?: readonly (number | null)[] | null;
  /** The rig's render delay (ScenarioRun.renderDelayFrames): a block is rendered that long after its cycle began. */
  renderDelayFrames?: number;
  status: { counts: { underruns: number } };
}

const underrunsOf = (run: RunEnvironment) => ({ count: run.status.counts.underruns, frames: run.outputUnderrunFrames ?? null });

/**
 * The underruns whose cycle came early (see environmentSpans): the host's record says the block finished
 * before its deadline by its input cycle's clock (margin ≥ 0); or there is no record — the host records
 * every block that finishes with less than half a period to spare, so this block had at least that — and
 * the cycle's entry came at least half a period sooner after its input's than the buffering
 * (`underrunCycleGapFrames`), which is how a block that early could miss it. Without a gap, or with records
 * lost, a block with no record is not excused (it may never have been made).
 */
function earlyCyclesOf(run: RunEnvironment, periodFrames: number, streamBufferingFrames: number): Set<number> {
  const early = new Set((run.lateBlocks ?? []).filter((b) => b.marginMs >= 0).map((b) => b.outputFrame));
  const frames = run.outputUnderrunFrames;
  const gaps = run.underrunCycleGapFrames;
  if (!run.lateBlocks || !frames || !gaps || (run.lateBlocksLost ?? 0) > 0) return early;
  const recorded = new Set(run.lateBlocks.map((b) => b.outputFrame));
  frames.forEach((f, i) => {
    const gap = gaps[i];
    if (!recorded.has(f) && gap !== null && gap !== undefined && gap <= streamBufferingFrames - periodFrames / 2) early.add(f);
  });
  return early;
}

/**
 * What a chain of blocks may need beyond the rendering thread's own CPU time on a machine that runs it when it is
 * ready: the callback's copying and post, and a real-time thread's wake-up (tens of µs where the machine keeps its
 * promises; the stall sentinel's threshold).
 */
export const OWN_WORK_ALLOWANCE_MS = 0.25;
/**
 * The underruns whose block the machine held back (src/host/lateBlocks.ts): the block missed its deadline although
 * the rendering thread's own part from the block's input to its end — its work (ownMs, an upper bound) and its
 * waits on anything but its cycle (waitedMs: a lock, a page read) — fitted the cushion less OWN_WORK_ALLOWANCE_MS:
 * the rest was the machine's (heldMs: the callback held before it posted, a wake-up run late — on this VM one sent
 * to a halted vCPU, traced at 1.4 ms — or time ready but off a CPU). Had the machine run the thread whenever it
 * was ready, the block would have been in time. A block whose own work and waits needed more stays the server's,
 * and so does one not measured (NaN).
 */
function heldFramesOf(run: RunEnvironment, cushionFrames: number, sampleRate: number): Set<number> {
  const cushionMs = (cushionFrames * 1000) / sampleRate;
  return new Set((run.lateBlocks ?? [])
    .filter((b) => b.marginMs < 0 && b.ownMs + b.waitedMs + OWN_WORK_ALLOWANCE_MS <= cushionMs)
    .map((b) => b.outputFrame));
}

/** The render-ahead cushion of a run: its stream buffering less its render delay. */
const cushionOf = (run: RunEnvironment, streamBufferingFrames: number) => streamBufferingFrames - (run.renderDelayFrames ?? 0);

/** A run's environment spans (see environmentSpans): the frames its content residual leaves out. */
export function runEnvironmentSpans(run: RunEnvironment, sampleRate: number, periodFrames: number, streamBufferingFrames: number): FrameSpan[] {
  const cushionFrames = cushionOf(run, streamBufferingFrames);
  return environmentSpans(run.serverXrunEvents ?? null, underrunsOf(run), sampleRate, periodFrames, run.machineStalls ?? null, cushionFrames, earlyCyclesOf(run, periodFrames, streamBufferingFrames), heldFramesOf(run, cushionFrames, sampleRate)).spans;
}

/** attributeDropouts on what a run recorded: the same records, read the same way, as runEnvironmentSpans. */
export function attributeRunDropouts(
  content: readonly DropoutFinding[], run: RunEnvironment, sampleRate: number, periodFrames: number, streamBufferingFrames: number,
): DropoutAttribution {
  const cushionFrames = cushionOf(run, streamBufferingFrames);
  const record = run.serverXrunEvents ?? null;
  const stalls = run.machineStalls ?? null;
  const e = environmentSpans(record, underrunsOf(run), sampleRate, periodFrames, stalls, cushionFrames, earlyCyclesOf(run, periodFrames, streamBufferingFrames), heldFramesOf(run, cushionFrames, sampleRate));
  const a = attributeWithSpans(content, record, underrunsOf(run), sampleRate, stalls, cushionFrames, e);
  if (!run.lateBlocks) return a;
  const gaps = new Map((run.outputUnderrunFrames ?? []).map((f, i) => [f, run.underrunCycleGapFrames?.[i] ?? null]));
  const causes = serverUnderrunCauses(e.serverUnderrunFrames ?? [], run.lateBlocks, (periodFrames * 1000) / sampleRate, sampleRate, run.underrunCycleGapFrames ? gaps : undefined);
  const near = nearestEnvironment(e.serverUnderrunFrames ?? [], stalls?.stalls ?? null, record === null ? null : e.drivers, sampleRate);
  const serverUnderruns = causes.serverUnderruns?.map((row, i) => ({ ...row, ...near[i] }));
  return { ...a, ...causes, serverUnderruns, lateBlockRecordsLost: run.lateBlocksLost ?? 0 };
}

/**
 * Why each of the server's underruns happened, from the host's late-block record (src/host/lateBlocks.ts):
 * the block due at the underrun's cycle either took longer than a period to render ('slow block': the
 * engine, a compilation or a collection on the rendering thread) or took less but started too late ('late
 * start': the rendering thread was not running — woken late, preempted by something of higher priority,
 * or still on earlier blocks). No record (and the cycle not measurably early, else it is the machine's:
 * earlyCyclesOf): the block was never made, or the record overflowed.
 */
export function serverUnderrunCauses(
  underrunFrames: readonly number[], lateBlocks: readonly LateBlock[], periodMs: number, sampleRate: number,
  cycleGapFrames: ReadonlyMap<number, number | null> = new Map(),
): Pick<DropoutAttribution, 'serverUnderruns' | 'serverUnderrunSlowBlockCount' | 'serverUnderrunLateStartCount' | 'serverUnderrunNoRecordCount'> {
  const byFrame = new Map(lateBlocks.map((b) => [b.outputFrame, b]));
  let slow = 0, lateStart = 0, none = 0;
  const rows = underrunFrames.map((frame) => {
    const b = byFrame.get(frame);
    if (!b) none++;
    else if (b.blockMs > periodMs) slow++;
    else lateStart++;
    const gap = cycleGapFrames.get(frame);
    return {
      seconds: frame / sampleRate, startLagMs: b?.startLagMs ?? null, blockMs: b?.blockMs ?? null, marginMs: b?.marginMs ?? null,
      ownMs: orNull(b?.ownMs), heldMs: orNull(b?.heldMs), waitedMs: orNull(b?.waitedMs),
      ...(gap !== undefined ? { cycleGapMs: gap === null ? null : (gap * 1000) / sampleRate } : {}),
    };
  });
  return { serverUnderruns: rows.slice(0, 100), serverUnderrunSlowBlockCount: slow, serverUnderrunLateStartCount: lateStart, serverUnderrunNoRecordCount: none };
}

const orNull = (ms: number | undefined): number | null => (ms === undefined || Number.isNaN(ms) ? null : ms);

type NearestEnvironment = Pick<NonNullable<DropoutAttribution['serverUnderruns']>[number], 'nearestStall' | 'nearestDriverXrunMs'>;

/**
 * Beside each of the server's underruns, the machine's record nearest to it, to read why it was not excused: the
 * sentinel's stall (any length — the excusing ones are at least the cushion long and close enough) as its start
 * relative to the underrun and its length, and the driver xrun or frame jump as its place relative to the
 * underrun, ms (negative: before it). Undefined where the run kept no such record; null where it kept one with
 * nothing in it.
 */
export function nearestEnvironment(
  underrunFrames: readonly number[], stalls: readonly { startFrame: number; endFrame: number }[] | null,
  driverXruns: readonly { frame: number }[] | null, sampleRate: number,
): NearestEnvironment[] {
  const ms = (frames: number) => (frames * 1000) / sampleRate;
  return underrunFrames.map((u) => {
    const row: NearestEnvironment = {};
    if (stalls) {
      let best: { startFrame: number; endFrame: number } | null = null;
      let bestDistance = Infinity;
      for (const s of stalls) {
        const distance = u < s.startFrame ? s.startFrame - u : u > s.endFrame ? u - s.endFrame : 0;
        if (distance < bestDistance) { best = s; bestDistance = distance; }
      }
      row.nearestStall = best === null ? null : { startMs: ms(best.startFrame - u), lengthMs: ms(best.endFrame - best.startFrame) };
    }
    if (driverXruns) {
      let best: number | null = null;
      for (const x of driverXruns) if (best === null || Math.abs(x.frame - u) < Math.abs(best - u)) best = x.frame;
      row.nearestDriverXrunMs = best === null ? null : ms(best - u);
    }
    return row;
  });
}

/** Whether `frame` lies in one of the sorted spans. */
export function inSpans(spans: readonly FrameSpan[], frame: number): boolean {
  const i = firstEndingAfter(spans, frame);
  return i < spans.length && spans[i].start <= frame;
}

/** Whether [start, end) meets one of the sorted spans (the frames a measurement read against the environment's). */
export function overlapsSpans(spans: readonly FrameSpan[], start: number, end: number): boolean {
  const i = firstEndingAfter(spans, start);
  return i < spans.length && spans[i].start < end && start < end;
}

/** Index of the first of the sorted, disjoint spans whose end lies after `frame` (spans.length: none). */
function firstEndingAfter(spans: readonly FrameSpan[], frame: number): number {
  let lo = 0, hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted, disjoint spans covering the same frames as `spans` (overlapping or touching ones joined). */
export function mergeSpans(spans: FrameSpan[]): FrameSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: FrameSpan[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** `a` less `b` (both sorted and disjoint). */
function subtractSpans(a: readonly FrameSpan[], b: readonly FrameSpan[]): FrameSpan[] {
  const out: FrameSpan[] = [];
  let j = 0;
  for (const s of a) {
    let start = s.start;
    while (j < b.length && b[j].end <= start) j++;
    for (let k = j; k < b.length && b[k].start < s.end; k++) {
      if (b[k].start > start) out.push({ start, end: b[k].start });
      start = Math.max(start, b[k].end);
    }
    if (start < s.end) out.push({ start, end: s.end });
  }
  return out;
}

/** First frame of each stream event: findings within 1 ms of the previous one belong to its event (dropoutEvents' grouping). */
export function streamEventStarts(findings: readonly DropoutFinding[], sampleRate: number): number[] {
  const starts = findings.map((d) => d.startFrame).sort((a, b) => a - b);
  const window = sampleRate / 1000;
  const out: number[] = [];
  let last = -Infinity;
  for (const s of starts) {
    if (s - last > window) out.push(s);
    last = s;
  }
  return out;
}
