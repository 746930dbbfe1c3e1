import type { Engine } from '../engine/engine.ts';
import { type EngineEvent, type EventKind, makeEvent } from '../engine/events.ts';
import type { RigPeriod } from './audioRig.ts';
import { Applied, Cmd, HostShared, type HostSharedBuffers, HostSlot as H, createHostSharedBuffers } from './hostShared.ts';

export { Applied, Cmd };
export const TimeKind = { None: 0, Frame: 1, EpochMs: 2 } as const;
/** Window of the host → stream clock map: 512 periods (1.4 s at 128 frames / 48 kHz). */
export const OFFSET_WINDOW_PERIODS = 512;

export interface AudioHostOptions {
  engine: Engine;
  sampleRate: number;
  periodFrames: number;
  /** Margin added to wall-clock timestamps mapped to the stream clock (default 2 periods). */
  scheduleAheadFrames?: number;
  /** Events waiting for their frame (default 4096). */
  pendingCapacity?: number;
  /**
   * Time the engine on one block in N (default 1 = every block; 0 = never). In Node 20 each
   * performance.now() allocates a 16-byte heap number, so timing costs 32 bytes of garbage per timed
   * block — the only allocation on the audio side (audioHost.test.ts measures both).
   */
  loadEveryBlocks?: number;
  /** The state shared with the control side (default: new buffers; a worker host gets its control side's). */
  shared?: HostSharedBuffers;
  /** performance.timeOrigin of the thread whose performance.now() the periods' hostTimeMs use (default: this thread's). */
  timeOriginMs?: number;
}

/**
 * The audio side of the rig server: one engine block per rig period. Everything is allocated in the
 * constructor; `processPeriod()` allocates nothing, never throws and never waits: commands arrive
 * through `commands` (SPSC), applied-event records leave through `applied` (SPSC), meters and load are
 * plain typed arrays the control side reads.
 *
 * Scheduling: a command without a timestamp takes effect at the first sample of the block being
 * computed when it is drained (the next block after it arrived). A `frame` timestamp is the engine
 * stream frame itself. An `epochMs` timestamp t maps to frame (t − offsetMs)·fs/1000 + scheduleAhead,
 * where offsetMs comes from (callback epoch ms − frameIndex·1000/fs), whose minimum is the best
 * estimate because callbacks are late, never early: the minimum over the newer half of a 512-period
 * window, plus its rise since the older half (a stream that slips against the wall clock: drift, or a
 * JACK dummy driver losing cycles on a saturated machine, measured here at 30 % slow). A timestamp before the
 * current block is late: counted, applied at sample 0 of this block.
 *
 * Counters, meters, load and clock live in HostShared (SharedArrayBuffers): the control side reads
 * them from this object in the same thread, or through its own HostShared view when this host runs
 * in a worker (hostWorker.ts).
 */
export class AudioHost extends HostShared {
  readonly engine: Engine;
  readonly periodFrames: number;
  readonly loadEveryBlocks: number;

  private readonly outputs: Float32Array[];
  private readonly noInputs: Float32Array[];
  private readonly blockEvents: EngineEvent[];
  private readonly pending: Float64Array;
  private readonly pendingTarget: Float64Array;
  private pendingCount = 0;
  private readonly scratch = new Float64Array(Cmd.SLOTS);
  private readonly appliedScratch = new Float64Array(Applied.SLOTS);
  /** (callback epoch ms − frame time) of the last OFFSET_WINDOW_PERIODS periods. */
  private readonly offsetWindow = new Float64Array(OFFSET_WINDOW_PERIODS);
  /** Doubles passed between methods through a typed array: a double argument is boxed (16 bytes). */
  private readonly blockHostTimeMs = new Float64Array(1);
  private readonly pendingCapacity: number;

  constructor(options: AudioHostOptions) {
    super(options.shared ?? createHostSharedBuffers(options.engine.numOutputs));
    this.engine = options.engine;
    this.setTiming(options.sampleRate, options.scheduleAheadFrames ?? 2 * options.periodFrames);
    this.timeOrigin = options.timeOriginMs ?? performance.timeOrigin;
    this.offsetMs = Number.NaN;
    this.lastFrameIndex = -1;
    this.periodFrames = options.periodFrames;
    this.pendingCapacity = options.pendingCapacity ?? 4096;
    this.loadEveryBlocks = options.loadEveryBlocks ?? 1;
    this.engine.prepare({ sampleRate: options.sampleRate, maxBlockFrames: options.periodFrames });
    const n = this.engine.numOutputs;
    this.outputs = Array.from({ length: n }, () => new Float32Array(options.periodFrames));
    this.noInputs = Array.from({ length: this.engine.numInputs }, () => new Float32Array(options.periodFrames));
    this.blockEvents = Array.from({ length: this.pendingCapacity }, makeEvent);
    this.pending = new Float64Array(this.pendingCapacity * Cmd.SLOTS);
    this.pendingTarget = new Float64Array(this.pendingCapacity);
  }

  /** The rig callback. */
  processPeriod(p: RigPeriod): void {
    const timed = this.loadEveryBlocks > 0 && this.s[H.blocks] % this.loadEveryBlocks === 0;
    const t0 = timed ? performance.now() : 0;
    const frames = p.frames;
    const blockStart = p.frameIndex;
    const epochMs = this.s[H.timeOrigin] + p.hostTimeMs;
    const sample = epochMs - (blockStart * 1000) / this.s[H.sampleRate];
    const w = this.offsetWindow;
    const half = w.length >> 1;
    w[this.s[H.blocks] % w.length] = sample;
    // Minimum of the newer and of the older half-window (by age); with both, extrapolate the slope.
    let newer = sample;
    let older = Infinity;
    for (let age = 1; age < w.length && age <= this.s[H.blocks]; age++) {
      const v = w[(this.s[H.blocks] - age) % w.length];
      if (age < half) { if (v < newer) newer = v; } else if (v < older) older = v;
    }
    this.s[H.offsetMs] = older === Infinity ? newer : newer + Math.max(0, newer - older);
    this.s[H.lastFrameIndex] = blockStart;
    this.s[H.lastEpochMs] = epochMs;
    if (p.flags !== 0) this.s[H.flaggedPeriods]++;

    this.drainCommands(blockStart);
    this.blockHostTimeMs[0] = p.hostTimeMs;
    const count = this.collectBlockEvents(blockStart, frames);
    const outs = this.outputs;
    try {
      const ins = this.engine.numInputs === 0 ? this.noInputs : (p.inputs as Float32Array[]);
      this.engine.process(ins, outs, frames, this.blockEvents, count);
    } catch {
      this.s[H.engineErrors]++;
      for (const o of outs) o.fill(0);
    }
    const n = Math.min(outs.length, p.outputs.length);
    for (let k = 0; k < n; k++) {
      const src = outs[k];
      const dst = p.outputs[k];
      let pk = this.peak[k];
      let ss = 0;
      for (let j = 0; j < frames; j++) {
        const v = src[j];
        dst[j] = v;
        const a = v < 0 ? -v : v;
        if (a > pk) pk = a;
        ss += v * v;
      }
      this.peak[k] = pk;
      this.sumSquares[k] += ss;
    }
    this.s[H.meterFrames] += frames;
    if (timed) {
      const load = (performance.now() - t0) / ((frames * 1000) / this.s[H.sampleRate]);
      this.s[H.loadLast] = load;
      this.s[H.loadSum] += load;
      this.s[H.timedBlocks]++;
      if (load > this.s[H.loadMax]) this.s[H.loadMax] = load;
      if (load > 1) this.s[H.overloadedBlocks]++;
    }
    this.s[H.blocks]++;
  }

  private drainCommands(blockStart: number): void {
    const rec = this.scratch;
    while (this.pendingCount < this.pendingCapacity && this.commands.pop(rec)) {
      const tk = rec[Cmd.timeKind];
      const target = tk === TimeKind.Frame ? Math.floor(rec[Cmd.time])
        : tk === TimeKind.EpochMs ? Math.round(((rec[Cmd.time] - this.s[H.offsetMs]) * this.s[H.sampleRate]) / 1000) + this.s[H.scheduleAheadFrames]
        : blockStart;
      rec[Cmd.time] = tk === TimeKind.None ? -1 : target;
      // Insertion keeps `pending` sorted by target frame, stable for equal targets.
      let i = this.pendingCount;
      while (i > 0 && this.pendingTarget[i - 1] > target) {
        this.pendingTarget[i] = this.pendingTarget[i - 1];
        this.pending.copyWithin(i * Cmd.SLOTS, (i - 1) * Cmd.SLOTS, i * Cmd.SLOTS);
        i--;
      }
      this.pendingTarget[i] = target;
      this.pending.set(rec, i * Cmd.SLOTS);
      this.pendingCount++;
    }
    if (this.pendingCount >= this.pendingCapacity && this.commands.size > 0) this.s[H.queueFull]++;
    this.s[H.pendingEvents] = this.pendingCount;
  }

  private collectBlockEvents(blockStart: number, frames: number): number {
    let count = 0;
    const end = blockStart + frames;
    while (count < this.pendingCount && this.pendingTarget[count] < end) {
      const base = count * Cmd.SLOTS;
      const target = this.pendingTarget[count];
      const late = target < blockStart;
      const offset = late ? 0 : target - blockStart;
      if (late) this.s[H.lateEvents]++;
      const ev = this.blockEvents[count];
      ev.kind = this.pending[base + Cmd.kind] as EventKind;
      ev.offsetFrames = offset;
      ev.channel = this.pending[base + Cmd.channel];
      ev.note = this.pending[base + Cmd.note];
      ev.value = this.pending[base + Cmd.value];
      ev.paramIndex = this.pending[base + Cmd.paramIndex];
      const a = this.appliedScratch;
      a[Applied.logId] = this.pending[base + Cmd.logId];
      a[Applied.appliedFrame] = blockStart + offset;
      a[Applied.requestedFrame] = this.pending[base + Cmd.time];
      a[Applied.late] = late ? 1 : 0;
      a[Applied.blockHostTimeMs] = this.blockHostTimeMs[0];
      a[Applied.clockOffsetMs] = this.s[H.offsetMs];
      if (!this.applied.push(a)) this.s[H.appliedLost]++;
      count++;
    }
    if (count > 0) {
      // Late events were taken first with offset 0; the rest are already in order.
      this.pendingTarget.copyWithin(0, count, this.pendingCount);
      this.pending.copyWithin(0, count * Cmd.SLOTS, this.pendingCount * Cmd.SLOTS);
      this.pendingCount -= count;
      this.s[H.pendingEvents] = this.pendingCount;
    }
    return count;
  }
}
