import { type ControlCommand, type Timestamp, commandRangeError } from './controlCommand.ts';

/**
 * The rig server's Unix-socket protocol: length-prefixed binary frames, little-endian.
 *
 * ```
 * offset size  field
 *  0     u32   bodyLength: bytes after this field = 16 + payload length (16 … 16 + 65536)
 *  4     u8    version = 1
 *  5     u8    type (FrameType)
 *  6     u8    timestampKind: 0 none, 1 stream frame, 2 epoch ms (see controlCommand.ts)
 *  7     u8    reserved, 0
 *  8     u32   seq: client-chosen, echoed in the event log and in replies
 * 12     f64   timestamp (ignored when timestampKind = 0)
 * 20     …     payload
 * ```
 * Payloads (exact sizes; anything else is a malformed frame):
 * - NoteOn 0x01 / NoteOff 0x02 (4): u8 channel 0…15, u8 note 0…127, u8 velocity 0…127, u8 0
 * - MpeUpdate 0x03 (16): u8 channel, 3 × u8 0, f32 pressure 0…1, f32 bend −1…1, f32 timbre 0…1
 * - Panic 0x04 (0)
 * - MidiBytes 0x05 (1…65536): raw MIDI bytes, running status carried across frames of one connection
 * - Param 0x06 (8): u16 parameter index (engine.paramNames order), u16 0, f32 value
 * - StatusRequest 0x10 (0): the server answers with a StatusReply
 * Server → client:
 * - StatusReply 0x81: UTF-8 JSON status (src/host/serverStatus.ts), seq echoed
 * - ErrorReply 0x82: UTF-8 JSON `{ "error": text, "seq": n }` for a malformed frame
 *
 * A frame with a bad version, type, size or value is skipped (its length is trusted) and reported; a
 * bodyLength outside 16…65552 cannot be resynchronised and ends the connection.
 */
export const FrameType = {
  NoteOn: 0x01,
  NoteOff: 0x02,
  MpeUpdate: 0x03,
  Panic: 0x04,
  MidiBytes: 0x05,
  Param: 0x06,
  StatusRequest: 0x10,
  StatusReply: 0x81,
  ErrorReply: 0x82,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const FRAME_VERSION = 1;
export const FRAME_PREFIX_BYTES = 4;
export const FRAME_HEADER_BYTES = 16;
export const FRAME_MAX_PAYLOAD_BYTES = 65536;

export class IpcFrameError extends Error {
  constructor(message: string, readonly seq = 0) {
    super(message);
    this.name = 'IpcFrameError';
  }
}

const PAYLOAD_BYTES: Record<number, number | undefined> = {
  [FrameType.NoteOn]: 4, [FrameType.NoteOff]: 4, [FrameType.MpeUpdate]: 16, [FrameType.Panic]: 0,
  [FrameType.Param]: 8, [FrameType.StatusRequest]: 0,
};

/** Encodes a command as one frame (client side and tests). */
export function encodeCommandFrame(cmd: ControlCommand): Uint8Array {
  let payload: Uint8Array;
  let type: number;
  const le = (n: number) => {
    const b = new Uint8Array(n);
    return { b, v: new DataView(b.buffer) };
  };
  switch (cmd.type) {
    case 'noteOn':
    case 'noteOff': {
      type = cmd.type === 'noteOn' ? FrameType.NoteOn : FrameType.NoteOff;
      payload = Uint8Array.of(cmd.channel, cmd.note, cmd.velocity, 0);
      break;
    }
    case 'mpe': {
      type = FrameType.MpeUpdate;
      const { b, v } = le(16);
      b[0] = cmd.channel;
      v.setFloat32(4, cmd.pressure, true);
      v.setFloat32(8, cmd.bend, true);
      v.setFloat32(12, cmd.timbre, true);
      payload = b;
      break;
    }
    case 'panic': type = FrameType.Panic; payload = new Uint8Array(0); break;
    case 'status': type = FrameType.StatusRequest; payload = new Uint8Array(0); break;
    case 'midi': type = FrameType.MidiBytes; payload = cmd.bytes; break;
    case 'param': {
      type = FrameType.Param;
      const { b, v } = le(8);
      v.setUint16(0, cmd.index ?? 0, true);
      v.setFloat32(4, cmd.value, true);
      payload = b;
      break;
    }
  }
  return encodeFrame(type, payload, cmd.seq ?? 0, cmd.timestamp);
}

/** Encodes any frame (also the server's replies). */
export function encodeFrame(type: number, payload: Uint8Array, seq = 0, timestamp?: Timestamp): Uint8Array {
  const out = new Uint8Array(FRAME_PREFIX_BYTES + FRAME_HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, FRAME_HEADER_BYTES + payload.length, true);
  out[4] = FRAME_VERSION;
  out[5] = type;
  out[6] = timestamp ? (timestamp.kind === 'frame' ? 1 : 2) : 0;
  v.setUint32(8, seq >>> 0, true);
  v.setFloat64(12, timestamp ? (timestamp.kind === 'frame' ? timestamp.frame : timestamp.epochMs) : 0, true);
  out.set(payload, FRAME_PREFIX_BYTES + FRAME_HEADER_BYTES);
  return out;
}

export interface DecodedFrame {
  type: number;
  seq: number;
  timestamp?: Timestamp;
  payload: Uint8Array;
}

/** Parses the header of one complete body (bytes after the length prefix). Throws IpcFrameError. */
export function decodeFrameBody(body: Uint8Array): DecodedFrame {
  if (body.length < FRAME_HEADER_BYTES) throw new IpcFrameError(`frame body is ${body.length} bytes, expected ≥ ${FRAME_HEADER_BYTES}`);
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const seq = v.getUint32(4, true);
  if (body[0] !== FRAME_VERSION) throw new IpcFrameError(`frame version ${body[0]}, expected ${FRAME_VERSION}`, seq);
  const tsKind = body[2];
  if (tsKind > 2) throw new IpcFrameError(`timestamp kind ${tsKind}, expected 0 (none), 1 (frame) or 2 (epoch ms)`, seq);
  const t = v.getFloat64(8, true);
  const timestamp: Timestamp | undefined = tsKind === 1 ? { kind: 'frame', frame: t } : tsKind === 2 ? { kind: 'epochMs', epochMs: t } : undefined;
  return { type: body[1], seq, timestamp, payload: body.subarray(FRAME_HEADER_BYTES) };
}

/** Turns a decoded client frame into a validated command. Throws IpcFrameError naming what is wrong. */
export function frameToCommand(frame: DecodedFrame): ControlCommand {
  const { type, payload: p, seq, timestamp } = frame;
  const name = Object.entries(FrameType).find(([, t]) => t === type)?.[0];
  const expected = PAYLOAD_BYTES[type];
  if (type === FrameType.MidiBytes) {
    if (p.length < 1) throw new IpcFrameError('MidiBytes payload is empty, expected 1…65536 bytes', seq);
  } else if (expected === undefined) {
    throw new IpcFrameError(`unknown frame type 0x${type.toString(16).padStart(2, '0')}${name ? ` (${name} is server → client)` : ''}`, seq);
  } else if (p.length !== expected) {
    throw new IpcFrameError(`${name} payload is ${p.length} bytes, expected ${expected}`, seq);
  }
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  let cmd: ControlCommand;
  switch (type) {
    case FrameType.NoteOn: cmd = { type: 'noteOn', channel: p[0], note: p[1], velocity: p[2] }; break;
    case FrameType.NoteOff: cmd = { type: 'noteOff', channel: p[0], note: p[1], velocity: p[2] }; break;
    case FrameType.MpeUpdate:
      cmd = { type: 'mpe', channel: p[0], pressure: v.getFloat32(4, true), bend: v.getFloat32(8, true), timbre: v.getFloat32(12, true) };
      break;
    case FrameType.Panic: cmd = { type: 'panic' }; break;
    case FrameType.MidiBytes: cmd = { type: 'midi', bytes: p.slice() }; break;
    case FrameType.Param: cmd = { type: 'param', index: v.getUint16(0, true), value: v.getFloat32(4, true) }; break;
    default: cmd = { type: 'status' };
  }
  cmd.seq = seq;
  if (timestamp) cmd.timestamp = timestamp;
  const rangeError = commandRangeError(cmd);
  if (rangeError) throw new IpcFrameError(`${name}: ${rangeError}`, seq);
  return cmd;
}
