import type { Engine } from '../engine/engine.ts';
import { EventKind } from '../engine/events.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import type { AudioRig, RigPeriod } from './audioRig.ts';
import { Applied, Cmd, TimeKind } from './audioHost.ts';
import type { EngineSpec } from './engineSpec.ts';
import { type HostRunner, hostRunnerFor } from './hostRunner.ts';
import type { HostShared } from './hostShared.ts';
import { type EventRow, commandEventRows } from './commandEvents.ts';
import { type EventLogEntry, EventLog, type EventSource } from './eventLog.ts';
import { MidiStream } from './midiStream.ts';
import { type ServerCounts, type ServerStatus, dbOrNull, zeroCounts } from './serverStatus.ts';
import { type Transport, startMidiTransport, startOscTransport, startSocketTransport } from './transports.ts';

export interface RigServerOptions {
  rig: AudioRig;
  engine: Engine;
  /**
   * The same engine as data. With it, a rig whose callback never waits (RingRig: the native JACK
   * client) runs the engine in a worker thread (WorkerHostRunner); without it, or on any other rig, the
   * engine runs in the rig callback on this thread (InThreadHostRunner).
   */
  engineSpec?: EngineSpec;
  /** UDP OSC listener; false = none. Default 127.0.0.1:9000 (port 0 = any free port). */
  osc?: { host?: string; port?: number } | false;
  /** Unix-domain socket path for IPC frames; false = none. */
  socketPath?: string | false;
  /** MIDI input port name (substring) or true for the first port; failure is logged, not fatal. */
  midi?: string | boolean;
  /** Margin for wall-clock timestamps (frames; default 2 periods). */
  scheduleAheadFrames?: number;
  /** One line per noteworthy thing (bad input with its source, transport state). Default: stderr. */
  log?: (line: string) => void;
  eventLogCapacity?: number;
  /**
   * Called in the audio callback after the engine filled the outputs: the measurement's tap to record
   * what the rig captured (p.inputs) and what the engine played (p.outputs), at p.frameIndex. It runs on
   * the audio path: copy into preallocated buffers and return; never throw. With a worker host it runs
   * on this thread shortly after the period (drained from a tap ring): outputs are then read-only.
   */
  onPeriod?: (p: RigPeriod) => void;
}

/**
 * The device under test: the haptic engine in real time on a rig, fed by OSC, the IPC socket and MIDI.
 *
 * Threading (HostRunner, a strategy chosen once from the rig): on naudiodon rigs and the virtual rig the
 * engine runs in the rig callback on this thread (naudiodon never runs JavaScript in PortAudio's
 * callback but waits for it: its queues are the only slack). On the native JACK client (a RingRig) the
 * engine runs in a worker that renders ahead of a callback that never waits (src/host/jack/). Either
 * way transports decode on this thread and hand commands over through a SharedArrayBuffer SPSC ring
 * (recordRing.ts) of fixed records; applied-event records come back through a second ring; counters,
 * meters and the clock map are read from shared memory (HostShared).
 */
export class RigServer {
  readonly rig: AudioRig;
  /** Where the engine runs (this thread or a worker): see HostRunner. */
  readonly runner: HostRunner;
  /** The audio side's shared state: command/applied rings, counters, meters, clock. */
  readonly host: HostShared;
  readonly counts: ServerCounts = zeroCounts();
  private readonly log: (line: string) => void;
  private readonly events: EventLog;
  private readonly transports: Transport[] = [];
  private readonly record = new Float64Array(Cmd.SLOTS);
  private readonly appliedRecord = new Float64Array(Applied.SLOTS);
  private drainTimer: NodeJS.Timeout | undefined;
  private running = false;
  private logBudget = 50;
  private logBudgetTimer: NodeJS.Timeout | undefined;
  private suppressed = 0;

  constructor(readonly options: RigServerOptions) {
    this.rig = options.rig;
    this.log = options.log ?? ((line) => process.stderr.write(`rig serve: ${line}\n`));
    this.events = new EventLog(options.eventLogCapacity);
    this.runner = hostRunnerFor({
      rig: options.rig, engine: options.engine, engineSpec: options.engineSpec, scheduleAheadFrames: options.scheduleAheadFrames, onPeriod: options.onPeriod,
    });
    this.host = this.runner.shared;
  }

  /** The event log, drained of applied records first. */
  get eventLog(): EventLog {
    this.drainApplied();
    return this.events;
  }

  async start(): Promise<void> {
    const o = this.options;
    try {
      if (o.osc !== false) this.transports.push(await startOscTransport(this, o.osc?.host ?? '127.0.0.1', o.osc?.port ?? 9000));
      if (o.socketPath) this.transports.push(await startSocketTransport(this, o.socketPath));
      if (o.midi) {
        const midi = startMidiTransport(this, o.midi === true ? undefined : o.midi);
        if (midi) this.transports.push(midi);
      }
      await this.runner.start();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.running = true;
    this.drainTimer = setInterval(() => this.drainApplied(), 20);
    this.logBudgetTimer = setInterval(() => {
      if (this.suppressed > 0) this.log(`(${this.suppressed} more log lines suppressed in the last second)`);
      this.suppressed = 0;
      this.logBudget = 50;
    }, 1000);
  }

  /** Stops the rig, closes every transport (removing the socket file). Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.drainTimer);
    clearInterval(this.logBudgetTimer);
    await this.runner.stop();
    for (const t of this.transports.splice(0)) await t.close();
    this.drainApplied();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Where the transports listen (OSC "host:port", socket path, MIDI port). */
  get listening(): ServerStatus['listening'] {
    const find = (k: Transport['kind']) => this.transports.find((t) => t.kind === k)?.address ?? null;
    return { osc: find('osc'), socket: find('socket'), midi: find('midi') };
  }

  /**
   * Accepts one decoded command from any transport (or in-process). Returns the event-log entry, or
   * undefined when the command was rejected (counted and logged) or was a status request.
   */
  submit(cmd: ControlCommand, source: EventSource = 'api', peer = 'api', midi?: MidiStream): EventLogEntry | undefined {
    const arrivalEpochMs = performance.timeOrigin + performance.now();
    if (cmd.type === 'status') return undefined;
    if (cmd.type === 'midi') {
      const stream = midi ?? new MidiStream(`${source} ${peer}`);
      const before = stream.errors;
      let last: EventLogEntry | undefined;
      stream.decode(cmd.bytes, (e) => {
        last = this.enqueue(`midi:${kindName(e.kind)}`, [[e.kind, e.channel, e.note, e.value, 0]], cmd, source, peer, arrivalEpochMs);
      });
      if (stream.errors > before) {
        this.counts.malformedMidi += stream.errors - before;
        this.report(source, peer, `invalid MIDI: ${stream.lastError}`);
      }
      return last;
    }
    const rows = commandEventRows(cmd, this.runner.paramNames);
    if (typeof rows === 'string') {
      this.counts.unknownParams++;
      if (source === 'osc') this.counts.unknownOscAddresses++;
      this.report(source, peer, rows);
      return undefined;
    }
    if (rows.length === 0) return undefined;
    return this.enqueue(cmd.type, rows, cmd, source, peer, arrivalEpochMs);
  }

  /** Counts and logs one piece of bad input; the server keeps serving. */
  report(source: string, peer: string, message: string): void {
    if (this.logBudget-- > 0) this.log(`${source} ${peer}: ${message}`);
    else this.suppressed++;
  }

  status(): ServerStatus {
    this.drainApplied();
    const h = this.host;
    const s = this.rig.stats;
    this.counts.underruns = s.flaggedPeriods;
    this.counts.backendMessages = s.backendMessages;
    this.counts.serverXruns = s.serverXruns;
    this.counts.lateEvents = h.lateEvents;
    this.counts.overloadedBlocks = h.overloadedBlocks;
    this.counts.engineErrors = h.engineErrors;
    this.counts.appliedLost = h.appliedLost;
    this.counts.queueFull += h.queueFull;
    h.queueFull = 0;
    const frames = Math.max(1, h.meterFrames);
    const levels = {
      peakDbfs: Array.from(h.peak, dbOrNull),
      rmsDbfs: Array.from(h.sumSquares, (ss) => dbOrNull(Math.sqrt(ss / frames))),
      frames: h.meterFrames,
    };
    h.peak.fill(0);
    h.sumSquares.fill(0);
    h.meterFrames = 0;
    return {
      version: 1,
      rig: { name: this.rig.name, kind: this.rig.kind, sampleRate: this.rig.sampleRate, periodFrames: this.rig.periodFrames, streamBufferingFrames: this.rig.streamBufferingFrames },
      engine: this.runner.engineName,
      clock: { frameIndex: h.lastFrameIndex, epochMs: h.lastEpochMs, offsetMs: h.offsetMs, scheduleAheadFrames: h.scheduleAheadFrames },
      levels,
      engineStatus: this.runner.engineStatus(),
      engineStats: this.runner.engineStats(),
      load: { lastBlock: h.loadLast, meanBlock: h.timedBlocks ? h.loadSum / h.timedBlocks : 0, maxBlock: h.loadMax, blocks: h.blocks },
      pendingEvents: h.pendingEvents,
      counts: { ...this.counts },
      clients: { socket: this.transports.reduce((n, t) => n + (t.clients ?? 0), 0) },
      listening: this.listening,
    };
  }

  private enqueue(type: string, rows: readonly EventRow[], cmd: ControlCommand, source: EventSource, peer: string, arrivalEpochMs: number): EventLogEntry | undefined {
    if (this.host.commands.capacity - this.host.commands.size < rows.length) {
      this.counts.queueFull++;
      this.report(source, peer, 'command queue full, command dropped');
      return undefined;
    }
    const t = cmd.timestamp;
    const first = rows[0];
    const requested = t ? (t.kind === 'frame' ? Math.floor(t.frame) : this.host.frameForEpochMs(t.epochMs)) : null;
    const entry = this.events.add({
      source, peer, seq: cmd.seq ?? 0, type, channel: first[1], note: first[2], value: first[3],
      arrivalEpochMs, arrivalFrame: this.host.frameForEpochMs(arrivalEpochMs) - this.host.scheduleAheadFrames,
      timestamp: t, requestedFrame: requested, appliedFrame: null, late: false, appliedHostTimeMs: null, clockOffsetMs: null,
    });
    const r = this.record;
    for (const row of rows) {
      r[Cmd.kind] = row[0];
      r[Cmd.channel] = row[1];
      r[Cmd.note] = row[2];
      r[Cmd.value] = row[3];
      r[Cmd.paramIndex] = row[4];
      r[Cmd.timeKind] = t ? (t.kind === 'frame' ? TimeKind.Frame : TimeKind.EpochMs) : TimeKind.None;
      r[Cmd.time] = t ? (t.kind === 'frame' ? t.frame : t.epochMs) : 0;
      r[Cmd.logId] = entry.id;
      this.host.commands.push(r);
    }
    this.counts.commands++;
    return entry;
  }

  private drainApplied(): void {
    const a = this.appliedRecord;
    while (this.host.applied.pop(a)) {
      this.counts.applied++;
      this.events.markApplied(a[Applied.logId], a[Applied.appliedFrame], a[Applied.requestedFrame], a[Applied.late] === 1, a[Applied.blockHostTimeMs], a[Applied.clockOffsetMs]);
    }
  }
}

function kindName(kind: number): string {
  return Object.entries(EventKind).find(([, v]) => v === kind)?.[0] ?? String(kind);
}
