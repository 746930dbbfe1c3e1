import type { XrunRecord } from '../../src/host/jack/periodRings.ts';
import type { ServerXrunLine } from './jackServer.ts';

/**
 * One xrun of the audio server during a rig's start, as the harness places it: on the stream clock when
 * the native client recorded it (its JACK xrun callback: `frame`, exact to a period), else only by when
 * jackd's log line reached us (`frame` null; `hostMs` on performance.now()). `kind` from jackd's log:
 * 'driver' (its timer ran late: the machine, not us), 'client' (a client did not finish its cycle),
 * 'unknown' (the server is not ours: its log is not visible); 'jump': cycles JACK ran without our callback (the
 * stream frame moved by more than a period: PeriodRings.jumpsSince), which jackd does not always report.
 */
export interface ServerXrun {
  kind: 'driver' | 'client' | 'unknown' | 'jump';
  /** Stream frame (the rig's frameIndex axis), or null when only the log's arrival is known. */
  frame: number | null;
  /** performance.now() of the xrun (callback) or of its log line's arrival (log only). */
  hostMs: number;
  /** A jump only: how far the stream frame moved at that cycle instead of one period (0: the same frame twice). */
  stepFrames?: number;
}

/** A rig's xrun record: where its xruns are placed from ('callback': the native client, on the stream clock; 'log': jackd's lines by arrival), and the xruns. */
export interface ServerXrunRecord {
  placedBy: 'callback' | 'log';
  xruns: ServerXrun[];
}

/** A log line is read after the callback's notification (both follow JACK's NotifyXRun); at most this much later. */
const LINE_AFTER_RECORD_US = 1_000_000;
/** …and never much before it (the notification thread may be scheduled after jackd wrote its line). */
const LINE_BEFORE_RECORD_US = 20_000;

/** CLOCK_MONOTONIC µs → performance.now() ms: both clocks are monotonic, so one offset, measured now, maps every time. */
export function monotonicUsToHostMs(): (us: number) => number {
  const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
  return (us) => (us - offsetUs) / 1000;
}

/**
 * The native client's xrun records, each given the kind of jackd's log line for the same xrun: records and
 * lines are paired in order, a line within [record − 20 ms, record + 1 s] of its record (every xrun JACK
 * notifies is one line and one notification). Without a log (a server not ours): kind 'unknown'.
 * Records from before the first cycle (frame < 0) are left out.
 */
export function pairXruns(records: readonly XrunRecord[], lines: readonly ServerXrunLine[] | null): ServerXrun[] {
  const out: ServerXrun[] = [];
  const hostMs = monotonicUsToHostMs();
  let next = 0;
  for (const r of records) {
    let kind: ServerXrun['kind'] = 'unknown';
    if (lines) {
      while (next < lines.length && lines[next].arrivedUs < r.jackUs - LINE_BEFORE_RECORD_US) next++;
      if (next < lines.length && lines[next].arrivedUs <= r.jackUs + LINE_AFTER_RECORD_US) kind = lines[next++].kind;
    }
    if (r.frame >= 0) out.push({ kind, frame: r.frame, hostMs: hostMs(r.jackUs) });
  }
  return out;
}

/** jackd's log lines alone (a rig without the native client): placed by their arrival. */
export function xrunsOfLog(lines: readonly ServerXrunLine[]): ServerXrun[] {
  const hostMs = monotonicUsToHostMs();
  return lines.map((l) => ({ kind: l.kind, frame: null, hostMs: hostMs(l.arrivedUs) }));
}
