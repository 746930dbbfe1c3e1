import type { TimedEvent } from '../../src/engine/events.ts';
import type { ControlCommand } from '../../src/protocols/ipc/controlCommand.ts';
import { encodeCommandFrame } from '../../src/protocols/ipc/ipcFrame.ts';
import type { OscArg } from '../../src/protocols/osc/oscCodec.ts';
import { epochMsToTimeTag, writeOscPacket } from '../../src/protocols/osc/oscCodec.ts';
import { messageToCommand } from '../../src/protocols/osc/oscCommands.ts';
import type { LoadedScenario, TimedScenarioEvent } from '../scenario/loadScenario.ts';
import type { Transport } from '../scenario/scenarioSchema.ts';
import { commandEventRows, rowsToTimedEvents } from '../../src/host/commandEvents.ts';
import { MidiStream } from '../../src/host/midiStream.ts';

/**
 * One scenario event ready to send: the bytes its transport carries, and the engine events the
 * server will make of them (for the offline render the capture is compared with).
 */
export interface PlannedCommand {
  index: number;
  /** Scenario time of the event, in stream frames from the start of the scenario. */
  atFrame: number;
  transport: Transport;
  /** 'socket' → an IPC frame on the Unix socket; 'osc' → a UDP datagram; 'midi' → MIDI bytes in an IPC frame. */
  wire: 'socket' | 'osc';
  bytes: Uint8Array;
  type: string;
  /** Engine events it becomes, placed at frame 0 (shifted to the applied frame for the render). */
  rows: TimedEvent[];
  /** The same command's bytes with a wall-clock timestamp (epoch ms): scheduled sending. */
  stamp: (epochMs: number) => Uint8Array;
  /** A note-on whose onset the latency measurement can look for. */
  noteOn?: { channel: number; note: number; velocity: number };
  /**
   * An effect's structural change: the server builds a new engine with `params` and switches to it (its one
   * row is the Swap event with value `id`: the server numbers its switches 1, 2, … in order); the offline
   * render stages the same engine for that Swap (effectAnalysis.ts).
   */
  build?: { id: number; params: unknown };
  origin: string;
}

/** An OSC message sent in a bundle whose time tag is the timestamp. */
const oscStamp = (msg: { address: string; args: OscArg[] }) => (epochMs: number): Uint8Array =>
  writeOscPacket({ timeTag: { raw: epochMsToTimeTag(epochMs) }, packets: [msg] });

interface MpeState { pressure: number; bend: number; timbre: number }

const oscArg = (v: number | string): OscArg =>
  typeof v === 'string' ? { type: 's', value: v } : Number.isInteger(v) ? { type: 'i', value: v } : { type: 'd', value: v };

/** The MIDI bytes of a command (for the 'midi' transport), with MPE values quantised as MIDI carries them. */
function midiBytes(cmd: ControlCommand): number[] {
  switch (cmd.type) {
    case 'noteOn': return [0x90 | cmd.channel, cmd.note, cmd.velocity];
    case 'noteOff': return [0x80 | cmd.channel, cmd.note, cmd.velocity];
    case 'panic': return Array.from({ length: 16 }, (_, ch) => [0xb0 | ch, 123, 0]).flat();
    case 'mpe': {
      const bend = Math.max(0, Math.min(16383, Math.round(cmd.bend * 8192 + 8192)));
      return [0xd0 | cmd.channel, Math.round(cmd.pressure * 127), 0xe0 | cmd.channel, bend & 0x7f, bend >> 7, 0xb0 | cmd.channel, 74, Math.round(cmd.timbre * 127)];
    }
    default: return [];
  }
}

/**
 * Turns the scenario timeline into commands. MPE events may name only some of pressure, bend and
 * timbre; the wire formats carry all three, so the per-channel state is tracked (MPE defaults:
 * pressure 1 until first sent — the engine's own start value — bend 0, timbre 0.5).
 */
export function planCommands(loaded: LoadedScenario, paramNames: readonly string[]): PlannedCommand[] {
  const mpe: MpeState[] = Array.from({ length: 16 }, () => ({ pressure: 1, bend: 0, timbre: 0.5 }));
  return loaded.events.map((e, index) => planOne(e, index, mpe, paramNames));
}

function planOne(e: TimedScenarioEvent, index: number, mpe: MpeState[], paramNames: readonly string[]): PlannedCommand {
  const base = { index, atFrame: e.atFrame, transport: e.transport, type: e.type, origin: e.origin };
  if (e.type === 'osc') {
    const msg = { address: e.address, args: e.args.map(oscArg) };
    const cmd = messageToCommand(msg);
    const rows = commandEventRows(cmd, paramNames);
    if (typeof rows === 'string') throw new Error(`${e.origin}: ${rows}`);
    const noteOn = cmd.type === 'noteOn' && cmd.velocity > 0 ? { channel: cmd.channel, note: cmd.note, velocity: cmd.velocity } : undefined;
    return { ...base, wire: 'osc', bytes: writeOscPacket(msg), stamp: oscStamp(msg), rows: rowsToTimedEvents(rows, 0), noteOn };
  }
  let cmd: ControlCommand;
  switch (e.type) {
    case 'noteOn': cmd = { type: 'noteOn', channel: e.channel, note: e.note, velocity: e.velocity }; break;
    case 'noteOff': cmd = { type: 'noteOff', channel: e.channel, note: e.note, velocity: e.velocity }; break;
    case 'panic': cmd = { type: 'panic' }; break;
    case 'param': cmd = { type: 'param', name: e.name, value: e.value }; break;
    case 'preset': throw new Error(`${e.origin}: a preset load is for effect scenarios ("kind": "effect")`);
    case 'mpe': {
      const s = mpe[e.channel];
      if (e.pressure !== undefined) s.pressure = e.pressure;
      if (e.bend !== undefined) s.bend = e.bend;
      if (e.timbre !== undefined) s.timbre = e.timbre;
      cmd = { type: 'mpe', channel: e.channel, pressure: s.pressure, bend: s.bend, timbre: s.timbre };
      break;
    }
  }
  const noteOn = e.type === 'noteOn' ? { channel: e.channel, note: e.note, velocity: e.velocity } : undefined;
  if (e.transport === 'midi' && cmd.type !== 'param') {
    const bytes = Uint8Array.from(midiBytes(cmd));
    const rows: TimedEvent[] = [];
    const stream = new MidiStream();
    stream.decode(bytes, (m) => rows.push({ kind: m.kind, atFrame: 0, channel: m.channel, note: m.note, value: m.value, paramIndex: 0 }));
    const frame = { type: 'midi', bytes, seq: index + 1 } as const;
    return { ...base, wire: 'socket', bytes: encodeCommandFrame(frame), stamp: (epochMs) => encodeCommandFrame({ ...frame, timestamp: { kind: 'epochMs', epochMs } }), rows, noteOn };
  }
  const rows = commandEventRows(cmd, paramNames);
  if (typeof rows === 'string') throw new Error(`${e.origin}: ${rows}`);
  if (e.transport === 'osc') {
    const address = cmd.type === 'noteOn' ? '/haptic/note_on' : cmd.type === 'noteOff' ? '/haptic/note_off'
      : cmd.type === 'mpe' ? '/haptic/mpe' : cmd.type === 'panic' ? '/haptic/panic' : `/haptic/param/${(cmd as { name: string }).name}`;
    const values: number[] = cmd.type === 'noteOn' || cmd.type === 'noteOff' ? [cmd.channel, cmd.note, ...(cmd.type === 'noteOn' ? [cmd.velocity] : [])]
      : cmd.type === 'mpe' ? [cmd.channel, cmd.pressure, cmd.bend, cmd.timbre]
      : cmd.type === 'param' ? [cmd.value] : [];
    const args = values.map((v, i) => (cmd.type === 'mpe' && i > 0 ? { type: 'd', value: v } : oscArg(v)));
    return { ...base, wire: 'osc', bytes: writeOscPacket({ address, args }), stamp: oscStamp({ address, args }), rows: rowsToTimedEvents(rows, 0), noteOn };
  }
  const framed = { ...cmd, seq: index + 1 };
  return {
    ...base, wire: 'socket', bytes: encodeCommandFrame(framed), rows: rowsToTimedEvents(rows, 0), noteOn,
    stamp: (epochMs) => encodeCommandFrame({ ...framed, timestamp: { kind: 'epochMs', epochMs } } as ControlCommand),
  };
}
