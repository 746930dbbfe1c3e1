import type { PeriodSweep } from '../runner/periodSweep.ts';
/**
 * The figures of one HIL run: the JSON written beside every HTML report, and what the HTML, the JUnit
 * XML and the index are rendered from. Units are part of every key name; every number is finite or null
 * (JSON has no ±Infinity).
 *
 * Channel numbering: a key holding a channel says it is an index — `channelIndex`, `outputIndex`,
 * `inputIndex` — and counts from 0 (interface channel 1 is index 0); per-channel arrays
 * (`perChannelResidualDb`, `perTransducerP50Ms`, …) are indexed the same way. Everything a person reads
 * (the page, JUnit, the CLI) numbers channels from 1, labelled ("output 3", "ch 3"). Format 1 said
 * `channel`, `output` and `input`; `upgradeRunReport()` reads it.
 */
export const RUN_REPORT_FORMAT_VERSION = 2;

export type RunStatus = 'passed' | 'failed' | 'interrupted' | 'crashed' | 'running';
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'interrupted';

export interface BudgetCheck {
  /** e.g. "latency p99", "dropouts". */
  name: string;
  /** Key of the measured figure, with its unit: "p99Ms", "dropoutCount". */
  key: string;
  limit: number;
  measured: number | null;
  unit: string;
  passed: boolean;
  detail?: string;
}

export interface LatencyFigures {
  eventCount: number;
  /** Onsets measured (events × the transducers each drives). */
  onsetCount: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  jitterMs: number | null;
  /** Largest spread across transducers for one event, beyond the spread the engine intends. */
  skewMs: number | null;
  /**
   * Events left out of these figures because the stream's own clock stood still between their send
   * and their effect (a JACK dummy driver waiting for a late cycle: counted as a driver xrun); their
   * latencies stay in the timeline.
   */
  clockStallEventCount: number;
  /**
   * Onsets not measured because their capture search held an environment event (a driver xrun, frame jump
   * or machine stall of the dropout attribution): the onset found there moves by what the machine lost.
   */
  atEnvironmentOnsetCount?: number;
  /** Every onset latency, for the histogram. */
  samplesMs: number[];
  perTransducerP50Ms: Array<number | null>;
}

export interface BudgetBreakdown {
  /** Medians in ms of each stage of the event-to-transducer path. */
  transportMs: number | null;
  schedulingMs: number | null;
  bufferingMs: number | null;
  pathMs: number | null;
  totalMs: number | null;
  /** The scenario's own p99 latency budget; null when it has none (then no chart draws one). */
  budgetMs: number | null;
}

export interface DropoutFinding {
  /** Engine output (transducer), 0-based: index 0 is channel 1; −1 for a backend flag, which concerns the whole stream. */
  channelIndex: number;
  startFrame: number;
  lengthFrames: number;
  atSeconds: number;
  kind: string;
  detector: 'residual' | 'pilot' | 'backend-flag';
  /** An SVG of the waveform around it, inlined in the HTML. */
  pictureSvg?: string;
}

/** A period the backend flagged: the second witness, listed with the dropouts but not counted by their budget. */
export function isBackendFlag(d: DropoutFinding): boolean {
  return d.detector === 'backend-flag';
}

/**
 * The content's dropouts split by whose they are (dropoutAttribution.ts): the server's — events no driver xrun
 * explains, which the dropout budget counts, and the underruns of its output ring — and the environment's —
 * events at the moment of one of the audio server's DRIVER xruns (the machine ran the driver late), counted,
 * not a failure. `xrunRecord`: where the xruns were placed from ('callback': the native client's record on
 * the stream clock; 'log': when jackd's lines arrived; 'none': no record, every event is the server's).
 */
export interface DropoutAttribution {
  xrunRecord: 'callback' | 'log' | 'none';
  serverEventCount: number;
  outputRingUnderrunCount: number;
  environmentEventCount: number;
  driverXrunCount: number;
  clientXrunCount: number;
  unknownXrunCount: number;
  /** Cycles JACK ran without our callback (the stream frame jumped), with their scenario seconds: treated as driver xruns. */
  frameJumpCount?: number;
  frameJumpSeconds?: number[];
  /** How far the stream frame moved at each of those cycles, frames (one period is no jump; 0 = the same frame twice); null when not recorded. */
  frameJumpSteps?: (number | null)[];
  /** A driver xrun explains an event within this much of it (callback-placed; a log line also up to 250 ms after). */
  matchWindowMs: number;
  /** Scenario seconds of the first 100 events of each kind, and of the first 100 driver xruns. */
  serverEventSeconds: number[];
  environmentEventSeconds: number[];
  driverXrunSeconds: number[];
  /** Scenario seconds of the first 100 client xruns (jackd: a client, ours or another, did not finish its cycle in time). */
  clientXrunSeconds?: number[];
  /**
   * The machine-stall sentinel (src/host/jack/machineStalls.ts; jack-native): 'realtime' when it ran above
   * every audio thread, 'not-realtime' when it could not (its record then excuses nothing), 'none' without one.
   * Stalls at least `cushionMs` long (the render-ahead fill) count, with their scenario seconds; the longest
   * lateness seen; the underruns of the output ring split into the machine's (during such a stall) and the
   * server's (every other one).
   */
  machineStalls?: 'realtime' | 'not-realtime' | 'none';
  machineStallCount?: number;
  machineStallMaxMs?: number | null;
  machineStallSeconds?: number[];
  serverUnderrunCount?: number;
  machineUnderrunCount?: number;
  /**
   * Of the machine's underruns, those whose block finished before its deadline by its own input cycle's clock
   * (the host's late-block record: margin ≥ 0) and still missed its cycle: the audio server ran that cycle
   * sooner than the nominal periods after the input's (it ran the input's late, then caught up).
   */
  earlyCycleUnderrunCount?: number;
  /** Of the machine's underruns, those whose block's own work fitted its cushion and the machine held its thread back (heldFramesOf). */
  heldUnderrunCount?: number;
  cushionMs?: number;
  /**
   * The server's underruns with the host's record of the block due at each (src/host/lateBlocks.ts; first 100):
   * how long after its input cycle it started, how long it took, its margin to its deadline (null: no record).
   * Counted by cause: a block slower than a period, a block that started too late, no record.
   */
  serverUnderruns?: {
    seconds: number; startLagMs: number | null; blockMs: number | null; marginMs: number | null;
    /** The rendering thread's own work from the block's input to its end, at most, ms (LateBlock.ownMs; null: no record or not measured). */
    ownMs?: number | null;
    /** How long the machine held that thread back meanwhile, ms (LateBlock.heldMs). */
    heldMs?: number | null;
    /** How long it was blocked on something other than a cycle, ms (LateBlock.waitedMs). */
    waitedMs?: number | null;
    /** From the entry of the cycle whose input the block followed to the entry of the underrun's cycle, ms (nominally the buffering; null: a period not recorded). */
    cycleGapMs?: number | null;
    /** The sentinel's stall nearest to the underrun: its start relative to the underrun and its length, ms (null: none recorded). */
    nearestStall?: { startMs: number; lengthMs: number } | null;
    /** The driver xrun or frame jump nearest to the underrun, relative to it, ms (null: none recorded). */
    nearestDriverXrunMs?: number | null;
  }[];
  serverUnderrunSlowBlockCount?: number;
  serverUnderrunLateStartCount?: number;
  serverUnderrunNoRecordCount?: number;
  /** Late-block records overwritten before the run ended: underruns among them show no record. */
  lateBlockRecordsLost?: number;
}

export interface TimelineEntry {
  index: number;
  type: string;
  transport: string;
  scheduledMs: number;
  sentMs: number | null;
  receivedMs: number | null;
  effectiveFrame: number | null;
  latencyMs: number | null;
  /** The stream clock's stall between send and effect, ms (null: unknown); above CLOCK_STALL_LIMIT_MS the event is left out of the latency figures. */
  clockStallMs?: number | null;
}

export interface ExpectationCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** What an effect scenario measures beyond content and dropouts: the effect's latency and every parameter change. */
export interface EffectFigures {
  /** Programme input → capture, per engine output, ms (null: not measured or not wired). */
  perChannelLatencyMs: Array<number | null>;
  /** The worst channel's, ms; null unless every wired channel was measured. */
  worstLatencyMs: number | null;
  /** The engine's own part (offline render vs its input), ms. */
  engineLatencyMs: number | null;
  /** The rig's part: stream buffering and the device loop (calibrated), ms. */
  pathMs: number | null;
  latencyDetail?: string;
  /** The engine's smoothing time the click-free bound looks over (plus one period), ms. */
  smoothingMs: number;
  /**
   * Every Param event as applied: the capture's largest step after it against the render's, dB (worst channel);
   * null with `atEnvironment` when an environment event (dropoutAttribution.ts) lies in its window: not judged.
   */
  changes: Array<{ index: number; paramIndex: number; paramName: string; value: number; appliedFrame: number; stepDb: number | null; atEnvironment?: boolean }>;
  worstClickStepDb: number | null;
}

export interface ScenarioResult {
  name: string;
  description: string;
  status: CheckStatus;
  /** Wall time of playing the scenario against the rig (calibration and analysis not included). */
  durationSeconds: number;
  /** Wall time of analysing its capture (latency, content, dropouts, pictures); absent in older reports. */
  analysisSeconds?: number | null;
  budgets: BudgetCheck[];
  latency: LatencyFigures;
  breakdown: BudgetBreakdown;
  perTransducerRmsDbfs: Array<number | null>;
  dropouts: DropoutFinding[];
  /**
   * The backend's own witness: periods PortAudio flagged (on JACK: any xrun of the server) and the
   * audio server's xrun counts from its log (null = not known). Listed beside the content's dropouts;
   * the dropout budget counts what the content shows.
   */
  backendFlags: { underflowCount: number; overflowCount: number; messages: string[]; serverXrunCount: number | null; serverDriverXrunCount: number | null };
  /** The dropouts split into the server's and the environment's (absent in older reports). */
  dropoutAttribution?: DropoutAttribution;
  /**
   * The residual per channel and the worst, outside the moments attributed to the environment (driver xruns,
   * machine stalls: dropoutAttribution); when some were, how long they were and the worst residual over
   * every frame. `latencyFollowedSamples`: per channel, how far the dropout detector moved its alignment
   * without an event (a clock drift between playback and capture reads here; 0 on a sound rig), and the largest.
   */
  content: {
    perChannelResidualDb: Array<number | null>; worstResidualDb: number | null; excludedSeconds?: number; worstResidualWithExcludedDb?: number | null;
    latencyFollowedSamples?: Array<number | null>; worstLatencyFollowedSamples?: number | null;
  };
  expectations: ExpectationCheck[];
  server: { malformedPacketCount: number; lateEventCount: number; underrunCount: number };
  timeline: TimelineEntry[];
  /** Harness CPU load while it ran: the share of one core used by capture, detection and writing. */
  harnessCpuPercentOfOneCore: number | null;
  /** Why a scenario was not run on purpose (nightly-only without --nightly): skipped, not a failure. */
  skipReason?: string;
  /** Effect scenarios: the effect's latency and the click-free bound on every parameter change. */
  effect?: EffectFigures;
  /** `--keep-audio`: the capture and the aligned render as WAVs with cue markers, relative to the run folder. */
  audio?: { captureFile: string; expectedFile: string; cueCount: number };
  error?: string;
  /**
   * Earlier attempts of this scenario that the environment left nothing to measure (hil/runner/environmentRerun.ts),
   * why each was played again; this result is the last attempt's.
   */
  environmentReruns?: string[];
}

export interface CalibrationChannel {
  /** Rig output and the input it is wired to, both 0-based: index 0 is the interface's channel 1 (−1: not wired). */
  outputIndex: number;
  inputIndex: number;
  status: 'ok' | 'no-signal' | 'inverted' | 'clipped' | 'miswired';
  totalRoundTripSamples: number | null;
  harnessBufferSamples: number | null;
  deviceRoundTripSamples: number | null;
  confidence: number | null;
  detail?: string;
  /** The calibration capture (from 1) these figures come from: each channel keeps the first that measured it undisturbed (calibrate.ts). */
  attempt?: number;
}

export interface RunReport {
  formatVersion: typeof RUN_REPORT_FORMAT_VERSION;
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  statusDetail?: string;
  seed: number;
  rig: { name: string; backend: string; sampleRate: number; periodFrames: number; inputChannels: number; outputChannels: number; device?: string; /** How the audio server was started (jack rig): its command line and scheduling. */ server?: string };
  software: { studioRigVersion: string; node: string; gitCommit: string | null; platform: string };
  /**
   * The harness process that writes this report: a report left 'running' whose process is gone (killed
   * with SIGKILL, the machine lost power) is shown as interrupted by the next run or index.
   */
  harness?: { pid: number; host: string };
  /** `attempts`: captures calibration made (a disturbed one is measured again: calibrate.ts); `retryReasons`: why, per retried capture. */
  calibration: { channels: CalibrationChannel[]; jackIodelaySamples: number | null; deviceRoundTripMedianSamples: number | null; attempts?: number; retryReasons?: string[] };
  scenarios: ScenarioResult[];
  /** The latency budget table over period sizes (virtual rig runs; hil/runner/periodSweep.ts). */
  periodSweep?: PeriodSweep;
}

export function emptyScenarioResult(name: string, description = ''): ScenarioResult {
  return {
    name, description, status: 'interrupted', durationSeconds: 0, budgets: [],
    latency: { eventCount: 0, onsetCount: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, jitterMs: null, skewMs: null, clockStallEventCount: 0, samplesMs: [], perTransducerP50Ms: [] },
    breakdown: { transportMs: null, schedulingMs: null, bufferingMs: null, pathMs: null, totalMs: null, budgetMs: null },
    perTransducerRmsDbfs: [], dropouts: [], backendFlags: { underflowCount: 0, overflowCount: 0, messages: [], serverXrunCount: null, serverDriverXrunCount: null },
    content: { perChannelResidualDb: [], worstResidualDb: null }, expectations: [],
    server: { malformedPacketCount: 0, lateEventCount: 0, underrunCount: 0 }, timeline: [], harnessCpuPercentOfOneCore: null,
  };
}

/** A run passes when every scenario passed; an interrupted or crashed run keeps that status. */
export function overallStatus(report: RunReport): RunStatus {
  if (report.status === 'interrupted' || report.status === 'crashed') return report.status;
  return report.scenarios.every((s) => s.status === 'passed' || s.status === 'skipped') && report.calibration.channels.every((c) => c.status === 'ok')
    ? 'passed'
    : 'failed';
}
