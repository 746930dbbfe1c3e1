import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerXrunRecord } from '../jack/serverXruns.ts';
import { type ScenarioXrunRecord, scenarioXruns } from './dropoutAttribution.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEntry } from '../../src/engine/engineDefinition.ts';
import { parseParams } from '../../src/engine/params.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import type { HapticStats } from '../../src/haptic/hapticState.ts';
import { engineEntry } from '../../src/presets/engineRegistry.ts';
import type { AudioRig } from '../../src/host/audioRig.ts';
import type { LoadedScenario } from '../scenario/loadScenario.ts';
import type { EventLogEntry } from '../../src/host/eventLog.ts';
import { RigServer } from '../../src/host/rigServer.ts';
import { FloatWavWriter } from '../../src/io/floatWavStream.ts';
import type { ServerStatus } from '../../src/host/serverStatus.ts';
import { CaptureRecorder, OFFSET_WINDOW } from './captureRecorder.ts';
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
  /** Each of those xruns on the scenario's frames (rigs with an xrun record: jack, jack-native); null = no record. */
  serverXrunEvents?: ScenarioXrunRecord | null;
  /** Scenario frames of the cycles that played silence for want of a block (rigs that record them: jack-native). */
  outputUnderrunFrames?: number[] | null;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
 * time, records every input, stops. On a simulated clock it advances the rig period by period and
 * sends each event between the periods that bracket its time (as a live sender would); on a real
 * clock it sends at the wall-clock moment mapped from the stream clock.
 */
export async function runScenario(rig: AudioRig, loaded: LoadedScenario, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const { entry, config } = scenarioEngine(loaded);
  if (rig.sampleRate !== loaded.scenario.sampleRate) {
    throw new Error(`${loaded.file}: the scenario runs at ${loaded.scenario.sampleRate} Hz but rig "${rig.name}" runs at ${rig.sampleRate} Hz`);
  }
  const engine = entry.create(config);
  const planned = planCommands(loaded, engine.paramNames);
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
    eventLogCapacity: Math.max(65_536, 2 * planned.length),
  });
  const started = performance.now();
  const xruns0 = { client: rig.stats.serverXruns, driver: rig.stats.serverDriverXruns };
  const sent: SentCommand[] = [];
  let interrupted = false;
  let sender: TransportSender | undefined;
  try {
    await server.start();
    sender = await TransportSender.open(server.listening.osc!, server.listening.socket!);
    const simulated = rig.clock === 'simulated';
    // The stream clock does not restart with the stream: the scenario's frame 0 is placed after the
    // first period seen (simulated), or a little ahead once the clock map has settled (real time).
    if (simulated) {
      rig.advance(1);
      recorder.originFrame = recorder.position;
    } else {
      // The live clock map looks back OFFSET_WINDOW periods: let the stream's first periods (often a
      // burst as it starts) leave that window before events are placed by it.
      while (recorder.periods < OFFSET_WINDOW + 8) await sleep(5);
      recorder.originFrame = recorder.position + Math.round(0.1 * rig.sampleRate);
    }
    const origin = recorder.originFrame;
    const aheadMs = loaded.scenario.scheduleAheadMs;
    for (const p of planned) {
      if (options.shouldStop?.()) { interrupted = true; break; }
      const target = origin + p.atFrame;
      if (simulated) {
        const periods = Math.floor(target / rig.periodFrames) + 1 - recorder.position / rig.periodFrames;
        if (periods > 0) rig.advance(periods);
      } else {
        // Never spin: the audio callback runs on this thread. The send time is measured, not assumed, so
        // the timer's granularity only moves when the event is sent, not what is measured.
        // The live map runs ahead of a stream that has just stalled (it still holds the offset from
        // before); nothing is sent before the stream has delivered the scenario's frame 0, so no event
        // takes effect before the capture starts. Later events keep their random phase to the periods.
        while (recorder.frameAtHostMs(performance.now()) < target || recorder.position < origin) await sleep(1);
      }
      const before = server.eventLog.size;
      // Scheduled sending: a fixed offset ahead of the send — on the simulated clock, of the scenario
      // frame the send stands for (simulated time does not move while the harness sends).
      const stampAt = aheadMs === undefined ? undefined
        : simulated ? () => performance.timeOrigin + recorder.hostOffsetMs + ((origin + p.atFrame) * 1000) / rig.sampleRate + aheadMs
        : (sendEpochMs: number) => sendEpochMs + aheadMs;
      const sendEpochMs = sender.send(p, stampAt);
      // On a real clock the send frame is measured after the run (frameAtHostMsAfterRun, below).
      sent.push({ planned: p, sendFrame: p.atFrame, sendEpochMs, entry: null, arrivalFrame: null, appliedFrame: null, clockStallMs: simulated ? 0 : null });
      const t0 = Date.now();
      while (server.eventLog.size === before && Date.now() - t0 < 2000) await sleep(0);
      options.onProgress?.(p.atFrame / frames);
    }
    const end = origin + frames;
    if (simulated) {
      const periods = Math.ceil(end / rig.periodFrames) - recorder.position / rig.periodFrames;
      if (periods > 0 && !interrupted) rig.advance(periods);
    } else {
      while (recorder.position < end && !interrupted) {
        if (options.shouldStop?.()) interrupted = true;
        await sleep(10);
        options.onProgress?.((recorder.position - origin) / frames);
      }
    }
  } finally {
    await sender?.close();
    await server.stop();
    recorder.closeSpill();
    rmSync(dir, { recursive: true, force: true });
  }
  if (rig.clock !== 'simulated') {
    // Mapped by the periods after each send, which only the finished run has.
    for (const s of sent) s.sendFrame = recorder.frameAtHostMsAfterRun(s.sendEpochMs - performance.timeOrigin) - recorder.originFrame;
  }
  matchLog(sent, server.eventLog.since(0), recorder.originFrame, rig.clock === 'simulated', rig.sampleRate);
  if (rig.clock !== 'simulated') {
    for (const s of sent) {
      if (s.appliedFrame !== null) s.clockStallMs = recorder.clockStallMsAfterRun(s.sendEpochMs - performance.timeOrigin, s.appliedFrame + recorder.originFrame);
    }
  }
  return {
    loaded, entry, config, sent, capture: recorder.inputs, captureFile: options.captureFile ?? null, frames, recordedFrames: recorder.recordedFrames, periodFlags: recorder.periodFlags,
    status: server.status(), // The engine that played (a worker host's own copy: its last snapshot).
    engineStats: engine instanceof HapticEngine ? (server.runner.engineStats() as ReturnType<HapticEngine['getStats']>) : null, serverLog,
    wallSeconds: (performance.now() - started) / 1000, captureCopyMs: recorder.copyMs, interrupted,
    serverXruns: {
      client: rig.stats.serverXruns < 0 ? null : rig.stats.serverXruns - Math.max(0, xruns0.client),
      driver: rig.stats.serverDriverXruns < 0 ? null : rig.stats.serverDriverXruns - Math.max(0, xruns0.driver),
    },
    serverXrunEvents: 'serverXruns' in rig && typeof rig.serverXruns === 'function'
      ? scenarioXruns((rig as { serverXruns(): ServerXrunRecord }).serverXruns(), recorder.originFrame, (ms) => recorder.frameAtHostMsAfterRun(ms)) : null,
    outputUnderrunFrames: 'underrunFramesSince' in rig && typeof rig.underrunFramesSince === 'function'
      ? (rig as { underrunFramesSince(from: number): { frames: number[] } }).underrunFramesSince(0).frames.map((f) => f - recorder.originFrame) : null,
  };
}

/**
 * Pairs each sent command with its event-log entry: IPC frames by their sequence number (MIDI
 * frames log one entry per decoded message, the first counts), OSC datagrams in arrival order.
 */
function matchLog(sent: SentCommand[], entries: EventLogEntry[], origin: number, simulated: boolean, sampleRate: number): void {
  const bySeq = new Map<number, EventLogEntry>();
  const osc: EventLogEntry[] = [];
  for (const e of entries) {
    if (e.source === 'socket' && e.seq > 0 && !bySeq.has(e.seq)) bySeq.set(e.seq, e);
    if (e.source === 'osc') osc.push(e);
  }
  let nextOsc = 0;
  for (const s of sent) {
    const e = s.planned.wire === 'socket' ? bySeq.get(s.planned.index + 1) : osc[nextOsc++];
    if (!e) continue;
    s.entry = e;
    s.appliedFrame = e.appliedFrame === null ? null : e.appliedFrame - origin;
    // Simulated time stands still while the harness waits for delivery: the event arrives when it is
    // sent. On a real clock the transport time is the wall-clock time between send and arrival (one
    // process, one clock), placed on the same map as the send.
    s.arrivalFrame = simulated ? s.sendFrame : s.sendFrame + ((e.arrivalEpochMs - s.sendEpochMs) * sampleRate) / 1000;
  }
}

