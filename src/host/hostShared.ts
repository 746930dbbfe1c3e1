import { RecordRing } from './recordRing.ts';

/** Command record (control → audio), Float64 slots. */
export const Cmd = { kind: 0, channel: 1, note: 2, value: 3, paramIndex: 4, timeKind: 5, time: 6, logId: 7, SLOTS: 8 } as const;
/** Applied record (audio → control): where a command took effect. */
export const Applied = { logId: 0, appliedFrame: 1, requestedFrame: 2, late: 3, blockHostTimeMs: 4, clockOffsetMs: 5, SLOTS: 6 } as const;
const COMMAND_RECORDS = 8192;
const APPLIED_RECORDS = 16384;

/** Slots of the host's scalar state (Float64): counters, load, clock. */
export const HostSlot = {
  meterFrames: 0, loadLast: 1, timedBlocks: 2, loadMax: 3, loadSum: 4, overloadedBlocks: 5, blocks: 6, lateEvents: 7,
  queueFull: 8, engineErrors: 9, appliedLost: 10, flaggedPeriods: 11, lastFrameIndex: 12, pendingEvents: 13,
  timeOrigin: 14, lastEpochMs: 15, offsetMs: 16, sampleRate: 17, scheduleAheadFrames: 18, SLOTS: 19,
} as const;

/** Everything the control side and the audio side of a host share; all SharedArrayBuffers, so postMessage keeps them shared. */
export interface HostSharedBuffers {
  commands: SharedArrayBuffer;
  applied: SharedArrayBuffer;
  state: SharedArrayBuffer;
  peak: SharedArrayBuffer;
  sumSquares: SharedArrayBuffer;
}

export function createHostSharedBuffers(outputs: number): HostSharedBuffers {
  return {
    commands: new RecordRing(COMMAND_RECORDS, Cmd.SLOTS).buffer,
    applied: new RecordRing(APPLIED_RECORDS, Applied.SLOTS).buffer,
    state: new SharedArrayBuffer(8 * HostSlot.SLOTS),
    peak: new SharedArrayBuffer(8 * Math.max(1, outputs)),
    sumSquares: new SharedArrayBuffer(8 * Math.max(1, outputs)),
  };
}

/**
 * The state of a host's audio side that its control side reads (RigServer.status(), the event log):
 * the command and applied rings, the meters, and counters, load and clock kept in one Float64Array —
 * all over SharedArrayBuffers, so the audio side may run in this thread (AudioHost) or in a worker
 * (hostWorker.ts, read here through `new HostShared(buffers)`). Each counter has one writer (the audio
 * side), except the meters and queueFull, which the control side resets after reading: a reset may
 * lose one period's update, never more. Accessors on a typed array box nothing.
 */
export class HostShared {
  readonly commands: RecordRing;
  readonly applied: RecordRing;
  /** Per engine output: peak |x| and Σx² since the control side last reset them. */
  readonly peak: Float64Array;
  readonly sumSquares: Float64Array;
  /** The scalar state (HostSlot.*): the audio side writes it directly (a setter taking a double may box it when not inlined). */
  protected readonly s: Float64Array;

  constructor(readonly buffers: HostSharedBuffers) {
    this.commands = RecordRing.fromBuffer(buffers.commands, COMMAND_RECORDS, Cmd.SLOTS);
    this.applied = RecordRing.fromBuffer(buffers.applied, APPLIED_RECORDS, Applied.SLOTS);
    this.peak = new Float64Array(buffers.peak);
    this.sumSquares = new Float64Array(buffers.sumSquares);
    this.s = new Float64Array(buffers.state);
  }

  /** Set once by the audio side. */
  protected setTiming(sampleRate: number, scheduleAheadFrames: number): void {
    this.s[HostSlot.sampleRate] = sampleRate;
    this.s[HostSlot.scheduleAheadFrames] = scheduleAheadFrames;
  }

  get sampleRate() { return this.s[HostSlot.sampleRate]; }
  /** Margin added to wall-clock timestamps mapped to the stream clock. */
  get scheduleAheadFrames() { return this.s[HostSlot.scheduleAheadFrames]; }

  /** Stream frame that an epoch-ms time maps to (NaN before the first period). */
  frameForEpochMs(epochMs: number): number {
    return Math.round(((epochMs - this.offsetMs) * this.sampleRate) / 1000) + this.scheduleAheadFrames;
  }

  get meterFrames() { return this.s[HostSlot.meterFrames]; }
  set meterFrames(v: number) { this.s[HostSlot.meterFrames] = v; }
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
