/**
 * A command to the rig server, as decoded from any transport (OSC, the IPC socket, MIDI, in-process).
 * The control side allocates these freely; the audio side sees only the fixed-size records they are
 * packed into (src/host/recordRing.ts).
 *
 * Timestamps:
 * - `frame`: the engine's stream frame (the rig's stream clock, see hil/rigs/audioRig.ts): the sample
 *   of the engine output where the event takes effect. Exact and drift-free; clients read the clock
 *   from the status reply (`clock.frameIndex`, `clock.epochMs`).
 * - `epochMs`: wall-clock milliseconds since 1970 (performance.timeOrigin + performance.now(), the same
 *   in every process on this machine), mapped to a stream frame by the server's measured clock
 *   (lower envelope of callback time − frame time) plus its `scheduleAheadMs` safety margin.
 * No timestamp: the event takes effect at the first sample of the next engine block.
 */
export type Timestamp = { kind: 'frame'; frame: number } | { kind: 'epochMs'; epochMs: number };

interface Common {
  timestamp?: Timestamp;
  /** Client-chosen sequence number, echoed in the event log (IPC frames; 0 otherwise). */
  seq?: number;
}

export type ControlCommand = Common & (
  | { type: 'noteOn'; channel: number; note: number; velocity: number }
  | { type: 'noteOff'; channel: number; note: number; velocity: number }
  /** Normalised MPE: pressure 0…1, bend −1…+1, timbre 0…1. */
  | { type: 'mpe'; channel: number; pressure: number; bend: number; timbre: number }
  | { type: 'panic' }
  /** A parameter by index (IPC) or by name (OSC address /haptic/param/<name>). */
  | { type: 'param'; index?: number; name?: string; value: number }
  /** Raw MIDI bytes (running status allowed within one stream); decoded by the server. */
  | { type: 'midi'; bytes: Uint8Array }
  /** Ask for a status reply. */
  | { type: 'status' }
);

export type ControlCommandType = ControlCommand['type'];

/** Checks ranges shared by every transport; returns an error text or undefined. */
export function commandRangeError(cmd: ControlCommand): string | undefined {
  const int = (v: number, lo: number, hi: number, what: string) =>
    Number.isInteger(v) && v >= lo && v <= hi ? undefined : `${what} must be an integer ${lo}…${hi}, got ${v}`;
  const real = (v: number, lo: number, hi: number, what: string) =>
    Number.isFinite(v) && v >= lo && v <= hi ? undefined : `${what} must be a number ${lo}…${hi}, got ${v}`;
  if (cmd.timestamp) {
    const t = cmd.timestamp;
    const v = t.kind === 'frame' ? t.frame : t.epochMs;
    if (!Number.isFinite(v) || v < 0) return `timestamp (${t.kind}) must be a finite number ≥ 0, got ${v}`;
  }
  switch (cmd.type) {
    case 'noteOn':
    case 'noteOff':
      return int(cmd.channel, 0, 15, 'channel') ?? int(cmd.note, 0, 127, 'note') ?? int(cmd.velocity, 0, 127, 'velocity');
    case 'mpe':
      return int(cmd.channel, 0, 15, 'channel') ?? real(cmd.pressure, 0, 1, 'pressure') ??
        real(cmd.bend, -1, 1, 'bend') ?? real(cmd.timbre, 0, 1, 'timbre');
    case 'param':
      return real(cmd.value, -1e9, 1e9, 'value') ?? (cmd.index !== undefined ? int(cmd.index, 0, 65535, 'parameter index') : undefined);
    case 'midi':
      return cmd.bytes.length === 0 ? 'MIDI payload is empty' : undefined;
    default:
      return undefined;
  }
}
