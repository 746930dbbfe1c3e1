import { LateBlocks } from './lateBlocks.ts';
import { MeterHistory } from './meterHistory.ts';
import { RecordRing } from './recordRing.ts';

/** Command record (control → audio), Float64 slots. */
export const Cmd = { kind: 0, channel: 1, note: 2, value: 3, paramIndex: 4, timeKind: 5, time: 6, logId: 7, SLOTS: 8 } as const;
/** Applied record (audio → control): where a command took effect, or why it never will. */
export const Applied = { logId: 0, appliedFrame: 1, requestedFrame: 2, late: 3, blockHostTimeMs: 4, clockOffsetMs: 5, outcome: 6, SLOTS: 7 } as const;
/** What became of a command on the audio side (Applied.outcome). */
export const Outcome = {
  Applied: 0,
  /** The pending list was full when the command was drained: the newest is dropped. */
  DroppedPendingFull: 1,
  /** A panic discarded it (it was still queued or pending when the panic arrived). */
  FlushedByPanic: 2,
} as const;
const COMMAND_RECORDS = 8192;
const APPLIED_RECORDS = 16384;

/** Slots of the host's scalar state (Float64): counters, load, clock. */
export const HostSlot = {
  unused: 0, loadLast: 1, timedBlocks: 2, loadMax: 3, loadSum: 4, overloadedBlocks: 5, blocks: 6, lateEvents: 7,
  queueFull: 8, engineErrors: 9, appliedLost: 10, flaggedPeriods: 11, lastFrameIndex: 12, pendingEvents: 13,
  timeOrigin: 14, lastEpochMs: 15, offsetMs: 16, sampleRate: 17, scheduleAheadFrames: 18, periodFrames: 19,
  flushedByPanic: 20, panicsApplied: 21, SLOTS: 22,
} as const;

/** Everything the control side and the audio side of a host share; all SharedArrayBuffers, so postMessage keeps them shared. */
export interface HostSharedBuffers {
  commands: SharedArrayBuffer;
  applied: SharedArrayBuffer;
  state: SharedArrayBuffer;
  /** The panic flag: Int32 [requests] at byte 0, Float64 [log id of the latest panic] at byte 8. */
  panic: SharedArrayBuffer;
  meters: SharedArrayBuffer;
  meterChannels: number;
  meterPeriods: number;
  /** Blocks that finished late or nearly (lateBlocks.ts). */
  lateBlocks: SharedArrayBuffer;
}

/** Meter history (default 1024 periods: 2.7 s at 128 frames / 48 kHz). */
export function createHostSharedBuffers(outputs: number, meterPeriods = 1024): HostSharedBuffers {
  return {
    commands: new RecordRing(COMMAND_RECORDS, Cmd.SLOTS).buffer,
    applied: new RecordRing(APPLIED_RECORDS, Applied.SLOTS).buffer,
    state: new SharedArrayBuffer(8 * HostSlot.SLOTS),
    panic: new SharedArrayBuffer(16),
    meters: new MeterHistory(outputs, meterPeriods).buffer,
    meterChannels: outputs,
    meterPeriods,
    lateBlocks: LateBlocks.createBuffer(),
  };
}

/**
 * The state of a host's audio side that its control side reads (RigServer.status(), the event log):
 * the command and applied rings, the meters, and counters, load and clock kept in one Float64Array —
 * all over SharedArrayBuffers, so the audio side may run in this thread (AudioHost) or in a worker
 * (hostWorker.ts, read here through `new HostShared(buffers)`). Each counter has one writer (the audio
 * side), except queueFull, which the control side resets after reading: a reset may
 * lose one period's update, never more.
 */
export class HostShared {
  readonly commands: RecordRing;
  readonly applied: RecordRing;
  /** Per engine output and period: peak |x| and Σx², read per client (meterHistory.ts). */
  readonly meters: MeterHistory;
  /** Blocks that finished with less than half a period to spare, or after their deadline (timed blocks only). */
  readonly lateBlocks: LateBlocks;
  /**
   * The panic flag: the control side writes the log id, then increments the count; the audio side
   * compares the count with the one it last handled (AudioHost.applyPanic).
   */
  protected readonly panicCount: Int32Array;
  protected readonly panicLogId: Float64Array;
  /** The scalar state (HostSlot.*): the audio side writes it directly (a setter taking a double may box it when not inlined). */
  protected readonly s: Float64Array;

  constructor(readonly buffers: HostSharedBuffers) {
    this.commands = RecordRing.fromBuffer(buffers.commands, COMMAND_RECORDS, Cmd.SLOTS);
    this.applied = RecordRing.fromBuffer(buffers.applied, APPLIED_RECORDS, Applied.SLOTS);
    this.meters = new MeterHistory(buffers.meterChannels, buffers.meterPeriods, buffers.meters);
    this.lateBlocks = new LateBlocks(buffers.lateBlocks);
    this.panicCount = new Int32Array(buffers.panic, 0, 1);
    this.panicLogId = new Float64Array(buffers.panic, 8, 1);
    this.s = new Float64Array(buffers.state);
  }

  /**
   * The stream's constants and the clock before its first period; set by whichever side creates the
   * state first (AudioHost, or a worker host's control side, which reads them before the worker runs).
   */
  setTiming(sampleRate: number, periodFrames: number, scheduleAheadFrames: number, timeOriginMs: number = performance.timeOrigin): void {
    this.s[HostSlot.sampleRate] = sampleRate;
    this.s[HostSlot.periodFrames] = periodFrames;
    this.s[HostSlot.scheduleAheadFrames] = scheduleAheadFrames;
    this.s[HostSlot.timeOrigin] = timeOriginMs;
    this.s[HostSlot.offsetMs] = Number.NaN;
    this.s[HostSlot.lastFrameIndex] = -1;
  }

  /**
   * Control side: silence at the next period. Commands queued or pending before this one (log id
   * below `logId`) are discarded; the engine gets a Panic event at sample 0 of the next period.
   */
  requestPanic(logId: number): void {
    this.panicLogId[0] = logId;
    Atomics.add(this.panicCount, 0, 1);
  }

  get periodFrames() { return this.s[HostSlot.periodFrames]; }
  /** Commands discarded by panics (queued or pending when the panic arrived). */
  get flushedByPanic() { return this.s[HostSlot.flushedByPanic]; }
  get panicsApplied() { return this.s[HostSlot.panicsApplied]; }

  get sampleRate() { return this.s[HostSlot.sampleRate]; }
  /** Margin added to wall-clock timestamps mapped to the stream clock. */
  get scheduleAheadFrames() { return this.s[HostSlot.scheduleAheadFrames]; }

  /** Stream frame that an epoch-ms time maps to (NaN before the first period). */
  frameForEpochMs(epochMs: number): number {
    return Math.round(((epochMs - this.offsetMs) * this.sampleRate) / 1000) + this.scheduleAheadFrames;
  }

  /** Engine load = (drain + process() + copy) time / period duration, over the timed blocks. */
  get loadLast() { return this.s[HostSlot.loadLast]; }
  set loadLast(v: number) { this.s[HostSlot.loadLast] = v; }
  get timedBlocks() { return this.s[HostSlot.timedBlocks]; }
  set timedBlocks(v: number) { this.s[HostSlot.timedBlocks] = v; }
  get loadMax() { return this.s[HostSlot.loadMax]; }
  set loadMax(v: number) { this.s[HostSlot.loadMax] = v; }
  get loadSum() { return this.s[HostSlot.loadSum]; }
  set loadSum(v: number) { this.s[HostSlot.loadSum] = v; }
  get overloadedBlocks() { return this.s[HostSlot.overloadedBlocks]; }
  set overloadedBlocks(v: number) { this.s[HostSlot.overloadedBlocks] = v; }
  get blocks() { return this.s[HostSlot.blocks]; }
  set blocks(v: number) { this.s[HostSlot.blocks] = v; }
  get lateEvents() { return this.s[HostSlot.lateEvents]; }
  set lateEvents(v: number) { this.s[HostSlot.lateEvents] = v; }
  get queueFull() { return this.s[HostSlot.queueFull]; }
  set queueFull(v: number) { this.s[HostSlot.queueFull] = v; }
  get engineErrors() { return this.s[HostSlot.engineErrors]; }
  set engineErrors(v: number) { this.s[HostSlot.engineErrors] = v; }
  /** Applied records the control side did not drain in time (event log incomplete). */
  get appliedLost() { return this.s[HostSlot.appliedLost]; }
  set appliedLost(v: number) { this.s[HostSlot.appliedLost] = v; }
  get flaggedPeriods() { return this.s[HostSlot.flaggedPeriods]; }
  set flaggedPeriods(v: number) { this.s[HostSlot.flaggedPeriods] = v; }
  get lastFrameIndex() { return this.s[HostSlot.lastFrameIndex]; }
  set lastFrameIndex(v: number) { this.s[HostSlot.lastFrameIndex] = v; }
  get pendingEvents() { return this.s[HostSlot.pendingEvents]; }
  set pendingEvents(v: number) { this.s[HostSlot.pendingEvents] = v; }
  /** performance.timeOrigin of the thread whose performance.now() the periods' hostTimeMs use (the control side's). */
  get timeOrigin() { return this.s[HostSlot.timeOrigin]; }
  set timeOrigin(v: number) { this.s[HostSlot.timeOrigin] = v; }
  /** Wall-clock time (epoch ms) of the latest period's callback. */
  get lastEpochMs() { return this.s[HostSlot.lastEpochMs]; }
  set lastEpochMs(v: number) { this.s[HostSlot.lastEpochMs] = v; }
  /** Lower envelope of (callback epoch ms − frame time ms); NaN until the first period. */
  get offsetMs() { return this.s[HostSlot.offsetMs]; }
  set offsetMs(v: number) { this.s[HostSlot.offsetMs] = v; }
}
