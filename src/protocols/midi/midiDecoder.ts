import { EventKind, type TimedEvent } from '../../engine/events.ts';

/** One rejected byte: where it was, what it was, and what the decoder expected instead. */
export interface MidiByteError {
  source: string;
  /** Byte offset counted from the first byte this decoder was given (across pushes). */
  offset: number;
  byte: number;
  reason: string;
}

/** Data bytes that follow each channel-voice status (high nibble 0x8…0xE). */
const CHANNEL_DATA_BYTES = [2, 2, 2, 2, 1, 1, 2] as const;
/** Data bytes after the system-common statuses 0xF1…0xF6 (−1: undefined status). */
const SYSTEM_COMMON_DATA_BYTES: Record<number, number> = { 0xf1: 1, 0xf2: 2, 0xf3: 1, 0xf4: -1, 0xf5: -1, 0xf6: 0 };
const KEPT_ERRORS = 64;

/**
 * A streaming MIDI 1.0 byte decoder that turns raw bytes into engine events (MIDI 1.0 Detailed
 * Specification 4.2, ch. 2; MPE 1.0 for the normalised expression values):
 * - running status (a data byte after a complete channel message repeats its status);
 * - system real-time bytes (0xF8…0xFF) may appear anywhere, even inside a message, and are ignored;
 * - system exclusive (0xF0 … 0xF7) is skipped; any status byte ends it;
 * - note-on with velocity 0 is a note-off; channel pressure → Pressure 0…1 (raw/127);
 *   pitch bend (LSB, MSB) → (raw14 − 8192)/8192 ∈ [−1, +8191/8192]; CC74 → Timbre 0…1;
 *   CC120 (all sound off) and CC123 (all notes off) → Panic; other CCs → ControlChange;
 *   program change, polyphonic pressure and system-common messages are consumed and produce nothing.
 * Malformed input — a data byte with no status to apply it to, a message cut short by a new status,
 * an undefined status (0xF4, 0xF5) or a stray end-of-exclusive — is counted and reported with its
 * byte offset, never thrown. A message cut off by the end of a chunk continues with the next push();
 * `end()` reports one left incomplete.
 */
export class MidiDecoder {
  /** Rejected bytes so far. */
  errorCount = 0;
  /** The most recent rejections (at most 64). */
  readonly errors: MidiByteError[] = [];
  private status = 0;
  private statusOffset = 0;
  private needed = 0;
  private data: number[] = [];
  private inSysex = false;
  private offset = 0;

  constructor(readonly source = 'MIDI input') {}

  /** Decodes `bytes`, appending events at `atFrame` to `out` (returned). */
  push(bytes: Uint8Array | readonly number[], atFrame = 0, out: TimedEvent[] = []): TimedEvent[] {
    for (let i = 0; i < bytes.length; i++, this.offset++) {
      const b = bytes[i] & 0xff;
      if (b >= 0xf8) continue;
      if (b & 0x80) {
        this.startStatus(b);
        continue;
      }
      if (this.inSysex) continue;
      if (this.status === 0) {
        this.reject(b, 'a data byte with no status byte before it (expected a status byte 0x80–0xFF)');
        continue;
      }
      this.data.push(b);
      if (this.data.length === this.needed) {
        this.emit(atFrame, out);
        this.data.length = 0;
        // Running status continues for channel messages; system-common messages cancel it.
        if (this.status >= 0xf0) this.status = 0;
      }
    }
    return out;
  }

  /** Reports a message left incomplete at the end of the stream. */
  end(): void {
    if (this.data.length > 0) this.truncated();
    this.data.length = 0;
    this.status = 0;
    this.inSysex = false;
  }

  private startStatus(b: number): void {
    if (this.data.length > 0) this.truncated();
    this.data.length = 0;
    if (b === 0xf7) {
      if (!this.inSysex) this.reject(b, 'an end-of-exclusive (0xF7) outside a system-exclusive message');
      this.inSysex = false;
      this.status = 0;
      return;
    }
    this.inSysex = false;
    if (b === 0xf0) {
      this.inSysex = true;
      this.status = 0;
      return;
    }
    if (b < 0xf0) {
      this.status = b;
      this.statusOffset = this.offset;
      this.needed = CHANNEL_DATA_BYTES[(b >> 4) - 8];
      return;
    }
    const n = SYSTEM_COMMON_DATA_BYTES[b];
    this.status = 0;
    if (n < 0) {
      this.reject(b, 'an undefined system-common status (0xF4/0xF5)');
      return;
    }
    if (n > 0) {
      this.status = b;
      this.statusOffset = this.offset;
      this.needed = n;
    }
  }

  private truncated(): void {
    this.recordError(this.statusOffset, this.status,
      `a message cut short: status 0x${this.status.toString(16).toUpperCase()} needs ${this.needed} data byte(s), got ${this.data.length}`);
  }

  private reject(byte: number, reason: string): void {
    this.recordError(this.offset, byte, reason);
  }

  private recordError(offset: number, byte: number, reason: string): void {
    this.errorCount++;
    if (this.errors.length >= KEPT_ERRORS) this.errors.shift();
    this.errors.push({ source: this.source, offset, byte, reason: `${this.source}: byte ${offset} (0x${byte.toString(16).toUpperCase().padStart(2, '0')}): ${reason}` });
  }

  private emit(atFrame: number, out: TimedEvent[]): void {
    const s = this.status;
    if (s >= 0xf0) return;
    const channel = s & 0x0f;
    const [d1, d2] = this.data;
    const ev = (kind: EventKind, note: number, value: number): void => {
      out.push({ kind, atFrame, channel, note, value, paramIndex: 0 });
    };
    switch (s >> 4) {
      case 0x8: ev(EventKind.NoteOff, d1, d2); break;
      case 0x9: ev(d2 === 0 ? EventKind.NoteOff : EventKind.NoteOn, d1, d2); break;
      case 0xb:
        if (d1 === 74) ev(EventKind.Timbre, 0, d2 / 127);
        else if (d1 === 120 || d1 === 123) ev(EventKind.Panic, 0, 0);
        else ev(EventKind.ControlChange, d1, d2);
        break;
      case 0xd: ev(EventKind.Pressure, 0, d1 / 127); break;
      case 0xe: ev(EventKind.PitchBend, 0, ((d2 << 7) + d1 - 8192) / 8192); break;
      default: break; // 0xA poly pressure, 0xC program change: consumed, no engine event
    }
  }
}

/** Decodes a complete byte string; returns the events and the rejected bytes. */
export function decodeMidi(bytes: Uint8Array | readonly number[], source = 'MIDI input', atFrame = 0): { events: TimedEvent[]; errors: MidiByteError[]; errorCount: number } {
  const d = new MidiDecoder(source);
  const events = d.push(bytes, atFrame);
  d.end();
  return { events, errors: [...d.errors], errorCount: d.errorCount };
}
