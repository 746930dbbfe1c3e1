import { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { Engine } from '../engine/engine.ts';
import { EventKind } from '../engine/events.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import type { AudioRig, RigPeriod } from './audioRig.ts';
import { Applied, Cmd, Outcome, TimeKind } from './audioHost.ts';
import type { EngineSpec } from './engineSpec.ts';
import { EffectBridge, type OscPeer, type OscSend } from './effectBridge.ts';
import { WorkerHostRunner } from './workerHostRunner.ts';
import { MetricsSubscribers } from './metricsSubscribers.ts';
import type { SourceSpec } from './effectSource.ts';
import { LiveParams } from './liveParams.ts';
import { LivePresets } from './livePresets.ts';
import { SignalRing } from './signalRing.ts';
import { SnapshotWriter } from './snapshotWriter.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';
import { type HostRunner, hostRunnerFor } from './hostRunner.ts';
import { isRingRig } from './ringRig.ts';
import { StructuralChanges, mailboxBuilder, slotBuilder } from './structuralChanges.ts';
import { EngineBuildMailbox } from './engineBuildMailbox.ts';
import { SUBMIT_WARM_UP_ROUNDS, submitWarmUpCommands, warmInputPath } from './inputWarmUp.ts';
import { RecordRing } from './recordRing.ts';
import type { HeapProbeBuffers } from './heapProbe.ts';
import type { HostShared } from './hostShared.ts';
import { type EventRow, commandEventRows } from './commandEvents.ts';
import { type EventLogEntry, EventLog, type EventSource } from './eventLog.ts';
import { escapeForLog } from './logText.ts';
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
  /** Entries the event log keeps (a ring; default 65 536). */
  eventLogCapacity?: number;
  /** A timestamp further ahead than this is refused (counted, answered). Default 2000 ms. */
  timestampHorizonMs?: number;
  /**
   * A timestamp further behind the stream than this is refused; one less late is applied at once and
   * counted late (network jitter). Default 100 ms.
   */
  maxLateMs?: number;
  /**
   * Called in the audio callback after the engine filled the outputs: the measurement's tap to record
   * what the rig captured (p.inputs) and what the engine played (p.outputs), at p.frameIndex. It runs on
   * the audio path: copy into preallocated buffers and return; never throw. With a worker host it runs
   * on this thread shortly after the period (drained from a tap ring): outputs are then read-only.
   */
  onPeriod?: (p: RigPeriod) => void;
  /** An effect's input (effectSource.ts); default the rig's first inputs. Ignored for engines without inputs. */
  source?: SourceSpec;
  /**
   * The OSC bridge of an effect (`/<engine>/…`, effectBridge.ts), for an engine with inputs. Without
   * it the OSC transport speaks the haptic address space (`/haptic/…`).
   */
  effect?: EffectServerOptions;
  /** A worker host counts what its render thread allocates between the probe's marks (heapProbe.ts; tests and diagnostics). */
  heapProbe?: HeapProbeBuffers;
  /** A worker host reports its render loop's tiers at the stream's start and end (renderTiers.ts; tests and diagnostics). */
  tierReport?: boolean;
}

export interface EffectServerOptions {
  /** The engine's registry entry (its schema gives the parameter ranges and validates presets). */
  entry: EngineEntry;
  /** The engine's parameters as it was built (parsed). */
  params: unknown;
  /** Replies and pushes: default 127.0.0.1:9001; 'sender' = back to each datagram's source. */
  replyTo?: OscPeer | 'sender';
  /** Shipped presets folder (workspace presets) and the user's, where saves go. */
  shippedPresetsDir: string;
  userPresetsDir: string;
  /** Where snapshots are written. */
  snapshotsDir: string;
  /** Seconds the input and output rings hold (rounded up to a power of two of frames; default 10: 10.9 s at 48 kHz). */
  ringSeconds?: number;
  /** Length of the crossfade of a structural change, ms (default CROSSFADE_MS, 10). */
  crossfadeMs?: number;
}

/** What the OSC transport needs to run an effect's bridge. */
export interface EffectServerParts {
  options: EffectServerOptions;
  params: LiveParams;
  presets: LivePresets;
  snapshots: SnapshotWriter;
  signals: { input: SignalRing; output: SignalRing };
  subscribers: MetricsSubscribers;
  /**
   * Structural changes (a new engine crossfaded in by the audio side): built on this thread for an
   * in-thread host, by the render thread between its cycles for a worker host (workerEngineBuilds.ts).
   */
  structure: StructuralChanges | undefined;
  /** The bridge: `handle(request, sender)`; its replies go through `server.oscSend` (the OSC transport sets it). */
  bridge: EffectBridge;
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
/** What became of a submitted command: accepted (with its log entry; none for status) or refused, with why. */
export type SubmitResult = { ok: true; entry?: EventLogEntry } | { ok: false; error: string };

/** Status readers whose meter cursors are kept; the least recently used is forgotten past this. */
const MAX_METER_READERS = 64;

export class RigServer {
  readonly rig: AudioRig;
  /** Where the engine runs (this thread or a worker): see HostRunner. */
  readonly runner: HostRunner;
  /** The audio side's shared state: command/applied rings, counters, meters, clock. */
  readonly host: HostShared;
  readonly counts: ServerCounts = zeroCounts();
  private readonly log: (line: string) => void;
  /** The event log, and the audio side's command ring enqueue() stages into: scratch ones while warmSubmitPath() runs. */
  private events: EventLog;
  private commandRing: RecordRing;
  private readonly transports: Transport[] = [];
  private readonly record = new Float64Array(Cmd.SLOTS);
  private readonly appliedRecord = new Float64Array(Applied.SLOTS);
  private drainTimer: NodeJS.Timeout | undefined;
  private running = false;
  private logBudget = 50;
  private logBudgetTimer: NodeJS.Timeout | undefined;
  private suppressed = 0;
  private readonly dropListeners = new Set<(e: EventLogEntry) => void>();
  private lastPanicId = -1;
  /** Meter cursor per status reader (peer), so one client's status never clears another's levels. */
  private readonly meterCursors = new Map<string, number>();
  /** The effect's bridge parts (rings, parameters, presets, snapshots), when serving an effect. */
  readonly effect: EffectServerParts | undefined;
  /**
   * How the effect bridge sends replies and pushes: the OSC transport sets it when it starts (within its
   * reply budget); in-process callers may set their own. Unset, replies are dropped.
   */
  oscSend: OscSend | undefined;

  constructor(readonly options: RigServerOptions) {
    this.rig = options.rig;
    this.log = options.log ?? ((line) => process.stderr.write(`rig serve: ${line}\n`));
    this.events = new EventLog(options.eventLogCapacity);
    const e = options.effect && options.engine.numInputs > 0 ? options.effect : undefined;
    // An effect on the in-thread host runs in a slot that can change engine instance (crossfadeEngine.ts).
    const inWorker = isRingRig(options.rig) && options.engineSpec !== undefined;
    const slot = e && !inWorker ? new CrossfadeEngine(options.engine, { fadeMs: e.crossfadeMs }) : undefined;
    // On a worker host the slot is the worker's, which builds the next engine itself when asked through this mailbox.
    const mailbox = e && inWorker && options.engineSpec?.kind === 'entry' ? EngineBuildMailbox.create() : undefined;
    const engine = slot ?? options.engine;
    if (e) {
      const fs = options.rig.sampleRate;
      const frames = Math.round((e.ringSeconds ?? 10) * fs);
      const signals = { input: SignalRing.create(engine.numInputs, frames), output: SignalRing.create(engine.numOutputs, frames) };
      const params = new LiveParams(engine.name, engine.paramNames, e.entry.paramsSchema, e.params);
      const send: OscSend = (packet, to) => this.oscSend?.(packet, to);
      const presets = new LivePresets({ entry: e.entry, shippedDir: e.shippedPresetsDir, userDir: e.userPresetsDir, params });
      const snapshots = new SnapshotWriter({ engine: engine.name, input: signals.input, output: signals.output, sampleRate: fs, dir: e.snapshotsDir });
      const subscribers = new MetricsSubscribers({
        engine: engine.name, input: signals.input, output: signals.output, sampleRate: fs,
        pushPriority: () => (this.runner instanceof WorkerHostRunner && this.runner.controlRealtime ? 1 : 0),
      });
      const builder = slot ? slotBuilder(slot, e.entry, fs, options.rig.periodFrames) : mailbox && mailboxBuilder(mailbox);
      const structure = builder && new StructuralChanges({
        builder,
        submitSwitch: (id) => { const r = this.submitSwitch(id); return r.ok ? undefined : r.error; },
        onLateError: (message) => { this.counts.badParamValues++; this.report('osc', 'structural change', message); },
      });
      const bridge = new EffectBridge(this, params, send, { replyTo: e.replyTo, presets, snapshots, subscribers, structure });
      this.effect = { options: e, params, signals, presets, snapshots, subscribers, structure, bridge };
    }
    const source: SourceSpec | undefined = engine.numInputs > 0
      ? options.source ?? { kind: 'rig', channels: Array.from({ length: engine.numInputs }, (_, k) => k) }
      : undefined;
    this.runner = hostRunnerFor({
      rig: options.rig, engine, engineSpec: options.engineSpec, scheduleAheadFrames: options.scheduleAheadFrames, onPeriod: options.onPeriod, heapProbe: options.heapProbe, tierReport: options.tierReport,
      source, signals: this.effect ? { input: this.effect.signals.input.buffers, output: this.effect.signals.output.buffers } : undefined,
      structural: mailbox && { mailbox: mailbox.buffers, fadeMs: e?.crossfadeMs },
    });
    this.host = this.runner.shared;
    this.commandRing = this.host.commands;
  }

  /** The event log, drained of applied records first. */
  get eventLog(): EventLog {
    this.drainApplied();
    return this.events;
  }

  async start(): Promise<void> {
    const o = this.options;
    try {
      // The decoders compiled before the first command, not by it (inputWarmUp.ts).
      if (o.osc !== false || o.socketPath) {
        warmInputPath(this.runner.paramNames, this.effect?.params.engineName);
        this.warmSubmitPath();
      }
      if (o.osc !== false) this.transports.push(await startOscTransport(this, o.osc?.host ?? '127.0.0.1', o.osc?.port ?? 9000));
      if (o.socketPath) this.transports.push(await startSocketTransport(this, o.socketPath));
      if (o.midi) {
        const midi = startMidiTransport(this, o.midi === true ? undefined : o.midi);
        if (midi) this.transports.push(midi);
      }
      // The metrics workers load before the stream starts (a few hundred ms), not when the first client
      // subscribes, nor while the real-time worker runs (see MetricsSubscribers.warmUp).
      await this.effect?.subscribers.warmUp();
      await this.runner.start();
      this.effect?.subscribers.raisePriority();
      // After the stream started (a rig's start may spawn jackd: a fork makes every page written before it copy-on-write).
      await this.effect?.snapshots.prepare();
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
    this.effect?.subscribers.close();
    this.effect?.structure?.close();
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
   * Accepts one decoded command from any transport (or in-process). Refusals (unknown parameter,
   * timestamp outside [−maxLateMs, +timestampHorizonMs], command queue full, invalid MIDI) are counted,
   * logged and returned with the reason, for the transport to answer its client.
   */
  submit(cmd: ControlCommand, source: EventSource = 'api', peer = 'api', midi?: MidiStream): SubmitResult {
    const arrivalEpochMs = performance.timeOrigin + performance.now();
    if (cmd.type === 'status') return { ok: true };
    // Under a flood the 20 ms drain timer may not get a turn: keep the applied ring from overflowing.
    if (this.host.applied.size > this.host.applied.capacity >> 1) this.drainApplied();
    const late = this.timestampProblem(cmd, arrivalEpochMs);
    if (late) {
      this.counts.rejectedTimestamps++;
      this.report(source, peer, late);
      return { ok: false, error: late };
    }
    if (cmd.type === 'midi') {
      const stream = midi ?? new MidiStream(`${source} ${peer}`);
      const before = stream.errors;
      let last: SubmitResult = { ok: true };
      stream.decode(cmd.bytes, (e) => {
        const r = this.enqueue(`midi:${kindName(e.kind)}`, [[e.kind, e.channel, e.note, e.value, 0]], cmd, source, peer, arrivalEpochMs);
        if (last.ok) last = r;
      });
      if (stream.errors > before) {
        this.counts.malformedMidi += stream.errors - before;
        const error = `invalid MIDI: ${stream.lastError}`;
        this.report(source, peer, error);
        return { ok: false, error };
      }
      return last;
    }
    const rows = commandEventRows(cmd, this.runner.paramNames);
    if (typeof rows === 'string') {
      this.counts.unknownParams++;
      if (source === 'osc') this.counts.unknownOscAddresses++;
      this.report(source, peer, rows);
      return { ok: false, error: rows };
    }
    if (rows.length === 0) return { ok: true };
    return this.enqueue(cmd.type, rows, cmd, source, peer, arrivalEpochMs);
  }

  /**
   * Queues the switch to the engine staged for `id` in the effect's CrossfadeEngine (a Swap event, at the
   * first sample of the next block; logged as `engineSwitch` with value = id, so the applied frame is in
   * the event log for an offline render of the same timeline).
   */
  submitSwitch(id: number, source: EventSource = 'osc', peer = 'structural change'): SubmitResult {
    return this.enqueue('engineSwitch', [[EventKind.Swap, 0, 0, id, 0]], {}, source, peer, performance.timeOrigin + performance.now());
  }

  /** Called with each logged command the audio side dropped (pending list full, flushed by a panic). */
  onDropped(listener: (e: EventLogEntry) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** Counts and logs one piece of bad input; the server keeps serving. */
  report(source: string, peer: string, message: string): void {
    if (this.logBudget-- > 0) this.log(`${source} ${escapeForLog(peer, 80)}: ${escapeForLog(message)}`);
    else this.suppressed++;
  }

  /**
   * The server's status. Levels are over the periods since this `reader` (a client's peer name) last
   * asked, at most the meter history (2.7 s at 128 frames); other readers' levels are untouched.
   */
  status(reader = 'api'): ServerStatus {
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
    this.counts.flushedByPanic = h.flushedByPanic;
    this.counts.panics = h.panicsApplied;
    const m = h.meters.read(this.meterCursor(reader, h.meters.periodsWritten));
    this.meterCursors.set(reader, m.next);
    const levels = { peakDbfs: Array.from(m.peak, dbOrNull), rmsDbfs: Array.from(m.rms, dbOrNull), frames: m.frames };
    return {
      formatVersion: 1,
      rig: { name: this.rig.name, kind: this.rig.kind, sampleRate: this.rig.sampleRate, periodFrames: this.rig.periodFrames, streamBufferingFrames: this.rig.streamBufferingFrames },
      engine: this.runner.engineName,
      clock: { frameIndex: h.lastFrameIndex, epochMs: h.lastEpochMs, offsetMs: h.offsetMs, scheduleAheadFrames: h.scheduleAheadFrames },
      levels,
      engineStatus: this.runner.engineStatus(),
      engineStats: this.runner.engineStats(),
      load: { lastBlock: h.loadLast, meanBlock: h.timedBlocks ? h.loadSum / h.timedBlocks : 0, maxBlock: h.loadMax, blocks: h.blocks },
      pendingEvents: h.pendingEvents,
      lastPanic: this.lastPanic(),
      counts: { ...this.counts },
      clients: { socket: this.transports.reduce((n, t) => n + (t.clients ?? 0), 0) },
      listening: this.listening,
    };
  }

  private enqueue(type: string, rows: readonly EventRow[], cmd: Pick<ControlCommand, 'seq' | 'timestamp'>, source: EventSource, peer: string, arrivalEpochMs: number): SubmitResult {
    const isPanic = rows.length === 1 && rows[0][0] === EventKind.Panic;
    const ring = this.commandRing;
    if (!isPanic && ring.capacity - ring.size < rows.length) {
      this.counts.queueFull++;
      const error = `command queue full (${ring.size} commands waiting); command dropped`;
      this.report(source, peer, error);
      return { ok: false, error };
    }
    const t = cmd.timestamp;
    const first = rows[0];
    const requested = t ? (t.kind === 'frame' ? Math.floor(t.frame) : this.host.frameForEpochMs(t.epochMs)) : null;
    const entry = this.events.add({
      source, peer, seq: cmd.seq ?? 0, type, channel: first[1], note: first[2], value: first[3],
      arrivalEpochMs, arrivalFrame: this.host.frameForEpochMs(arrivalEpochMs) - this.host.scheduleAheadFrames,
      timestamp: t, requestedFrame: requested, appliedFrame: null, late: false, appliedHostTimeMs: null, clockOffsetMs: null,
      dropped: null,
    });
    this.counts.commands++;
    if (isPanic) {
      // Panic never queues: the audio side reads the flag first at its next period (audioHost.ts).
      this.lastPanicId = entry.id;
      this.host.requestPanic(entry.id);
      return { ok: true, entry };
    }
    const r = this.record;
    // Staged, then published at once: the audio side takes the command's rows in one period.
    for (const row of rows) {
      r[Cmd.kind] = row[0];
      r[Cmd.channel] = row[1];
      r[Cmd.note] = row[2];
      r[Cmd.value] = row[3];
      r[Cmd.paramIndex] = row[4];
      r[Cmd.timeKind] = t ? (t.kind === 'frame' ? TimeKind.Frame : TimeKind.EpochMs) : TimeKind.None;
      r[Cmd.time] = t ? (t.kind === 'frame' ? t.frame : t.epochMs) : 0;
      r[Cmd.logId] = entry.id;
      ring.stage(r);
    }
    ring.commit();
    return { ok: true, entry };
  }

  /**
   * Runs submit() — a command's way from its decoder to the audio side: the timestamp check, the event log,
   * the command ring — on the engine's canned commands (submitWarmUpCommands), SUBMIT_WARM_UP_ROUNDS
   * times, into a scratch event log and command ring that nothing reads; the counts are put back. Before
   * the transports open (nothing else submits meanwhile). Without it the first command after a start ran
   * that path cold: 0.58 ms in submit() against 0.03 ms from the fourth on (measured on jack-native), after
   * its arrival was stamped — the latency probe's first event was its slowest in 5 of 7 runs (5.01–5.53 ms,
   * the next slowest 4.86–4.99). Returns the commands accepted (a warm-up refused warms little).
   */
  warmSubmitPath(): number {
    const [events, ring, counts] = [this.events, this.commandRing, { ...this.counts }];
    this.events = new EventLog(256);
    this.commandRing = new RecordRing(256, Cmd.SLOTS);
    const rec = new Float64Array(Cmd.SLOTS);
    const nextFrame = Math.max(0, this.host.lastFrameIndex + this.host.periodFrames);
    const commands = submitWarmUpCommands(nextFrame, this.host.periodFrames, this.runner.paramNames, !this.effect);
    const source = this.effect ? 'osc' : 'socket';
    let accepted = 0;
    try {
      for (let round = 0; round < SUBMIT_WARM_UP_ROUNDS; round++) {
        for (const c of commands) if (this.submit(c, source, 'warm-up').ok) accepted++;
        while (this.commandRing.pop(rec));
      }
    } finally {
      this.events = events;
      this.commandRing = ring;
      Object.assign(this.counts, counts);
    }
    return accepted;
  }

  private lastPanic(): ServerStatus['lastPanic'] {
    const e = this.lastPanicId < 0 ? undefined : this.events.get(this.lastPanicId);
    if (!e) return null;
    const waitMs = e.appliedHostTimeMs === null ? null : performance.timeOrigin + e.appliedHostTimeMs - e.arrivalEpochMs;
    return { arrivalEpochMs: e.arrivalEpochMs, arrivalFrame: e.arrivalFrame, appliedFrame: e.appliedFrame, waitMs };
  }

  /** Why this command's timestamp is refused, or undefined when it is fine (or absent). */
  private timestampProblem(cmd: ControlCommand, arrivalEpochMs: number): string | undefined {
    const t = 'timestamp' in cmd ? cmd.timestamp : undefined;
    if (!t) return undefined;
    const horizonMs = this.options.timestampHorizonMs ?? 2000;
    const maxLateMs = this.options.maxLateMs ?? 100;
    // Measured on the stream clock (the wall clock only before the first period): a simulated or
    // drifting stream is what the timestamp will be placed on.
    const h = this.host;
    const now = Math.max(0, h.lastFrameIndex + h.periodFrames);
    let aheadMs: number;
    if (t.kind === 'frame') {
      if (!Number.isFinite(t.frame)) return `timestamp frame ${t.frame} is not a finite number`;
      aheadMs = ((t.frame - now) * 1000) / h.sampleRate;
    } else {
      if (!Number.isFinite(t.epochMs)) return `timestamp ${t.epochMs} ms is not a finite number`;
      aheadMs = Number.isNaN(h.offsetMs) ? t.epochMs - arrivalEpochMs
        : ((h.frameForEpochMs(t.epochMs) - h.scheduleAheadFrames - now) * 1000) / h.sampleRate;
    }
    if (aheadMs > horizonMs) return `timestamp ${aheadMs.toFixed(1)} ms ahead of the stream; allowed up to ${horizonMs} ms ahead`;
    if (aheadMs < -maxLateMs) return `timestamp ${(-aheadMs).toFixed(1)} ms behind the stream; allowed up to ${maxLateMs} ms late`;
    return undefined;
  }

  /** The meter cursor of a reader (a new reader starts with the newest period); keeps at most MAX_METER_READERS. */
  private meterCursor(reader: string, newest: number): number {
    const cursor = this.meterCursors.get(reader);
    this.meterCursors.delete(reader); // re-inserted by the caller: Map order = least recently used first
    if (cursor === undefined && this.meterCursors.size >= MAX_METER_READERS) {
      const oldest = this.meterCursors.keys().next().value as string;
      this.meterCursors.delete(oldest);
    }
    return cursor ?? Math.max(0, newest - this.host.meters.periods + 1);
  }

  private drainApplied(): void {
    const a = this.appliedRecord;
    while (this.host.applied.pop(a)) {
      const outcome = a[Applied.outcome];
      if (outcome === Outcome.Applied) {
        this.counts.applied++;
        this.events.markApplied(a[Applied.logId], a[Applied.appliedFrame], a[Applied.requestedFrame], a[Applied.late] === 1, a[Applied.blockHostTimeMs], a[Applied.clockOffsetMs]);
        continue;
      }
      const reason = outcome === Outcome.FlushedByPanic ? 'discarded by a panic' : 'pending list full; command dropped';
      const e = this.events.markDropped(a[Applied.logId], reason);
      if (!e) continue;
      if (outcome === Outcome.DroppedPendingFull) this.report(e.source, e.peer, `${e.type} seq ${e.seq}: ${reason}`);
      for (const l of this.dropListeners) l(e);
    }
  }
}

function kindName(kind: number): string {
  return Object.entries(EventKind).find(([, v]) => v === kind)?.[0] ?? String(kind);
}
