import type { OscMessage } from '../protocols/osc/oscCodec.ts';

/** Counters of everything the server noticed; all start at 0 and only grow. */
export interface ServerCounts {
  /** Commands accepted (one per decoded command; an MPE update counts once). */
  commands: number;
  /** Engine events that took effect. */
  applied: number;
  lateEvents: number;
  malformedOscPackets: number;
  unknownOscAddresses: number;
  badOscArguments: number;
  malformedSocketFrames: number;
  truncatedSocketFrames: number;
  /** Connections closed because their length prefix could not be trusted. */
  socketDesyncs: number;
  malformedMidi: number;
  unknownParams: number;
  /** Commands lost because the command queue or the pending list was full (each answered). */
  queueFull: number;
  /** Commands refused for a timestamp beyond the horizon or too far behind the stream. */
  rejectedTimestamps: number;
  /** Panics applied, and the commands they discarded (queued or pending when the panic came). */
  panics: number;
  flushedByPanic: number;
  /** Replies not sent because the client did not read them (socket backlog) or came too fast (OSC). */
  repliesDropped: number;
  /** Socket connections refused because MAX_SOCKET_CLIENTS were connected. */
  refusedConnections: number;
  /** Periods the rig flagged (PortAudio under/overflow, late virtual callback). */
  underruns: number;
  backendMessages: number;
  /** Xruns of our client the audio server reported (jackd started by the rig); −1 unknown. */
  serverXruns: number;
  /** Engine blocks that took longer than their period. */
  overloadedBlocks: number;
  engineErrors: number;
  appliedLost: number;
  /** OSC bridge (effects): parameter values refused (out of range, wrong count, not settable live). */
  badParamValues: number;
  /** Preset loads and saves refused (unknown or invalid preset, bad name, shipped name without force, write failure). */
  presetErrors: number;
  /** Snapshot requests refused or failed (bad seconds, a write failure such as a full disk). */
  snapshotErrors: number;
  /** Metrics subscriptions refused (bad port or interval, MAX_SUBSCRIBERS reached). */
  refusedSubscriptions: number;
}

export function zeroCounts(): ServerCounts {
  return {
    commands: 0, applied: 0, lateEvents: 0, malformedOscPackets: 0, unknownOscAddresses: 0, badOscArguments: 0,
    malformedSocketFrames: 0, truncatedSocketFrames: 0, socketDesyncs: 0, malformedMidi: 0, unknownParams: 0,
    queueFull: 0, rejectedTimestamps: 0, panics: 0, flushedByPanic: 0, repliesDropped: 0, refusedConnections: 0, underruns: 0, backendMessages: 0, serverXruns: -1, overloadedBlocks: 0, engineErrors: 0, appliedLost: 0,
    badParamValues: 0, presetErrors: 0, snapshotErrors: 0, refusedSubscriptions: 0,
  };
}

/**
 * The status reply (socket StatusReply JSON, OSC /haptic/status/json, `server.status()`).
 * Levels are over the frames since the previous status request (then reset); dBFS, −Infinity → null.
 */
export interface ServerStatus {
  /** The status format (one key name across preset, scenario, rig, report and status files). */
  formatVersion: 1;
  rig: { name: string; kind: string; sampleRate: number; periodFrames: number; streamBufferingFrames: number };
  engine: string;
  /** The latest period: its stream frame and wall-clock time, and the host → stream clock map. */
  clock: { frameIndex: number; epochMs: number; offsetMs: number; scheduleAheadFrames: number };
  levels: { peakDbfs: (number | null)[]; rmsDbfs: (number | null)[]; frames: number };
  /** Whatever the engine's getStatus() returns (haptic: active stimuli per pool, …), or null. */
  engineStatus: unknown;
  /** The engine's getStats() (haptic: allocations, steals, drops, clipped samples), or null. */
  engineStats: unknown;
  load: { lastBlock: number; meanBlock: number; maxBlock: number; blocks: number };
  pendingEvents: number;
  /**
   * The latest panic: when it arrived (wall clock, and the stream frame the clock map gave then) and the
   * frame where it took effect (null while pending) — how long a panic waited, whatever came before it.
   */
  lastPanic: { arrivalEpochMs: number; arrivalFrame: number; appliedFrame: number | null; /** Arrival → the start of the cycle whose block applied it (wall clock), null while pending; negative with a render delay (the block of a cycle that had begun before it arrived). */ waitMs: number | null } | null;
  counts: ServerCounts;
  clients: { socket: number };
  listening: { osc: string | null; socket: string | null; midi: string | null };
}

const dbOrNull = (x: number) => (x > 0 ? 20 * Math.log10(x) : null);
export { dbOrNull };

/**
 * The status as an OSC bundle's messages (replied to the sender of /haptic/status):
 * /haptic/status/clock d frameIndex d epochMs · /haptic/status/load f last f mean f max ·
 * /haptic/status/peak_dbfs f×N · /haptic/status/rms_dbfs f×N (silence = −200) ·
 * /haptic/status/count/<name> d value (one per ServerCounts key) · /haptic/status/json s <the JSON>.
 */
export function statusToOscMessages(s: ServerStatus, prefix = '/haptic'): OscMessage[] {
  const f = (v: number) => ({ type: 'f', value: v });
  const d = (v: number) => ({ type: 'd', value: v });
  return [
    { address: `${prefix}/status/clock`, args: [d(s.clock.frameIndex), d(s.clock.epochMs)] },
    { address: `${prefix}/status/load`, args: [f(s.load.lastBlock), f(s.load.meanBlock), f(s.load.maxBlock)] },
    { address: `${prefix}/status/peak_dbfs`, args: s.levels.peakDbfs.map((v) => f(v ?? -200)) },
    { address: `${prefix}/status/rms_dbfs`, args: s.levels.rmsDbfs.map((v) => f(v ?? -200)) },
    ...Object.entries(s.counts).map(([k, v]) => ({ address: `${prefix}/status/count/${k}`, args: [d(v)] })),
    { address: `${prefix}/status/json`, args: [{ type: 's', value: JSON.stringify(s) }] },
  ];
}
