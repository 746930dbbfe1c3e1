import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Socket, connect, createServer } from 'node:net';
import { FrameReader } from '../protocols/ipc/frameReader.ts';
import { FrameType, encodeFrame, frameToCommand } from '../protocols/ipc/ipcFrame.ts';
import { writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { decodeOscDatagram } from '../protocols/osc/oscCommands.ts';
import { MidiStream } from './midiStream.ts';
import type { RigServer } from './rigServer.ts';
import { statusToOscMessages } from './serverStatus.ts';

export interface Transport {
  kind: 'osc' | 'socket' | 'midi';
  address: string;
  clients?: number;
  close(): Promise<void>;
}

/** OSC over UDP: every datagram is decoded on its own; bad ones are counted and logged, never fatal. */
export async function startOscTransport(server: RigServer, host: string, port: number): Promise<Transport> {
  const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (data, rinfo) => {
    const peer = `udp ${rinfo.address}:${rinfo.port}`;
    const { commands, errors } = decodeOscDatagram(data);
    for (const e of errors) {
      if (e.kind === 'malformed') server.counts.malformedOscPackets++;
      else if (e.kind === 'unknownAddress') server.counts.unknownOscAddresses++;
      else server.counts.badOscArguments++;
      server.report('osc', peer, e.message);
    }
    for (const cmd of commands) {
      if (cmd.type === 'status') {
        const packet = writeOscPacket({ timeTag: { raw: [0, 1] }, packets: statusToOscMessages(server.status()) });
        udp.send(packet, rinfo.port, rinfo.address);
      } else {
        server.submit(cmd, 'osc', peer);
      }
    }
  });
  udp.on('error', (err) => server.report('osc', `${host}:${port}`, `socket error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const bound = udp.address();
  return {
    kind: 'osc',
    address: `${bound.address}:${bound.port}`,
    close: () => new Promise<void>((r) => udp.close(() => r())),
  };
}

/**
 * The IPC socket: one FrameReader (and one MIDI running-status stream) per connection, so a client
 * that sends garbage or disconnects mid-frame affects only itself.
 */
export async function startSocketTransport(server: RigServer, path: string): Promise<Transport> {
  if (existsSync(path)) {
    const live = await new Promise<boolean>((resolve) => {
      const probe = connect(path);
      probe.once('connect', () => { probe.destroy(); resolve(true); });
      probe.once('error', () => resolve(false));
    });
    if (live) throw new Error(`another server is listening on ${path}`);
    unlinkSync(path);
  }
  const sockets = new Set<Socket>();
  let nextClient = 1;
  const net = createServer((sock) => {
    sockets.add(sock);
    const peer = `socket #${nextClient++}`;
    const reader = new FrameReader();
    const midi = new MidiStream(`socket ${peer}`);
    sock.on('data', (chunk) => {
      const r = reader.push(chunk);
      for (const e of r.errors) {
        server.counts.malformedSocketFrames++;
        server.report('socket', peer, e.message);
        if (!sock.destroyed) sock.write(encodeFrame(FrameType.ErrorReply, Buffer.from(JSON.stringify({ error: e.message, seq: e.seq })), e.seq));
      }
      for (const f of r.frames) {
        try {
          const cmd = frameToCommand(f);
          if (cmd.type === 'status') {
            sock.write(encodeFrame(FrameType.StatusReply, Buffer.from(JSON.stringify(server.status())), f.seq));
          } else {
            server.submit(cmd, 'socket', peer, midi);
          }
        } catch (err) {
          server.counts.malformedSocketFrames++;
          const msg = (err as Error).message;
          server.report('socket', peer, msg);
          if (!sock.destroyed) sock.write(encodeFrame(FrameType.ErrorReply, Buffer.from(JSON.stringify({ error: msg, seq: f.seq })), f.seq));
        }
      }
      if (r.fatal) {
        server.counts.socketDesyncs++;
        server.report('socket', peer, `${r.fatal.message}; closing this connection`);
        sock.destroy();
      }
    });
    sock.on('error', (err) => server.report('socket', peer, `connection error: ${err.message}`));
    sock.on('close', () => {
      sockets.delete(sock);
      const truncated = reader.end();
      if (truncated) {
        server.counts.truncatedSocketFrames++;
        server.report('socket', peer, truncated.message);
      }
    });
  });
  net.on('error', (err) => server.report('socket', path, `server error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(path, () => {
      net.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  const transport: Transport = {
    kind: 'socket',
    address: path,
    get clients() { return sockets.size; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      net.close(() => {
        if (existsSync(path)) unlinkSync(path);
        resolve();
      });
    }),
  };
  return transport;
}

interface EasyMidiInput {
  on(event: 'message', cb: (msg: Record<string, unknown>) => void): void;
  close(): void;
}

/**
 * MIDI input through easymidi (RtMidi). Where the machine has no MIDI (RtMidi fails to initialise, no
 * port matches) this logs why and returns undefined: MIDI is optional.
 */
export function startMidiTransport(server: RigServer, portName?: string): Transport | undefined {
  try {
    const easymidi = createRequire(import.meta.url)('easymidi') as {
      getInputs(): string[];
      Input: new (name: string) => EasyMidiInput;
    };
    const inputs = easymidi.getInputs();
    const name = portName === undefined ? inputs[0] : inputs.find((n) => n.includes(portName));
    if (!name) {
      server.report('midi', portName ?? '(first port)', `no MIDI input port matches; available: ${inputs.join(', ') || 'none'}`);
      return undefined;
    }
    const input = new easymidi.Input(name);
    const stream = new MidiStream(`midi ${name}`);
    input.on('message', (msg) => {
      const bytes = easymidiToBytes(msg);
      if (bytes) server.submit({ type: 'midi', bytes }, 'midi', name, stream);
    });
    return { kind: 'midi', address: name, close: async () => input.close() };
  } catch (err) {
    server.report('midi', portName ?? '(first port)', `MIDI input unavailable: ${(err as Error).message}`);
    return undefined;
  }
}

/** easymidi hands out parsed objects; turn the ones the engines use back into bytes. */
function easymidiToBytes(m: Record<string, unknown>): Uint8Array | undefined {
  const ch = Number(m.channel ?? 0) & 0x0f;
  const n = (k: string) => Number(m[k] ?? 0) & 0x7f;
  switch (m._type) {
    case 'noteon': return Uint8Array.of(0x90 | ch, n('note'), n('velocity'));
    case 'noteoff': return Uint8Array.of(0x80 | ch, n('note'), n('velocity'));
    case 'cc': return Uint8Array.of(0xb0 | ch, n('controller'), n('value'));
    case 'channel aftertouch': return Uint8Array.of(0xd0 | ch, n('pressure'));
    case 'pitch': { const v = Number(m.value ?? 8192); return Uint8Array.of(0xe0 | ch, v & 0x7f, (v >> 7) & 0x7f); }
    default: return undefined;
  }
}
