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
  /** Why the command never took effect (pending list full, flushed by a panic); null otherwise. */
  dropped: string | null;
}

/**
 * The log as a fixed-size ring: the newest `capacity` entries are kept (default 65 536), ids stay dense
 * and keep counting, and memory stays flat whatever the input (each entry is small and bounded: the
 * peer text is cut by the transports). Adding is O(1) — the array it replaces spliced itself on every
 * entry once full, which took a flooded server from 61 676 to ~1 000 commands/s.
 */
export class EventLog {
  private readonly ring: (EventLogEntry | undefined)[];
  private nextId = 0;
  private readonly listeners = new Set<(e: EventLogEntry) => void>();
  private readonly addedListeners = new Set<(e: EventLogEntry) => void>();

  constructor(readonly capacity = 65_536) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`event log capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array(capacity);
  }

  add(entry: Omit<EventLogEntry, 'id'>): EventLogEntry {
    const e = { id: this.nextId++, ...entry };
    this.ring[e.id % this.capacity] = e;
    for (const l of this.addedListeners) l(e);
    return e;
  }

  /** The entry with this id while the ring still holds it. */
  get(id: number): EventLogEntry | undefined {
    if (!(id >= this.firstId && id < this.nextId)) return undefined;
    return this.ring[id % this.capacity];
  }

  markApplied(id: number, appliedFrame: number, requestedFrame: number, late: boolean, hostTimeMs: number, clockOffsetMs: number): void {
    const e = this.get(id);
    if (!e || e.appliedFrame !== null || e.dropped !== null) return;
    e.appliedFrame = appliedFrame;
    e.requestedFrame = requestedFrame < 0 ? null : requestedFrame;
    e.late = late;
    e.appliedHostTimeMs = hostTimeMs;
    e.clockOffsetMs = clockOffsetMs;
    for (const l of this.listeners) l(e);
  }

  /** The command will never take effect; returns the entry (undefined when no longer held). */
  markDropped(id: number, reason: string): EventLogEntry | undefined {
    const e = this.get(id);
    if (!e || e.appliedFrame !== null || e.dropped !== null) return undefined;
    e.dropped = reason;
    return e;
  }

  /** Entries with id ≥ fromId that the ring still holds, oldest first. */
  since(fromId = 0): EventLogEntry[] {
    const out: EventLogEntry[] = [];
    for (let id = Math.max(fromId, this.firstId); id < this.nextId; id++) out.push(this.ring[id % this.capacity] as EventLogEntry);
    return out;
  }

  /** Entries added so far (ids 0 … size − 1), held or not. */
  get size(): number {
    return this.nextId;
  }

  /** The oldest id still held. */
  get firstId(): number {
    return Math.max(0, this.nextId - this.capacity);
  }

  /** Called once per entry when it is added (a command arrived). Returns an unsubscribe function. */
  onAdded(listener: (e: EventLogEntry) => void): () => void {
    this.addedListeners.add(listener);
    return () => this.addedListeners.delete(listener);
  }

  /** Called once per entry when it takes effect. Returns an unsubscribe function. */
  onApplied(listener: (e: EventLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
