import type { EventKind, TimedEvent } from '../engine/events.ts';
import { MidiDecoder } from '../protocols/midi/midiDecoder.ts';

/** An engine event decoded from MIDI, without timing (the transport supplies it). */
export interface MidiEngineEvent {
  kind: EventKind;
  channel: number;
  note: number;
  value: number;
}

/**
 * Raw MIDI bytes → engine events for one byte stream (one per socket connection or MIDI port, so
 * running status carries across that stream's frames and never across clients). A thin adapter over
 * the project's decoder (src/protocols/midi/midiDecoder.ts: running status, real-time bytes, SysEx,
 * MPE normalisation, CC120/123 → Panic), exposing a running error count and the last reason.
 */
export class MidiStream {
  private readonly decoder: MidiDecoder;
  private readonly out: TimedEvent[] = [];

  constructor(source = 'MIDI input') {
    this.decoder = new MidiDecoder(source);
  }

  /** Bytes rejected so far. */
  get errors(): number {
    return this.decoder.errorCount;
  }

  /** The most recent rejection: "byte 0x40 at offset 0: …", or ''. */
  get lastError(): string {
    const e = this.decoder.errors[this.decoder.errors.length - 1];
    return e ? `byte 0x${e.byte.toString(16).padStart(2, '0')} at offset ${e.offset}: ${e.reason}` : '';
  }

  decode(bytes: Uint8Array, emit: (e: MidiEngineEvent) => void): void {
    this.out.length = 0;
    this.decoder.push(bytes, 0, this.out);
    for (const e of this.out) emit({ kind: e.kind, channel: e.channel, note: e.note, value: e.value });
  }
}
