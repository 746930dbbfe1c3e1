import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { FrameReader } from '../protocols/ipc/frameReader.ts';
import { encodeCommandFrame, frameToCommand } from '../protocols/ipc/ipcFrame.ts';
import { writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { OSC_PREFIX, decodeOscDatagram } from '../protocols/osc/oscCommands.ts';
import { decodeEffectDatagram } from '../protocols/osc/effectOsc.ts';
import { commandEventRows } from './commandEvents.ts';

/** Rounds of the warm-up: enough for V8 to compile the decoders (measured: the 1st command 0.97 ms, the 4th 0.19). */
export const INPUT_WARM_UP_ROUNDS = 300;

/** A time tag 1 s after `epochMs` (NTP: seconds since 1900, 2^-32 s). */
const timeTag = (epochMs: number): [number, number] => {
  const s = epochMs / 1000 + 2_208_988_800 + 1;
  return [Math.floor(s), Math.floor((s % 1) * 2 ** 32)];
};

/**
 * Runs what a command goes through on the control thread before it reaches the audio side — the OSC
 * datagram decoder (plain messages and time-tagged bundles), the IPC frame reader and decoder, and the
 * command → event-row conversion, and for an effect (`effectEngine`) its bridge's datagram decoder — on
 * canned commands of every kind, INPUT_WARM_UP_ROUNDS times, before
 * the transports open: nothing is submitted, nothing reaches the engine. Without it the first commands
 * after a start ran those paths cold: 0.97 ms in the OSC handler for the first datagram, 0.2–0.4 ms for
 * the next few (measured on jack-native), all of it on the way to the engine — the latency probe's first
 * two events carried 1.1–1.7 ms of "transport" in every run. Returns the commands decoded (a check that
 * the canned inputs are valid: a warm-up that fails silently warms nothing).
 */
export function warmInputPath(paramNames: readonly string[], effectEngine?: string): number {
  const arg = (v: number, type = 'i') => ({ type, value: v });
  const messages = [
    { address: `${OSC_PREFIX}/note_on`, args: [arg(0), arg(60), arg(100)] },
    { address: `${OSC_PREFIX}/note_off`, args: [arg(0), arg(60)] },
    { address: `${OSC_PREFIX}/note_on`, args: [arg(1), arg(62), arg(90), arg(4800)] },
    { address: `${OSC_PREFIX}/mpe`, args: [arg(2), arg(0.5, 'f'), arg(-0.25, 'f'), arg(0.75, 'f')] },
    ...paramNames.slice(0, 4).map((name) => ({ address: `${OSC_PREFIX}/param/${name}`, args: [arg(0, 'f')] })),
  ];
  const datagrams = [
    ...messages.map((m) => writeOscPacket(m as never)),
    writeOscPacket({ timeTag: { raw: timeTag(performance.timeOrigin + performance.now()) }, packets: messages.slice(0, 2) as never }),
  ];
  const commands: ControlCommand[] = [
    { type: 'noteOn', channel: 0, note: 60, velocity: 100 },
    { type: 'noteOff', channel: 0, note: 60, velocity: 0, timestamp: { kind: 'frame', frame: 4800 } },
    { type: 'mpe', channel: 1, pressure: 0.5, bend: -0.25, timbre: 0.75, timestamp: { kind: 'epochMs', epochMs: performance.timeOrigin + 2 } },
    ...paramNames.slice(0, 4).map((name): ControlCommand => ({ type: 'param', name, value: 0 })),
  ];
  const frames = commands.map(encodeCommandFrame);
  const effectDatagrams = effectEngine === undefined ? [] : [
    ...paramNames.slice(0, 4).map((name) => writeOscPacket({ address: `/${effectEngine}/param/${name}`, args: [arg(0.5, 'f')] } as never)),
    writeOscPacket({ address: `/${effectEngine}/params/get`, args: [] } as never),
  ];
  let decoded = 0;
  for (let round = 0; round < INPUT_WARM_UP_ROUNDS; round++) {
    for (const d of datagrams) {
      const r = decodeOscDatagram(d);
      for (const c of r.commands) if (typeof commandEventRows(c, paramNames) !== 'string') decoded++;
    }
    for (const d of effectDatagrams) decoded += decodeEffectDatagram(d, effectEngine!).requests.length;
    const reader = new FrameReader();
    for (const f of frames) {
      for (const frame of reader.push(f).frames) if (typeof commandEventRows(frameToCommand(frame), paramNames) !== 'string') decoded++;
    }
  }
  return decoded;
}

/** Rounds of RigServer.warmSubmitPath (measured on jack-native: submit() 0.58 ms cold, 0.03 ms warm). */
export const SUBMIT_WARM_UP_ROUNDS = 100;

/**
 * Commands of every kind RigServer.submit() takes for an engine, for its warm-up: parameter changes (the
 * first four of `paramNames`, one with a timestamp) and, for an instrument, note on and off and MPE, with
 * and without a timestamp. The timestamps are stream frames 4 and 8 periods after `nextFrame` (the stream's
 * next frame, 0 before it starts), inside any timestamp horizon whatever the clock.
 */
export function submitWarmUpCommands(nextFrame: number, periodFrames: number, paramNames: readonly string[], instrument: boolean): ControlCommand[] {
  const at = (periods: number) => ({ timestamp: { kind: 'frame' as const, frame: nextFrame + periods * periodFrames } });
  const params = paramNames.slice(0, 4).map((name, i): ControlCommand => ({ type: 'param', name, value: 0, ...(i === 0 ? at(4) : {}) }));
  if (!instrument) return params;
  return [
    { type: 'noteOn', channel: 0, note: 60, velocity: 100 },
    { type: 'noteOff', channel: 0, note: 60, velocity: 0 },
    { type: 'noteOn', channel: 1, note: 62, velocity: 90, ...at(4) },
    { type: 'noteOff', channel: 1, note: 62, velocity: 0, ...at(8) },
    { type: 'mpe', channel: 2, pressure: 0.5, bend: -0.25, timbre: 0.75 },
    ...params,
  ];
}
