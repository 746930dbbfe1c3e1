import { type ControlCommand, type Timestamp, commandRangeError } from '../ipc/controlCommand.ts';
import { type OscArg, type OscMessage, type OscPacket, isBundle, isImmediate, readOscPacket, timeTagToEpochMs } from './oscCodec.ts';

/**
 * The rig server's OSC address space (UDP, one packet per datagram). Numbers may be sent as i, f, d or
 * h; the optional trailing `frame` is a stream-frame timestamp (controlCommand.ts) and wins over a
 * bundle's time tag, which is read as wall-clock time (epoch ms). A time tag of "immediately" and a
 * plain message carry no timestamp.
 *
 * | address                  | arguments                                   |
 * |--------------------------|---------------------------------------------|
 * | /haptic/note_on          | channel 0…15, note 0…127, velocity 0…127 [, frame] (velocity 0 = note off) |
 * | /haptic/note_off         | channel, note [, frame]                     |
 * | /haptic/mpe              | channel, pressure 0…1, bend −1…1, timbre 0…1 [, frame] |
 * | /haptic/panic            | [frame]                                     |
 * | /haptic/param/<name>     | value [, frame]                             |
 * | /haptic/midi             | blob of raw MIDI bytes [, frame]            |
 * | /haptic/status           | — (the server replies to the sender: serverStatus.ts) |
 */
export const OSC_PREFIX = '/haptic';

export type OscErrorKind = 'malformed' | 'unknownAddress' | 'badArguments';

export class OscCommandError extends Error {
  constructor(readonly kind: OscErrorKind, message: string, readonly address = '') {
    super(message);
    this.name = 'OscCommandError';
  }
}

export interface OscDecodeResult {
  commands: ControlCommand[];
  errors: OscCommandError[];
}

/** Decodes one datagram; never throws — every problem is returned as an error with its kind. */
export function decodeOscDatagram(data: Uint8Array): OscDecodeResult {
  const { items, errors } = decodeOscMessages(data, messageToCommand);
  return { commands: items, errors };
}

/**
 * Parses one datagram and converts each of its messages (with its bundle time tag, epoch ms) by
 * `convert`, which throws OscCommandError for a message it refuses. Never throws: a malformed packet
 * and every refused message come back as errors with their kind.
 */
export function decodeOscMessages<T>(data: Uint8Array, convert: (msg: OscMessage, tagMs: number | undefined) => T): { items: T[]; errors: OscCommandError[] } {
  const result: { items: T[]; errors: OscCommandError[] } = { items: [], errors: [] };
  let packet: OscPacket;
  try {
    packet = readOscPacket(data);
  } catch (err) {
    result.errors.push(new OscCommandError('malformed', `malformed OSC packet (${data.length} bytes): ${(err as Error).message}`));
    return result;
  }
  walkOscPacket(packet, undefined, 0, result.errors, (msg, ms) => result.items.push(convert(msg, ms)));
  return result;
}

/**
 * Visits every message of a packet with the time tag (epoch ms) of its innermost timed bundle;
 * bundles nested deeper than 8 and malformed bundles become errors, and so does whatever `visit`
 * throws (an OscCommandError as it is, anything else as 'malformed'). Never throws.
 */
export function walkOscPacket(
  packet: OscPacket, tagMs: number | undefined, depth: number, errors: OscCommandError[],
  visit: (msg: OscMessage, tagMs: number | undefined) => void,
): void {
  if (depth > 8) {
    errors.push(new OscCommandError('malformed', 'OSC bundles nested deeper than 8'));
    return;
  }
  if (isBundle(packet)) {
    const raw = packet.timeTag?.raw;
    const ms = raw && !isImmediate(raw) ? timeTagToEpochMs(raw) : tagMs;
    if (!Array.isArray(packet.packets)) {
      errors.push(new OscCommandError('malformed', 'OSC bundle without packets'));
      return;
    }
    for (const p of packet.packets) walkOscPacket(p, ms, depth + 1, errors, visit);
    return;
  }
  try {
    visit(packet, tagMs);
  } catch (err) {
    if (err instanceof OscCommandError) errors.push(err);
    else errors.push(new OscCommandError('malformed', `OSC message: ${(err as Error).message}`, String(packet?.address)));
  }
}

const SIGNATURES: Record<string, readonly string[]> = {
  note_on: ['channel', 'note', 'velocity'],
  note_off: ['channel', 'note'],
  mpe: ['channel', 'pressure', 'bend', 'timbre'],
  panic: [],
  midi: ['bytes'],
  status: [],
};

/** Converts one OSC message; throws OscCommandError. */
export function messageToCommand(msg: OscMessage, tagMs?: number): ControlCommand {
  const address = typeof msg.address === 'string' ? msg.address : '';
  if (!address.startsWith(`${OSC_PREFIX}/`)) throw new OscCommandError('unknownAddress', `unknown OSC address "${address}" (expected ${OSC_PREFIX}/…)`, address);
  const verb = address.slice(OSC_PREFIX.length + 1);
  const args = Array.isArray(msg.args) ? msg.args : [];
  let names: readonly string[];
  let paramName: string | undefined;
  if (verb.startsWith('param/') && verb.length > 6) {
    names = ['value'];
    paramName = verb.slice(6);
  } else if (SIGNATURES[verb]) {
    names = SIGNATURES[verb];
  } else {
    throw new OscCommandError('unknownAddress', `unknown OSC address "${address}"`, address);
  }
  if (verb === 'status' && args.length === 0) return { type: 'status' };
  if (args.length !== names.length && args.length !== names.length + 1) {
    throw new OscCommandError('badArguments',
      `${address} expects (${[...names, '[frame]'].join(', ')}), got ${args.length} argument(s)`, address);
  }
  const num = (i: number) => {
    const n = argNumber(args[i]);
    if (n === undefined) throw new OscCommandError('badArguments', `${address}: argument ${i + 1} (${names[i] ?? 'frame'}) must be a number, got type '${args[i]?.type}'`, address);
    return n;
  };
  let timestamp: Timestamp | undefined = tagMs !== undefined ? { kind: 'epochMs', epochMs: tagMs } : undefined;
  if (args.length === names.length + 1) timestamp = { kind: 'frame', frame: num(names.length) };
  let cmd: ControlCommand;
  switch (verb) {
    case 'note_on': {
      const velocity = num(2);
      cmd = { type: velocity === 0 ? 'noteOff' : 'noteOn', channel: num(0), note: num(1), velocity };
      break;
    }
    case 'note_off': cmd = { type: 'noteOff', channel: num(0), note: num(1), velocity: 0 }; break;
    case 'mpe': cmd = { type: 'mpe', channel: num(0), pressure: num(1), bend: num(2), timbre: num(3) }; break;
    case 'panic': cmd = { type: 'panic' }; break;
    case 'status': cmd = { type: 'status' }; break;
    case 'midi': {
      const v = args[0]?.value;
      if (!(v instanceof Uint8Array)) throw new OscCommandError('badArguments', `${address}: argument 1 must be a blob of MIDI bytes`, address);
      cmd = { type: 'midi', bytes: Uint8Array.from(v) };
      break;
    }
    default: cmd = { type: 'param', name: paramName, value: num(0) };
  }
  if (timestamp) cmd.timestamp = timestamp;
  const rangeError = commandRangeError(cmd);
  if (rangeError) throw new OscCommandError('badArguments', `${address}: ${rangeError}`, address);
  return cmd;
}

/** The number an OSC argument carries (i, f, d or h), else undefined. */
export function argNumber(arg: OscArg | undefined): number | undefined {
  if (!arg) return undefined;
  const v = arg.value as unknown;
  if ((arg.type === 'i' || arg.type === 'f' || arg.type === 'd') && typeof v === 'number') return v;
  if (arg.type === 'h' && v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return undefined;
}
