import type { Engine } from '../engine/engine.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import type { RigPeriod } from './audioRig.ts';
import { Applied, Cmd, HostShared, type HostSharedBuffers, HostSlot as H, Outcome, createHostSharedBuffers } from './hostShared.ts';
import type { EffectSource } from './effectSource.ts';
import { type HostClock, performanceClock } from './hostClock.ts';
import { type ThreadCpuClock, unknownThreadCpu } from './threadCpuClock.ts';
import { PendingEvents } from './pendingEvents.ts';
import type { SignalRing } from './signalRing.ts';
import { StreamClockEstimate } from './streamClockEstimate.ts';

export { Applied, Cmd, Outcome };
export const TimeKind = { None: 0, Frame: 1, EpochMs: 2 } as const;
/** Window of the host → stream clock map: 512 periods (1.4 s at 128 frames / 48 kHz). */
export const OFFSET_WINDOW_PERIODS = 512;

export interface AudioHostOptions {
  engine: Engine;
  sampleRate: number;
  periodFrames: number;
  /** Margin added to wall-clock timestamps mapped to the stream clock (default 2 periods). */
  scheduleAheadFrames?: number;
  /** Events waiting for their frame (default 4096); when full the newest is dropped (counted, reported). */
  pendingCapacity?: number;
  /**
   * Commands taken from the command ring per period (default 512): the audio side's work per period
   * is bounded whatever the input rate; the rest wait in the ring (which the control side bounds).
   */
  maxDrainPerPeriod?: number;
  /** Periods of level history kept for the meters (default 1024: 2.7 s at 128 frames / 48 kHz). */
  meterPeriods?: number;
  /** The state shared with the control side (default: new buffers; a worker host gets its control side's). */
  shared?: HostSharedBuffers;
  /** performance.timeOrigin of the thread whose performance.now() the periods' hostTimeMs use (default: this thread's). */
  timeOriginMs?: number;
  /**
   * Time the engine on one block in N (default 1 = every block; 0 = never), reading `clock` twice. With
   * performance.now() (the default clock) each read allocates a 16-byte heap number: 32 bytes of garbage
   * per timed block (audioHost.test.ts measures both); a worker host passes the allocation-free clock.
   */
  loadEveryBlocks?: number;
  /** The clock blocks are timed on, on performance.now()'s timeline (default performanceClock(); hostClock.ts). */
  clock?: HostClock;
  /**
   * An effect's input (effectSource.ts): filled each period into its own preallocated buffers. Without
   * it an engine with inputs reads the rig's inputs as they are.
   */
  source?: EffectSource;
  /** Rings the engine's inputs and outputs are copied into each period, for snapshots and metrics (signalRing.ts). */
  signals?: { input: SignalRing; output: SignalRing };
  /**
   * The rendering thread's chain of work since it was last idle (the JACK addon's sinceIdle: µs back from now
   * since it was done with its work and since it woke, its CPU time and run delay since, how late it woke, how
   * often it blocked since; −1 unknown). Read for the late-block record only: what of a late block's time was
   * its own work and what the machine's.
   */
  sinceIdle?: (out: Int32Array) => void;
  /**
   * The rendering thread's CPU clock (threadCpuClock.ts), read at each timed block's start: a late block's own work
   * is then bounded by the CPU time since the last block begun before its input arrived, which is tighter than the
   * chain's CPU since the wake-up when the thread never went idle for many periods (it caught up after a hold).
   * Read on the thread that calls processPeriod; absent: the chain's bound alone.
   */
  threadCpu?: ThreadCpuClock;
}

/** Block starts kept with the thread's CPU time then (a late block's input arrived at most this many blocks back). */
const CPU_STAMPS = 32;

/**
 * The audio side of the rig server: one engine block per rig period. Everything is allocated in the
 * constructor; `processPeriod()` allocates nothing, never throws and never waits: commands arrive
 * through `commands` (SPSC), applied-event records leave through `applied` (SPSC), meters and load are
 * plain typed arrays the control side reads.
 *
 * Scheduling: a command without a timestamp takes effect at the first sample of the block being
 * computed when it is drained (the next block after it arrived). A `frame` timestamp is the engine
 * stream frame itself. An `epochMs` timestamp t maps to frame (t − offsetMs)·fs/1000 + scheduleAhead,
 * where offsetMs comes from (callback epoch ms − frameIndex·1000/fs), whose lower envelope is the best
 * estimate because callbacks are late, never early: over a 512-period window, each sample carried to now
 * along the stream's drift (a stream that slips against the wall clock, or a JACK dummy driver losing
 * cycles on a saturated machine, measured here at 30 % slow), and restarted after a step of the stream
 * clock (StreamClockEstimate). A timestamp before the
 * current block is late: counted, applied at sample 0 of this block.
 *
 * Input cannot starve or deafen it: at most `maxDrainPerPeriod` commands are taken from the ring per
 * period; the pending list is a heap (O(log n) per command, pendingEvents.ts) and drops the newest when
 * full (an Applied record with Outcome.DroppedPendingFull tells the control side); and panic does not
 * queue at all — `requestPanic()` raises a flag the next period reads first: it discards every
 * command queued or pending before the panic (Outcome.FlushedByPanic) and silences the engine at
 * sample 0 of that period, however full the queues are.
 */
export class AudioHost extends HostShared {
  readonly engine: Engine;
  readonly loadEveryBlocks: number;
  private readonly outputs: Float32Array[];
  private readonly noInputs: Float32Array[];
  private readonly blockEvents: EngineEvent[];
  private readonly pending: PendingEvents;
  private readonly maxDrainPerPeriod: number;
  private panicsSeen = 0;
  private readonly scratch = new Float64Array(Cmd.SLOTS);
  private readonly appliedScratch = new Float64Array(Applied.SLOTS);
  /** The host → stream clock map, from (callback epoch ms − frame time) of the last OFFSET_WINDOW_PERIODS periods. */
  private readonly clockMap = new StreamClockEstimate(OFFSET_WINDOW_PERIODS);
  /** Doubles passed between methods through a typed array: a double argument is boxed (16 bytes). */
  private readonly blockHostTimeMs = new Float64Array(1);
  /** The applied frame report() sends (a typed array for the same reason: a frame past 2^31 is not a small integer). */
  private readonly reportFrame = new Float64Array(1);
  private readonly clock: HostClock;
  /** A LateBlocks record being written: [outputFrame, startLagMs, blockMs, marginMs, ownMs, heldMs, waitedMs]. */
  private readonly lateRecord = new Float64Array(7);
  private readonly pendingCapacity: number;
  private readonly source: EffectSource | undefined;
  private readonly signals: { input: SignalRing; output: SignalRing } | undefined;
  private readonly sinceIdle: ((out: Int32Array) => void) | undefined;
  private readonly idle = new Int32Array(6);
  private readonly threadCpu: ThreadCpuClock;
  /** The last CPU_STAMPS timed blocks' [start (host ms), thread CPU then (ms)], a ring (NaN: none yet). */
  private readonly cpuStamps = new Float64Array(2 * CPU_STAMPS).fill(Number.NaN);
  private cpuStampNext = 0;
  /** idleSplit's times [block end, input cycle start, block start] (ms), handed over in a typed array: a fractional double argument is boxed. */
  private readonly splitTimes = new Float64Array(3);

  constructor(options: AudioHostOptions) {
    super(options.shared ?? createHostSharedBuffers(options.engine.numOutputs, options.meterPeriods));
    this.engine = options.engine;
    this.setTiming(options.sampleRate, options.periodFrames, options.scheduleAheadFrames ?? 2 * options.periodFrames, options.timeOriginMs);
    this.pendingCapacity = options.pendingCapacity ?? 4096;
    this.maxDrainPerPeriod = options.maxDrainPerPeriod ?? 512;
    this.loadEveryBlocks = options.loadEveryBlocks ?? 1;
    this.clock = options.clock ?? performanceClock();
    this.source = options.source;
    this.signals = options.signals;
    this.sinceIdle = options.sinceIdle;
    this.threadCpu = options.threadCpu ?? unknownThreadCpu();
    this.engine.prepare({ sampleRate: options.sampleRate, maxBlockFrames: options.periodFrames });
    const n = this.engine.numOutputs;
    this.outputs = Array.from({ length: n }, () => new Float32Array(options.periodFrames));
    this.noInputs = Array.from({ length: this.engine.numInputs }, () => new Float32Array(options.periodFrames));
    this.blockEvents = Array.from({ length: this.pendingCapacity + 1 }, makeEvent);
    this.pending = new PendingEvents(this.pendingCapacity, Cmd.SLOTS);
  }

  /** The rig callback. */
  processPeriod(p: RigPeriod): void {
    const timed = this.loadEveryBlocks > 0 && this.s[H.blocks] % this.loadEveryBlocks === 0;
    const clock = this.clock;
    let t0 = 0;
    if (timed) {
      clock.read();
      t0 = clock.ms[0];
      this.threadCpu.read();
      const i = this.cpuStampNext;
      this.cpuStamps[2 * i] = t0;
      this.cpuStamps[2 * i + 1] = this.threadCpu.ms[0];
      this.cpuStampNext = (i + 1) % CPU_STAMPS;
    }
    const frames = p.frames;
    const blockStart = p.frameIndex;
    const epochMs = this.s[H.timeOrigin] + p.hostTimeMs;
    const map = this.clockMap;
    map.cell[0] = epochMs - (blockStart * 1000) / this.s[H.sampleRate];
    map.push();
    this.s[H.offsetMs] = map.cell[0];
    this.s[H.lastFrameIndex] = blockStart;
    this.s[H.lastEpochMs] = epochMs;
    if (p.flags !== 0) this.s[H.flaggedPeriods]++;

    this.blockHostTimeMs[0] = p.hostTimeMs;
    let count = 0;
    if (Atomics.load(this.panicCount, 0) !== this.panicsSeen) count = this.applyPanic(blockStart);
    this.drainCommands(blockStart);
    count = this.collectBlockEvents(blockStart, frames, count);
    this.s[H.pendingEvents] = this.pending.size;
    const outs = this.outputs;
    const ins = this.engine.numInputs === 0 ? this.noInputs
      : this.source !== undefined ? this.source.fill(p.inputs, frames) : (p.inputs as Float32Array[]);
    try {
      this.engine.process(ins, outs, frames, this.blockEvents, count);
    } catch {
      this.s[H.engineErrors]++;
      for (const o of outs) o.fill(0);
    }
    const n = Math.min(outs.length, p.outputs.length);
    for (let k = 0; k < outs.length; k++) this.meters.copyAndMeasure(k, outs[k], k < n ? p.outputs[k] : outs[k], frames);
    this.meters.endPeriod(frames);
    if (this.signals !== undefined) {
      this.signals.input.write(ins, frames);
      this.signals.output.write(outs, frames);
    }
    if (timed) {
      clock.read();
      const t1 = clock.ms[0];
      const periodMs = (frames * 1000) / this.s[H.sampleRate];
      const load = (t1 - t0) / periodMs;
      // Due at the cycle of its output frame: its input cycle's start plus the buffering between them.
      const marginMs = p.hostTimeMs + ((p.outputFrameIndex - blockStart) * 1000) / this.s[H.sampleRate] - t1;
      if (marginMs < periodMs / 2) {
        const r = this.lateRecord;
        r[0] = p.outputFrameIndex;
        r[1] = t0 - p.hostTimeMs;
        r[2] = t1 - t0;
        r[3] = marginMs;
        this.splitTimes[0] = t1;
        this.splitTimes[1] = p.hostTimeMs;
        this.splitTimes[2] = t0;
        this.idleSplit(r);
        this.lateBlocks.push(r);
      }
      this.s[H.loadLast] = load;
      this.s[H.loadSum] += load;
      this.s[H.timedBlocks]++;
      // The maximum and the count without a branch: a branch the warm-up never took (it may have no overloaded
      // block, nor a new maximum after its first) deoptimised processPeriod when first taken live ("Insufficient type
      // feedback" at these lines in V8's log, 50–70 ms into a jack-native stream).
      this.s[H.loadMax] = Math.max(this.s[H.loadMax], load);
      this.s[H.overloadedBlocks] += load > 1 ? 1 : 0;
    }
    this.s[H.blocks]++;
  }

  /**
   * A late block's time split (LateBlock.ownMs, heldMs, waitedMs; NaN where not measured) into r[4..6], from the
   * rendering thread's chain since it was last idle. Its own work since the block's input arrived (splitTimes) is
   * at most the time from the input to when it was done with earlier work (if it was still busy then) plus its CPU
   * time since the wake-up — a render delay's sleep is neither (the cushion already leaves it out) — and at most its
   * CPU time since the last block it began before the input arrived (threadCpu; the lower of the two bounds is
   * kept); the machine held it for the late wake-up plus its run delay since; the rest of the time since the
   * wake-up, if it blocked at all, it waited on something other than a cycle.
   */
  private idleSplit(r: Float64Array): void {
    const nowMs = this.splitTimes[0];
    const inputMs = this.splitTimes[1];
    const v = this.idle;
    v.fill(-1);
    if (this.sinceIdle !== undefined) this.sinceIdle(v);
    // Every reading computed whether the chain is known or not, and no branch left out: a path first taken
    // live deoptimises processPeriod, which inlines this (the warm-up's chains are unknown, the live ones not).
    // Still busy when the input arrived (done after it): that tail of the previous chain may all be its own.
    r[4] = Math.max(0, nowMs - v[0] / 1000 - inputMs) + v[2] / 1000;
    r[5] = (v[4] + v[3]) / 1000;
    // Neither running nor held, and it blocked (a voluntary switch): waiting on something. Never blocked, that
    // time was the machine's too (a vCPU the hypervisor took while it ran counts as neither CPU nor delay).
    r[6] = Math.max(0, (v[1] - v[2] - v[3]) / 1000) * (v[5] > 0 ? 1 : 0);
    // Unknown (−1 in any field, where the sign bit of their OR is set): no reading.
    if ((v[0] | v[1] | v[2] | v[3] | v[4] | v[5]) < 0) r[4] = r[5] = r[6] = NaN;
    // The CPU time since the latest block start at or before the input, this block's own left out (an input whose
    // mapped time falls after the block began would otherwise leave out the work before it): all the thread did
    // after the input is in it. NaN (no stamp that old, no CPU clock) leaves the chain's bound.
    const startMs = this.splitTimes[2];
    const stamps = this.cpuStamps;
    let fromMs = -Infinity;
    let fromCpuMs = NaN;
    for (let k = 0; k < CPU_STAMPS; k++) {
      const t = stamps[2 * k];
      const cpuMs = stamps[2 * k + 1];
      // Each comparison made every time (no short circuit): one first made live has no type feedback and
      // deoptimised processPeriod, which inlines this (V8's log: "Insufficient type feedback for compare
      // operation" here, 0.9 s into a jack-native stream, where the warm-up's stamps never passed the first test).
      const atOrBeforeInput = t <= inputMs;
      const beforeStart = t < startMs;
      const latest = t > fromMs;
      if (atOrBeforeInput && beforeStart && latest) {
        fromMs = t;
        fromCpuMs = cpuMs;
      }
    }
    this.threadCpu.read();
    const sinceInputMs = this.threadCpu.ms[0] - fromCpuMs;
    // Not a branch on the chain being known (the warm-up's are not): the lower bound by Math.min, where NaN stays NaN
    // (an unknown chain, never excused) and a CPU reading that is not one (NaN) counts as no bound.
    r[4] = Math.min(r[4], sinceInputMs >= 0 ? sinceInputMs : Infinity);
  }

  private drainCommands(blockStart: number): void {
    const rec = this.scratch;
    for (let taken = 0; taken < this.maxDrainPerPeriod && this.commands.pop(rec); taken++) {
      const tk = rec[Cmd.timeKind];
      const target = tk === TimeKind.Frame ? Math.floor(rec[Cmd.time])
        : tk === TimeKind.EpochMs ? Math.round(((rec[Cmd.time] - this.s[H.offsetMs]) * this.s[H.sampleRate]) / 1000) + this.s[H.scheduleAheadFrames]
        : blockStart;
      rec[Cmd.time] = tk === TimeKind.None ? -1 : target;
      if (!this.pending.push(rec, target)) {
        this.s[H.queueFull]++;
        this.reportFrame[0] = NaN;
        this.report(rec, false, Outcome.DroppedPendingFull);
      }
    }
  }

  /** The panic flag was raised: discard what came before it, silence the engine at sample 0. */
  private applyPanic(blockStart: number): number {
    this.panicsSeen = Atomics.load(this.panicCount, 0);
    const panicId = this.panicLogId[0];
    const rec = this.scratch;
    // Commands still in the ring that were submitted before the panic (the ring is in log-id order).
    while (this.commands.size > 0 && this.commands.peekSlot(Cmd.logId) < panicId && this.commands.pop(rec)) {
      this.s[H.flushedByPanic]++;
      this.reportFrame[0] = NaN;
      this.report(rec, false, Outcome.FlushedByPanic);
    }
    for (let i = 0; i < this.pending.size; i++) {
      this.pending.recordAt(i, rec);
      this.s[H.flushedByPanic]++;
      this.reportFrame[0] = NaN;
      this.report(rec, false, Outcome.FlushedByPanic);
    }
    this.pending.clear();
    const ev = this.blockEvents[0];
    ev.kind = EventKind.Panic;
    ev.offsetFrames = 0;
    ev.channel = 0; ev.note = 0; ev.value = 0; ev.paramIndex = 0;
    rec[Cmd.logId] = panicId;
    rec[Cmd.time] = -1;
    this.reportFrame[0] = blockStart;
    this.report(rec, false, Outcome.Applied);
    this.s[H.panicsApplied]++;
    return 1;
  }

  /** Sends the control side the fate of one command (the record's logId and requested frame), applied at reportFrame[0] (NaN: not applied). */
  private report(rec: Float64Array, late: boolean, outcome: number): void {
    const a = this.appliedScratch;
    a[Applied.logId] = rec[Cmd.logId];
    a[Applied.appliedFrame] = this.reportFrame[0];
    a[Applied.requestedFrame] = rec[Cmd.time];
    a[Applied.late] = late ? 1 : 0;
    a[Applied.blockHostTimeMs] = this.blockHostTimeMs[0];
    a[Applied.clockOffsetMs] = this.s[H.offsetMs];
    a[Applied.outcome] = outcome;
    if (!this.applied.push(a)) this.s[H.appliedLost]++;
  }

  private collectBlockEvents(blockStart: number, frames: number, first: number): number {
    let count = first;
    const end = blockStart + frames;
    const rec = this.scratch;
    while (count < this.blockEvents.length && this.pending.earliestTarget < end) {
      const target = this.pending.popInto(rec);
      const late = target < blockStart;
      const offset = late ? 0 : target - blockStart;
      if (late) this.s[H.lateEvents]++;
      const ev = this.blockEvents[count];
      ev.kind = rec[Cmd.kind] as EventKind;
      ev.offsetFrames = offset;
      ev.channel = rec[Cmd.channel];
      ev.note = rec[Cmd.note];
      ev.value = rec[Cmd.value];
      ev.paramIndex = rec[Cmd.paramIndex];
      this.reportFrame[0] = blockStart + offset;
      this.report(rec, late, Outcome.Applied);
      count++;
    }
    return count;
  }

}
