/**
 * Engine events. Every event carries `offsetFrames`, the sample inside the current block at which it
 * takes effect (0 ≤ offsetFrames < frames). Events are plain mutable records so that a host can keep a
 * preallocated pool of them and reuse it on the audio thread without allocating.
 *
 * Normalised MPE values (MIDI Polyphonic Expression 1.0):
 * - pressure (channel aftertouch): 0…1 (raw 0…127 / 127)
 * - pitch bend: −1…+1 (raw 14-bit 0…16383, centre 8192, (raw − 8192) / 8192)
 * - timbre (CC74): 0…1, centre 0.5 (raw 0…127 / 127)
 */
export const EventKind = {
  NoteOn: 1,
  NoteOff: 2,
  Pressure: 3,
  PitchBend: 4,
  Timbre: 5,
  ControlChange: 6,
  Param: 7,
  Panic: 8,
  /**
   * Switch to the engine instance staged for this id (`value`) with a crossfade: read by the host's
   * CrossfadeEngine (crossfadeEngine.ts), never passed on to the engines inside it.
   */
  Swap: 9,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface EngineEvent {
  kind: EventKind;
  /** Sample inside the block where the event takes effect. */
  offsetFrames: number;
  /** MIDI channel 0…15. */
  channel: number;
  /** MIDI note 0…127 (NoteOn/NoteOff), controller number (ControlChange). */
  note: number;
  /** Velocity 0…127 (NoteOn/NoteOff), the normalised MPE value, the CC value 0…127, or the parameter value. */
  value: number;
  /** Index of the parameter for Param events (the engine's `paramNames` order), else 0. */
  paramIndex: number;
}

/** An event placed on the absolute timeline of a render, in frames from the start. */
export interface TimedEvent extends Omit<EngineEvent, 'offsetFrames'> {
  atFrame: number;
}

export function makeEvent(): EngineEvent {
  return { kind: EventKind.Panic, offsetFrames: 0, channel: 0, note: 0, value: 0, paramIndex: 0 };
}

/** Shorthand constructors for timelines (not for the audio thread). */
export const at = {
  noteOn: (atFrame: number, channel: number, note: number, velocity: number): TimedEvent => ({
    kind: EventKind.NoteOn, atFrame, channel, note, value: velocity, paramIndex: 0,
  }),
  noteOff: (atFrame: number, channel: number, note: number, velocity = 0): TimedEvent => ({
    kind: EventKind.NoteOff, atFrame, channel, note, value: velocity, paramIndex: 0,
  }),
  pressure: (atFrame: number, channel: number, pressure01: number): TimedEvent => ({
    kind: EventKind.Pressure, atFrame, channel, note: 0, value: pressure01, paramIndex: 0,
  }),
  pitchBend: (atFrame: number, channel: number, bendNormalised: number): TimedEvent => ({
    kind: EventKind.PitchBend, atFrame, channel, note: 0, value: bendNormalised, paramIndex: 0,
  }),
  timbre: (atFrame: number, channel: number, timbre01: number): TimedEvent => ({
    kind: EventKind.Timbre, atFrame, channel, note: 0, value: timbre01, paramIndex: 0,
  }),
  param: (atFrame: number, paramIndex: number, value: number): TimedEvent => ({
    kind: EventKind.Param, atFrame, channel: 0, note: 0, value, paramIndex,
  }),
  panic: (atFrame: number): TimedEvent => ({
    kind: EventKind.Panic, atFrame, channel: 0, note: 0, value: 0, paramIndex: 0,
  }),
  swap: (atFrame: number, id: number): TimedEvent => ({
    kind: EventKind.Swap, atFrame, channel: 0, note: 0, value: id, paramIndex: 0,
  }),
};
