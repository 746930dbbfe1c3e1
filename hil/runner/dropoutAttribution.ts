import type { ServerXrun, ServerXrunRecord } from '../jack/serverXruns.ts';
import type { DropoutAttribution, DropoutFinding } from '../report/runReport.ts';

/** An audio server's xrun placed on the scenario's frame axis (the capture's). */
export interface ScenarioXrun {
  kind: ServerXrun['kind'];
  frame: number;
  /** 'callback': the native client's record, exact to a period; 'log': when jackd's line reached us (later than the xrun). */
  placedBy: 'callback' | 'log';
}

/**
 * How far a content dropout may lie from a driver xrun and still be its effect, periods of the rig:
 * the late cycle's block reaches the capture one loopback period later, and an asynchronous server plays
 * what its clients wrote one cycle earlier, so the break shows 1–2 periods after the xrun's cycle; the
 * detectors place an event within a few windows of its true start. 8 periods (+ 2 ms) either side covers
 * that with room; at 64 frames, ±12.7 ms.
 */
const CALLBACK_WINDOW_PERIODS = 8;
const WINDOW_EXTRA_MS = 2;
/** A log line reaches the harness after the xrun (pipe, a busy event loop): look this far before it. */
const LOG_DELAY_MS = 250;

/** A run's xrun record on its scenario frames. */
export interface ScenarioXrunRecord {
  placedBy: ServerXrunRecord['placedBy'];
  xruns: ScenarioXrun[];
}

/** The xruns of a run on its scenario frames (the rig's stream frame minus the run's origin; a log line by the after-run clock map). */
export function scenarioXruns(record: ServerXrunRecord, originFrame: number, frameAtHostMs: (hostMs: number) => number): ScenarioXrunRecord {
  return { placedBy: record.placedBy, xruns: record.xruns.map((x) => x.frame !== null
    ? { kind: x.kind, frame: x.frame - originFrame, placedBy: 'callback' as const }
    : { kind: x.kind, frame: Math.round(frameAtHostMs(x.hostMs)) - originFrame, placedBy: 'log' as const }) };
}

/**
 * The content's dropouts split by whose they are. Findings on any channel within 1 ms of each other are one
 * stream event (as the dropout budget counts them); an event is the environment's when a DRIVER xrun of the
 * audio server (jackd's dummy driver running late: the machine, which no client can prevent) lies at the same
 * moment — within ±(8 periods + 2 ms) of a callback-placed xrun, or up to 250 ms before a log-placed one
 * (its line arrives late) and 8 periods + 2 ms after it — unless an underrun of the server's output ring lies
 * within the same window: an underrun is the server's whatever the driver did (a late driver gives the
 * renderer more time, never less). Every other event is the server's (unexplained). Without an xrun record
 * (`record` null) every event is unexplained. `underruns.frames`: scenario frames of the underruns when the
 * rig records them (null: only their count is known, and no event is excused while there is one).
 */
export function attributeDropouts(
  content: readonly DropoutFinding[], record: ScenarioXrunRecord | null, underruns: { count: number; frames: readonly number[] | null },
  sampleRate: number, periodFrames: number,
): DropoutAttribution {
  const windowFrames = CALLBACK_WINDOW_PERIODS * periodFrames + Math.round((WINDOW_EXTRA_MS * sampleRate) / 1000);
  const logDelayFrames = Math.round((LOG_DELAY_MS * sampleRate) / 1000);
  const xruns = record?.xruns ?? [];
  const drivers = xruns.filter((x) => x.kind === 'driver');
  const nearUnderrun = (frame: number) => (underruns.frames === null ? underruns.count > 0 : underruns.frames.some((u) => Math.abs(frame - u) <= windowFrames));
  const explainedBy = (frame: number) => !nearUnderrun(frame) && drivers.some((x) => x.placedBy === 'callback'
    ? Math.abs(frame - x.frame) <= windowFrames
    : frame >= x.frame - logDelayFrames - windowFrames && frame <= x.frame + windowFrames);
  const environment: number[] = [];
  const unexplained: number[] = [];
  for (const start of streamEventStarts(content, sampleRate)) (explainedBy(start) ? environment : unexplained).push(start);
  return {
    xrunRecord: record === null ? 'none' : record.placedBy,
    serverEventCount: unexplained.length,
    outputRingUnderrunCount: underruns.count,
    environmentEventCount: environment.length,
    driverXrunCount: drivers.length,
    clientXrunCount: xruns.filter((x) => x.kind === 'client').length,
    unknownXrunCount: xruns.filter((x) => x.kind === 'unknown').length,
    matchWindowMs: (windowFrames * 1000) / sampleRate,
    serverEventSeconds: unexplained.slice(0, 100).map((f) => f / sampleRate),
    environmentEventSeconds: environment.slice(0, 100).map((f) => f / sampleRate),
    driverXrunSeconds: drivers.slice(0, 100).map((x) => x.frame / sampleRate),
  };
}

/** First frame of each stream event: findings within 1 ms of the previous one belong to its event (dropoutEvents' grouping). */
export function streamEventStarts(findings: readonly DropoutFinding[], sampleRate: number): number[] {
  const starts = findings.map((d) => d.startFrame).sort((a, b) => a - b);
  const window = sampleRate / 1000;
  const out: number[] = [];
  let last = -Infinity;
  for (const s of starts) {
    if (s - last > window) out.push(s);
    last = s;
  }
  return out;
}
