import { EventKind } from '../../src/engine/events.ts';

/** An engine event decoded from MIDI, without timing (the transport supplies it). */
export interface MidiEngineEvent {
  kind: EventKind;
  channel: number;
  note: number;
  value: number;
}

/**
 * Raw MIDI bytes → engine events for one byte stream (running status carries across calls).
 * The server's own small decoder, used until src/protocols/midi/midiDecoder.ts (engines issue) is
 * wired in; it follows the same normalisation (events.ts): note on velocity 0 = note off, channel
 * pressure /127, 14-bit bend (raw − 8192)/8192, CC74 → timbre /127, other CCs → ControlChange.
 * System real-time bytes (0xF8…0xFF) are ignored; SysEx is skipped to 0xF7; anything else that does
 * not fit (a data byte without status, a status cut short) is counted in `errors` with the reason.
 */
export class MidiStream {
  errors = 0;
  lastError = '';
  private status = 0;
  private readonly data = [0, 0];
  private have = 0;
  private inSysex = false;

  decode(bytes: Uint8Array, emit: (e: MidiEngineEvent) => void): void {
    for (const b of bytes) {
      if (b >= 0xf8) continue;
      if (this.inSysex) {
        if (b === 0xf7) this.inSysex = false;
        else if (b >= 0x80) { this.inSysex = false; this.fail(`SysEx interrupted by status 0x${b.toString(16)}`); this.takeStatus(b); }
        continue;
      }
      if (b >= 0x80) {
        if (this.have > 0) this.fail(`status 0x${this.status.toString(16)} cut short by 0x${b.toString(16)}`);
        this.takeStatus(b);
        continue;
      }
      if (this.status === 0) { this.fail(`data byte 0x${b.toString(16)} without a status byte`); continue; }
      this.data[this.have++] = b;
      if (this.have === dataLength(this.status)) {
        this.have = 0;
        this.dispatch(emit);
      }
    }
  }

  private takeStatus(b: number): void {
    this.have = 0;
    if (b === 0xf0) { this.inSysex = true; this.status = 0; return; }
    if (b >= 0xf0) { this.status = 0; if (b === 0xf7) this.fail('EOX without SysEx'); return; }
    this.status = b;
  }

  private fail(reason: string): void {
    this.errors++;
    this.lastError = reason;
  }

  private dispatch(emit: (e: MidiEngineEvent) => void): void {
    const channel = this.status & 0x0f;
    const [d1, d2] = this.data;
    switch (this.status & 0xf0) {
      case 0x80: emit({ kind: EventKind.NoteOff, channel, note: d1, value: d2 }); break;
      case 0x90: emit({ kind: d2 === 0 ? EventKind.NoteOff : EventKind.NoteOn, channel, note: d1, value: d2 }); break;
      case 0xd0: emit({ kind: EventKind.Pressure, channel, note: 0, value: d1 / 127 }); break;
      case 0xe0: emit({ kind: EventKind.PitchBend, channel, note: 0, value: ((d2 << 7 | d1) - 8192) / 8192 }); break;
      case 0xb0:
        emit(d1 === 74 ? { kind: EventKind.Timbre, channel, note: 0, value: d2 / 127 } : { kind: EventKind.ControlChange, channel, note: d1, value: d2 });
        break;
      default: break; // polyphonic aftertouch 0xA0, program change 0xC0: not used by the engines
    }
  }
}

function dataLength(status: number): number {
  const hi = status & 0xf0;
  return hi === 0xc0 || hi === 0xd0 ? 1 : 2;
}
