import type { LateBlock } from '../../src/host/lateBlocks.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerXrunRecord } from '../jack/serverXruns.ts';
import { type ScenarioStallRecord, type ScenarioXrunRecord, scenarioStalls, scenarioXruns } from './dropoutAttribution.ts';
import type { MachineStallRecord } from '../rigs/jackNativeRig.ts';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EngineEntry } from '../../src/engine/engineDefinition.ts';
import { parseParams } from '../../src/engine/params.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import type { HapticStats } from '../../src/haptic/hapticState.ts';
import { engineEntry } from '../../src/presets/engineRegistry.ts';
import type { AudioRig } from '../../src/host/audioRig.ts';
import type { LoadedScenario } from '../scenario/loadScenario.ts';
import type { EventLogEntry } from '../../src/host/eventLog.ts';
import { RigServer, type RigServerOptions } from '../../src/host/rigServer.ts';
import { FloatWavWriter } from '../../src/io/floatWavStream.ts';
import type { ServerStatus } from '../../src/host/serverStatus.ts';
import { CaptureRecorder } from './captureRecorder.ts';
import { pacingFor } from './scenarioPacing.ts';
import { planEffectCommands } from './effectCommands.ts';
import { type ProgrammeSource, programmeSource } from './programmeInput.ts';
import { workspace } from '../../src/presets/workspace.ts';
import type { EventLog } from '../../src/host/eventLog.ts';
import { type PlannedCommand, planCommands } from './plannedCommands.ts';
import { TransportSender } from './transportSender.ts';

/** One planned command as it went: when it was sent and where the server applied it (scenario frames). */
export interface SentCommand {
  planned: PlannedCommand;
  /** Scenario frame at which the harness handed it to its transport (measured on real clocks). */
  sendFrame: number;
  sendEpochMs: number;
  entry: EventLogEntry | null;
  /** Scenario frames of the server's arrival and application (null: never applied). */
  arrivalFrame: number | null;
  appliedFrame: number | null;
  /**
   * How long the stream's clock stood still between the send and the period where the event took
   * effect, ms (CaptureRecorder.clockStallMsAfterRun); 0 on a simulated clock, null when unknown.
   */
  clockStallMs: number | null;
  /**
   * Effect scenarios: the scenario frame where each of `planned.rows` took effect (the command's own
   * event-log entries, one per row in order; null: not applied), and what did not match.
   */
  rowFrames?: Array<number | null>;
  logProblem?: string;
}

/** What an effect scenario's run adds: the programme the server played and where it began. */
export interface EffectRun {
  source: ProgrammeSource;
  /** Scenario frame of the programme's first sample (the first block the server processed; ≤ 0). */
  sourceStartFrame: number;
  /** The OSC error replies the server sent (bad parameter, unknown preset …), escaped. */
  errorReplies: string[];
}

export interface ScenarioRun {
  loaded: LoadedScenario;
  /** The engine the server ran (scenario `engineName`). */
  entry: EngineEntry;
  /** Its parameters, validated by its schema (a HapticConfig for the haptic engine: see hapticConfigOf). */
  config: unknown;
  sent: SentCommand[];
  /** Captured inputs, index 0 = scenario frame 0 (empty when the capture went to `captureFile`). */
  capture: Float32Array[];
  /** The float WAV the capture was spilled to (RunScenarioOptions.captureFile), or null. */
  captureFile: string | null;
  frames: number;
  /** Frames actually recorded (less than `frames` when the run was interrupted). */
  recordedFrames: number;
  periodFlags: Int32Array;
  status: ServerStatus;
  /** The haptic engine's own counters (null for other engines). */
  engineStats: HapticStats | null;
  serverLog: string[];
  /** Wall time of the run, and the harness's own time in the audio callback (capture copy). */
  wallSeconds: number;
  captureCopyMs: number;
  interrupted: boolean;
  /** The audio server's own xrun counts during this scenario (jackd's log; null = not known). */
  serverXruns: { client: number | null; driver: number | null };
  /** Effect scenarios ("kind": "effect"): the programme and where it began; null for instruments. */
  effect: EffectRun | null;
  /** The rig's render delay (AudioRig.renderDelayFrames): frames after a cycle began that its block was rendered; absent: 0. */
  renderDelayFrames?: number;
  /** Each of those xruns on the scenario's frames (rigs with an xrun record: jack, jack-native); null = no record. */
  serverXrunEvents?: ScenarioXrunRecord | null;
  /** Scenario frames of the cycles that played silence for want of a block (rigs that record them: jack-native). */
  outputUnderrunFrames?: number[] | null;
  /** The machine-stall sentinel's record on the scenario's frames (jack-native); null = no sentinel. */
  machineStalls?: ScenarioStallRecord | null;
  /**
   * The host's blocks that finished late or nearly (src/host/lateBlocks.ts), output frames on the scenario's
   * frames; kept for rigs that record their underruns' frames (jack-native), where a block's deadline is a cycle.
   */
  lateBlocks?: LateBlock[] | null;
  /**
   * Per underrun of `outputUnderrunFrames`: frames between the entry of its cycle and the entry of the cycle
   * whose input its block was rendered after (streamBufferingFrames earlier) — nominally the buffering; less
   * when the audio server ran that input's cycle late and caught up. null where a period was not recorded.
   */
  underrunCycleGapFrames?: (number | null)[] | null;
  /** Late-block records overwritten before the run ended (the ring's capacity: src/host/lateBlocks.ts). */
  lateBlocksLost?: number;
}

export interface RunScenarioOptions {
  /** Extra frames captured after the scenario, to hold the path latency and the tail (default 0.5 s). */
  tailFrames?: number;
  /** Checked between events; when it returns true the run stops early and is marked interrupted. */
  shouldStop?: () => boolean;
  /** Called as the scenario advances (0…1). */
  onProgress?: (fraction: number) => void;
  /** Record the capture to this float WAV instead of memory (a soak); the caller deletes it. */
  captureFile?: string;
}

/**
 * Resolves when `log` gets its next entry (the command sent arrived), or after `timeoutMs`. It polled with
 * setTimeout(0) before: at least one timer turn a command, 1–5 ms idle each on this machine (sweep-32: 98
 * commands, 0.51 s of waiting; latency-probe 48, 0.17 s).
 */
function nextEntry(log: EventLog, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const off = log.onAdded(done);
  });
}

/**
 * The scenario's engine and its validated parameters (the registry entry named by `engineName`).
 */
export function scenarioEngine(loaded: LoadedScenario): { entry: EngineEntry; config: unknown } {
  const entry = engineEntry(loaded.scenario.engineName, `${loaded.file}: engineName`);
  return { entry, config: parseParams(entry.paramsSchema, loaded.scenario.engine, `${loaded.file}: engine`) };
}

/**
 * Plays one scenario against the rig server on `rig`: starts the server (the scenario's engine, OSC on a free
 * loopback port, a Unix socket in a temporary folder), sends every event through its transport at its
 * time, records every input, stops. How time passes — advanced period by period on a simulated clock,
 * waited for on a real one — is the rig's pacing (scenarioPacing.ts).
 */
export async function runScenario(rig: AudioRig, loaded: LoadedScenario, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const { entry, config } = scenarioEngine(loaded);
  if (rig.sampleRate !== loaded.scenario.sampleRate) {
    throw new Error(`${loaded.file}: the scenario runs at ${loaded.scenario.sampleRate} Hz but rig "${rig.name}" runs at ${rig.sampleRate} Hz`);
  }
  const engine = entry.create(config);
  const isEffect = loaded.scenario.kind === 'effect';
  const presetsDir = loaded.scenario.presetsDir === undefined ? undefined : resolve(dirname(loaded.file), loaded.scenario.presetsDir);
  const planned = isEffect ? planEffectCommands(loaded, entry, engine.paramNames, config, presetsDir) : planCommands(loaded, engine.paramNames);
  const source = isEffect ? programmeSource(loaded, loaded.scenario.programme!) : undefined;
  const tail = options.tailFrames ?? Math.round(0.5 * rig.sampleRate);
  const frames = loaded.durationFrames + tail;
  const spill = options.captureFile ? new FloatWavWriter(options.captureFile, rig.inputChannels, rig.sampleRate) : undefined;
  const recorder = new CaptureRecorder(rig, frames, spill);
  const dir = mkdtempSync(join(tmpdir(), 'rig-hil-'));
  const serverLog: string[] = [];
  const server = new RigServer({
    ...recorder.attach(), engine, engineSpec: { kind: 'entry', engine: loaded.scenario.engineName, config: loaded.scenario.engine, source: `${loaded.file}: engine` }, osc: { host: '127.0.0.1', port: 0 }, socketPath: join(dir, 'rig.sock'), midi: false,
    log: (line) => serverLog.push(line),
    // The runner reads the whole log after the run: room for every planned command (the log is a ring).
    eventLogCapacity: Math.max(65_536, 2 * planned.length + planned.reduce((n, p) => n + p.rows.length, 0)),
    // An effect takes the programme as its input and answers on the OSC bridge (replies to the sender).
    ...(source ? effectServerOptions(entry, config, source, presetsDir ?? dir, dir) : {}),
  });
  const pacing = pacingFor(rig, recorder);
  const started = performance.now();
  const xruns0 = { client: rig.stats.serverXruns, driver: rig.stats.serverDriverXruns };
  const sent: SentCommand[] = [];
  /** Event-log id before each send: an effect command's entries are those from its id to the next command's. */
  const logFrom: number[] = [];
  let interrupted = false;
  let sender: TransportSender | undefined;
  try {
    await server.start();
    sender = await TransportSender.open(server.listening.osc!, server.listening.socket!, isEffect ? '/status' : '/haptic/status');
    await pacing.placeOrigin();
    const aheadMs = loaded.scenario.scheduleAheadMs;
    for (const p of planned) {
      if (options.shouldStop?.()) { interrupted = true; break; }
      await pacing.reach(p.atFrame);
      const before = server.eventLog.size;
      logFrom.push(before);
      // Scheduled sending: a fixed offset ahead of the send (the pacing says of which moment).
      const sendEpochMs = sender.send(p, aheadMs === undefined ? undefined : pacing.stamp(p.atFrame, aheadMs));
      sent.push({ planned: p, sendFrame: p.atFrame, sendEpochMs, entry: null, arrivalFrame: null, appliedFrame: null, clockStallMs: null });
      // An effect command that changes nothing (a preset equal to the running set) is logged by nothing.
      if (server.eventLog.size === before && !(isEffect && p.rows.length === 0)) await nextEntry(server.eventLog, 2000);
      options.onProgress?.(p.atFrame / frames);
    }
    if (!interrupted) interrupted = !(await pacing.runTo(frames, options.shouldStop, options.onProgress));
  } finally {
    await sender?.close();
    await server.stop();
    recorder.closeSpill();
    rmSync(dir, { recursive: true, force: true });
  }
  if (isEffect) matchEffectLog(sent, logFrom, server.eventLog, recorder.originFrame);
  else matchLog(sent, server.eventLog.since(0), recorder.originFrame);
  pacing.settle(sent);
  return {
    loaded, entry, config, sent, capture: recorder.inputs, captureFile: options.captureFile ?? null, frames, recordedFrames: recorder.recordedFrames, periodFlags: recorder.periodFlags,
    status: server.status(), // The engine that played (a worker host's own copy: its last snapshot).
    engineStats: engine instanceof HapticEngine ? (server.runner.engineStats() as ReturnType<HapticEngine['getStats']>) : null, serverLog,
    wallSeconds: (performance.now() - started) / 1000, captureCopyMs: recorder.copyMs, interrupted,
    serverXruns: {
      client: rig.stats.serverXruns < 0 ? null : rig.stats.serverXruns - Math.max(0, xruns0.client),
      driver: rig.stats.serverDriverXruns < 0 ? null : rig.stats.serverDriverXruns - Math.max(0, xruns0.driver),
    },
    renderDelayFrames: rig.renderDelayFrames ?? 0,
    effect: source ? { source, sourceStartFrame: recorder.firstFrame - recorder.originFrame, errorReplies: sender?.errorReplies ?? [] } : null,
    serverXrunEvents: 'serverXruns' in rig && typeof rig.serverXruns === 'function'
      ? scenarioXruns((rig as { serverXruns(): ServerXrunRecord }).serverXruns(), recorder.originFrame, (ms) => recorder.frameAtHostMsAfterRun(ms)) : null,
    ...underrunsOf(rig, recorder),
    machineStalls: machineStallsOf(rig, recorder.originFrame),
    ...lateBlocksOf(rig, server, recorder.originFrame),
  };
}

/** The output ring's underruns on the scenario's frames (rigs that record them: jack-native), and each one's cycle gap (ScenarioRun.underrunCycleGapFrames). */
function underrunsOf(rig: AudioRig, recorder: CaptureRecorder): Pick<ScenarioRun, 'outputUnderrunFrames' | 'underrunCycleGapFrames'> {
  if (!('underrunFramesSince' in rig) || typeof rig.underrunFramesSince !== 'function') return { outputUnderrunFrames: null, underrunCycleGapFrames: null };
  const frames = (rig as { underrunFramesSince(from: number): { frames: number[] } }).underrunFramesSince(0).frames;
  const gap = (f: number) => {
    const at = recorder.hostMsAtFrame(f);
    const input = recorder.hostMsAtFrame(f - rig.streamBufferingFrames);
    return at === null || input === null ? null : ((at - input) * rig.sampleRate) / 1000;
  };
  return { outputUnderrunFrames: frames.map((f) => f - recorder.originFrame), underrunCycleGapFrames: frames.map(gap) };
}

/** The host's late-block record on the scenario's frames, for rigs whose underruns have frames (jack-native); and how many were overwritten. */
function lateBlocksOf(rig: AudioRig, server: RigServer, originFrame: number): Pick<ScenarioRun, 'lateBlocks' | 'lateBlocksLost'> {
  if (!('underrunFramesSince' in rig)) return { lateBlocks: null, lateBlocksLost: 0 };
  const { blocks, lost } = server.runner.shared.lateBlocks.since(0);
  return { lateBlocks: blocks.map((b) => ({ ...b, outputFrame: b.outputFrame - originFrame })), lateBlocksLost: lost };
}

/** The stall sentinel's record of a rig that keeps one (jack-native), on the scenario's frames. */
function machineStallsOf(rig: AudioRig, originFrame: number): ScenarioStallRecord | null {
  if (!('machineStalls' in rig) || typeof rig.machineStalls !== 'function') return null;
  const record = (rig as { machineStalls(): MachineStallRecord | null }).machineStalls();
  return record ? scenarioStalls(record, originFrame, rig.sampleRate) : null;
}

/**
 * The rig server's options for an effect (src/host/rigServer.ts): the programme as its input source, and
 * its OSC bridge — parameter ranges from the engine's schema, presets from the scenario's folder (where
 * saves would go) before the shipped ones, snapshots into the run's temporary folder, replies to the sender.
 */
function effectServerOptions(entry: EngineEntry, config: unknown, source: ProgrammeSource, userPresetsDir: string, tmp: string): Pick<RigServerOptions, 'source' | 'effect'> {
  return {
    source,
    effect: { entry, params: config, replyTo: 'sender' as const, shippedPresetsDir: workspace.presetsDir, userPresetsDir, snapshotsDir: tmp },
  };
}

/** A stream frame from the event log on the scenario's frames (null: not applied). */
function scenarioFrame(streamFrame: number | null, origin: number): number | null {
  return streamFrame === null ? null : streamFrame - origin;
}

/**
 * Pairs each effect command with its own event-log entries — those logged between its send and the next
 * command's — one per Param event it was planned to become (a preset load queues one per changed
 * parameter), in order; a different count is recorded as the command's problem.
 */
function matchEffectLog(sent: SentCommand[], logFrom: readonly number[], log: EventLog, origin: number): void {
  sent.forEach((s, i) => {
    const to = i + 1 < logFrom.length ? logFrom[i + 1] : log.size;
    const entries = log.since(logFrom[i]).filter((e) => e.id < to);
    s.entry = entries[0] ?? null;
    s.rowFrames = s.planned.rows.map((_, k) => scenarioFrame(entries[k]?.appliedFrame ?? null, origin));
    s.appliedFrame = s.rowFrames[0] ?? null;
    if (entries.length !== s.planned.rows.length) {
      s.logProblem = `${s.planned.origin}: the server logged ${entries.length} event(s) for it, the harness planned ${s.planned.rows.length}`;
    } else if (s.rowFrames.some((f) => f === null)) {
      s.logProblem = `${s.planned.origin}: ${s.rowFrames.filter((f) => f === null).length} of its events never took effect (${entries.find((e) => e.dropped)?.dropped ?? 'not applied'})`;
    }
  });
}

/**
 * Pairs each sent command with its event-log entry: IPC frames by their sequence number, OSC datagrams
 * in arrival order. The arrival frame and the clock stall are the pacing's to give
 * (ScenarioPacing.settle). A MIDI frame logs one entry per decoded message: the first is the command's
 * entry, and when there is one per planned row, each row takes effect where its own message did
 * (`rowFrames`) — the server may apply a frame's messages in two periods (its pitch bend in one, its
 * pressure in the next), and the offline render must do the same.
 */
function matchLog(sent: SentCommand[], entries: EventLogEntry[], origin: number): void {
  const bySeq = new Map<number, EventLogEntry[]>();
  const osc: EventLogEntry[] = [];
  for (const e of entries) {
    if (e.source === 'socket' && e.seq > 0) {
      const list = bySeq.get(e.seq);
      if (list) list.push(e);
      else bySeq.set(e.seq, [e]);
    }
    if (e.source === 'osc') osc.push(e);
  }
  let nextOsc = 0;
  for (const s of sent) {
    const own = s.planned.wire === 'socket' ? bySeq.get(s.planned.index + 1) ?? [] : [];
    const e = s.planned.wire === 'socket' ? own[0] : osc[nextOsc++];
    if (!e) continue;
    s.entry = e;
    s.appliedFrame = scenarioFrame(e.appliedFrame, origin);
    if (own.length > 1 && own.length === s.planned.rows.length) s.rowFrames = own.map((x) => scenarioFrame(x.appliedFrame, origin));
  }
}
