import type { Timestamp } from '../protocols/ipc/controlCommand.ts';

export type EventSource = 'osc' | 'socket' | 'midi' | 'api';

/**
 * One command as the server saw it: when it arrived and at which sample it took effect. Frames are the
 * rig's stream clock (hil/rigs/audioRig.ts): the engine sample `appliedFrame` is played at output frame
 * appliedFrame + rig.streamBufferingFrames.
 */
export interface EventLogEntry {
  /** Dense id, 0, 1, 2 … in arrival order. */
  id: number;
  source: EventSource;
  /** Peer: "udp 127.0.0.1:51234", "socket #3", the MIDI port name, "api". */
  peer: string;
  /** Client sequence number (IPC frames), else 0. */
  seq: number;
  /** 'noteOn' | 'noteOff' | 'mpe' | 'panic' | 'param' | 'midi:<kind>' … */
  type: string;
  channel: number;
  note: number;
  value: number;
  /** Wall-clock arrival (performance.timeOrigin + performance.now() when the bytes were decoded). */
  arrivalEpochMs: number;
  /** The stream frame the server's clock map gave for the arrival time (NaN before the first period). */
  arrivalFrame: number;
  timestamp?: Timestamp;
  /** The timestamp on the stream clock, or null without one. */
  requestedFrame: number | null;
  /** Engine stream frame where the event took effect; null while pending. */
  appliedFrame: number | null;
  late: boolean;
  /** performance.now() of the callback that applied it. */
  appliedHostTimeMs: number | null;
  /**
   * The server's host → stream clock map when it was applied: stream frame F ↔ epoch ms
   * clockOffsetMs + F·1000/fs. The DAC plays appliedFrame at about
   * clockOffsetMs + (appliedFrame + rig.streamBufferingFrames)·1000/fs.
   */
  clockOffsetMs: number | null;
}

/** Bounded, append-only log (oldest entries are discarded past `capacity`; ids stay dense). */
export class EventLog {
  private readonly entries: EventLogEntry[] = [];
  private firstId = 0;
  private nextId = 0;
  private readonly listeners = new Set<(e: EventLogEntry) => void>();

  constructor(readonly capacity = 1_000_000) {}

  add(entry: Omit<EventLogEntry, 'id'>): EventLogEntry {
    const e = { id: this.nextId++, ...entry };
    this.entries.push(e);
    if (this.entries.length > this.capacity) {
      this.entries.splice(0, this.entries.length - this.capacity);
      this.firstId = this.entries[0].id;
    }
    return e;
  }

  get(id: number): EventLogEntry | undefined {
    return this.entries[id - this.firstId];
  }

  markApplied(id: number, appliedFrame: number, requestedFrame: number, late: boolean, hostTimeMs: number, clockOffsetMs: number): void {
    const e = this.get(id);
    if (!e || e.appliedFrame !== null) return;
    e.appliedFrame = appliedFrame;
    e.requestedFrame = requestedFrame < 0 ? null : requestedFrame;
    e.late = late;
    e.appliedHostTimeMs = hostTimeMs;
    e.clockOffsetMs = clockOffsetMs;
    for (const l of this.listeners) l(e);
  }

  /** Entries with id ≥ fromId (copies of the array, entries shared). */
  since(fromId = 0): EventLogEntry[] {
    return this.entries.slice(Math.max(0, fromId - this.firstId));
  }

  get size(): number {
    return this.nextId;
  }

  /** Called once per entry when it takes effect. Returns an unsubscribe function. */
  onApplied(listener: (e: EventLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
