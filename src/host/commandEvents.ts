import { EventKind, type TimedEvent } from '../engine/events.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';

/** One engine event as the server queues it: [kind, channel, note, value, paramIndex]. */
export type EventRow = [kind: number, channel: number, note: number, value: number, paramIndex: number];

/**
 * The engine events a decoded command becomes — the one mapping shared by the rig server (what it
 * applies) and the HIL runner (what it renders offline to know what the rig should have played).
 * Returns an error text for a parameter the engine does not have. MIDI and status commands are
 * handled by their own paths and give no rows here.
 */
export function commandEventRows(cmd: ControlCommand, paramNames: readonly string[]): EventRow[] | string {
  switch (cmd.type) {
    case 'noteOn': return [[EventKind.NoteOn, cmd.channel, cmd.note, cmd.velocity, 0]];
    case 'noteOff': return [[EventKind.NoteOff, cmd.channel, cmd.note, cmd.velocity, 0]];
    case 'panic': return [[EventKind.Panic, 0, 0, 0, 0]];
    case 'mpe': return [
      [EventKind.Pressure, cmd.channel, 0, cmd.pressure, 0],
      [EventKind.PitchBend, cmd.channel, 0, cmd.bend, 0],
      [EventKind.Timbre, cmd.channel, 0, cmd.timbre, 0],
    ];
    case 'param': {
      const index = cmd.name !== undefined ? paramNames.indexOf(cmd.name) : (cmd.index ?? -1);
      if (index < 0 || index >= paramNames.length) {
        return `unknown parameter ${cmd.name ?? `#${cmd.index}`} (known: ${paramNames.join(', ') || 'none'})`;
      }
      return [[EventKind.Param, 0, 0, cmd.value, index]];
    }
    default:
      return [];
  }
}

/** The rows placed on a render timeline at `atFrame`. */
export function rowsToTimedEvents(rows: readonly EventRow[], atFrame: number): TimedEvent[] {
  return rows.map(([kind, channel, note, value, paramIndex]) => ({ kind: kind as TimedEvent['kind'], atFrame, channel, note, value, paramIndex }));
}
