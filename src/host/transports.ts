import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, lstatSync, mkdtempSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { type Socket, connect, createServer } from 'node:net';
import { FrameReader } from '../protocols/ipc/frameReader.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { FrameType, encodeFrame, frameToCommand } from '../protocols/ipc/ipcFrame.ts';
import { writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { decodeOscDatagram } from '../protocols/osc/oscCommands.ts';
import { decodeEffectDatagram } from '../protocols/osc/effectOsc.ts';
import { MidiStream } from './midiStream.ts';
import type { RigServer } from './rigServer.ts';
import { statusToOscMessages } from './serverStatus.ts';
import { TokenBucket } from '../protocols/tokenBucket.ts';

export interface Transport {
  kind: 'osc' | 'socket' | 'midi';
  address: string;
  clients?: number;
  close(): Promise<void>;
}

/**
 * Replies the OSC transport sends per second at most (status bundles, `/haptic/error` answers and an effect's
 * pushes together; a token bucket: over any T seconds at most this · (1 + T)); past that they are counted in
 * `repliesDropped`. UDP has no back-pressure: without a bound a
 * flood of bad datagrams would make the server flood the sender (or a spoofed victim) in return.
 */
export const OSC_REPLIES_PER_SECOND = 200;
/**
 * Reply bytes a socket client may leave unread before further replies to it are dropped (counted):
 * room for the answers to one 64 KiB read of refused commands (~3300 frames × ~90 bytes), so a client
 * that reads is told about every refusal, while one that never reads costs the server at most this.
 */
export const SOCKET_REPLY_BACKLOG_BYTES = 1024 * 1024;
/** Socket connections served at once; a further one is answered with an ErrorReply and closed. */
export const MAX_SOCKET_CLIENTS = 64;

/**
 * OSC over UDP: every datagram is decoded on its own; bad ones are counted, logged and answered with
 * `/haptic/error s` (the reason) to the sender, never fatal.
 */
export async function startOscTransport(server: RigServer, host: string, port: number): Promise<Transport> {
  const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const replies = new TokenBucket(OSC_REPLIES_PER_SECOND);
  const reply = (packet: Uint8Array, rinfo: { port: number; address: string }) => {
    if (!replies.take()) { server.counts.repliesDropped++; return; }
    udp.send(packet, rinfo.port, rinfo.address);
  };
  const bridge = server.effect?.bridge;
  if (bridge) server.oscSend = (packet, to) => reply(writeOscPacket(packet), to);
  const errorAddress = bridge ? `${bridge.prefix}/error` : '/haptic/error';
  const replyError = (message: string, rinfo: { port: number; address: string }) =>
    reply(writeOscPacket({ address: errorAddress, args: [{ type: 's', value: message.slice(0, 512) }] }), bridge ? bridge.replyPeer(rinfo) : rinfo);
  const countError = (kind: string) => {
    if (kind === 'malformed') server.counts.malformedOscPackets++;
    else if (kind === 'unknownAddress') server.counts.unknownOscAddresses++;
    else server.counts.badOscArguments++;
  };
  udp.on('message', (data, rinfo) => {
    const peer = `udp ${rinfo.address}:${rinfo.port}`;
    if (bridge) {
      const { requests, errors } = decodeEffectDatagram(data, bridge.params.engineName);
      for (const e of errors) {
        countError(e.kind);
        server.report('osc', peer, e.message);
        replyError(e.message, rinfo);
      }
      for (const r of requests) bridge.handle(r, rinfo);
      return;
    }
    const { commands, errors } = decodeOscDatagram(data);
    for (const e of errors) {
      countError(e.kind);
      server.report('osc', peer, e.message);
      replyError(e.message, rinfo);
    }
    for (const cmd of commands) {
      if (cmd.type === 'status') {
        reply(writeOscPacket({ timeTag: { raw: [0, 1] }, packets: statusToOscMessages(server.status(peer)) }), rinfo);
      } else {
        const r = server.submit(cmd, 'osc', peer);
        if (!r.ok) replyError(r.error, rinfo);
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
    close: () => new Promise<void>((r) => { udp.close(() => r()); }),
  };
}

/**
 * The IPC socket: one FrameReader (and one MIDI running-status stream) per connection, so a client
 * that sends garbage or disconnects mid-frame affects only itself. Every refused or dropped command
 * is answered with an ErrorReply carrying its seq. A client with more than a quarter of
 * SOCKET_REPLY_BACKLOG_BYTES of replies unread is not read from until it has read them (flow control:
 * its writes wait in the kernel); a reply that would take it past the whole backlog — one read's worth
 * of large status replies — is dropped and counted. A client that never reads costs the server at most
 * the backlog.
 *
 * The path: an existing socket nobody listens on (a stale one) is replaced; anything else there — a
 * live server, a regular file, a directory — is an error, never deleted. The socket is created with
 * mode 0600 inside a private directory and renamed into place, so there is no moment at which another
 * user could connect.
 */
export async function startSocketTransport(server: RigServer, path: string): Promise<Transport> {
  await removeStaleSocket(path);
  const sockets = new Set<Socket>();
  const byPeer = new Map<string, Socket>();
  let nextClient = 1;
  const send = (sock: Socket, frame: Uint8Array) => {
    if (sock.destroyed) return;
    if (sock.writableLength > SOCKET_REPLY_BACKLOG_BYTES) { server.counts.repliesDropped++; return; }
    sock.write(frame);
  };
  const sendError = (sock: Socket, error: string, seq: number) =>
    send(sock, encodeFrame(FrameType.ErrorReply, Buffer.from(JSON.stringify({ error, seq })), seq));
  const unsubscribe = server.onDropped((e) => {
    const sock = e.source === 'socket' ? byPeer.get(e.peer) : undefined;
    if (sock) sendError(sock, `${e.type}: ${e.dropped}`, e.seq);
  });
  const net = createServer((sock) => {
    if (sockets.size >= MAX_SOCKET_CLIENTS) {
      server.counts.refusedConnections++;
      server.report('socket', 'new connection', `refused: ${MAX_SOCKET_CLIENTS} clients already connected`);
      sock.end(encodeFrame(FrameType.ErrorReply, Buffer.from(JSON.stringify({ error: `too many clients (${MAX_SOCKET_CLIENTS})`, seq: 0 })), 0));
      return;
    }
    sockets.add(sock);
    const peer = `socket #${nextClient++}`;
    byPeer.set(peer, sock);
    const reader = new FrameReader();
    const midi = new MidiStream(`socket ${peer}`);
    sock.on('data', (chunk) => {
      const r = reader.push(chunk);
      for (const e of r.errors) {
        server.counts.malformedSocketFrames++;
        server.report('socket', peer, e.message);
        sendError(sock, e.message, e.seq);
      }
      for (const f of r.frames) {
        let cmd: ControlCommand;
        try {
          cmd = frameToCommand(f);
        } catch (err) {
          server.counts.malformedSocketFrames++;
          const msg = (err as Error).message;
          server.report('socket', peer, msg);
          sendError(sock, msg, f.seq);
          continue;
        }
        if (cmd.type === 'status') {
          send(sock, encodeFrame(FrameType.StatusReply, Buffer.from(JSON.stringify(server.status(peer))), f.seq));
        } else {
          const result = server.submit(cmd, 'socket', peer, midi);
          if (!result.ok) sendError(sock, result.error, f.seq);
        }
      }
      // Flow control: while this client has not read a quarter of the backlog, read no more of its
      // commands (its own writes then wait in the kernel). It cannot make the server buffer replies.
      if (sock.writableLength > SOCKET_REPLY_BACKLOG_BYTES / 4 && !sock.isPaused()) {
        sock.pause();
        sock.once('drain', () => sock.resume());
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
      byPeer.delete(peer);
      const truncated = reader.end();
      if (truncated) {
        server.counts.truncatedSocketFrames++;
        server.report('socket', peer, truncated.message);
      }
    });
  });
  net.on('error', (err) => server.report('socket', path, `server error: ${err.message}`));
  // Bound inside a fresh 0700 directory beside the target, made 0600, then renamed into place: no
  // other user can reach the socket before its mode is set (process.umask is per process, and not
  // settable in worker threads).
  const privateDir = mkdtempSync(join(dirname(path), '.studio-rig-'));
  const privatePath = join(privateDir, 'socket');
  try {
    await new Promise<void>((resolve, reject) => {
      net.once('error', reject);
      net.listen(privatePath, () => {
        net.off('error', reject);
        resolve();
      });
    });
    chmodSync(privatePath, 0o600);
    renameSync(privatePath, path);
  } catch (err) {
    unsubscribe();
    net.close();
    throw err;
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
  const transport: Transport = {
    kind: 'socket',
    address: path,
    get clients() { return sockets.size; },
    close: () => new Promise<void>((resolve) => {
      unsubscribe();
      for (const s of sockets) s.destroy();
      net.close(() => {
        if (existsSync(path)) unlinkSync(path);
        resolve();
      });
    }),
  };
  return transport;
}

/** Removes a stale socket at `path`; refuses (throws) when a server listens there or it is not a socket. */
async function removeStaleSocket(path: string): Promise<void> {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it (choose another --socket path)`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`another server is listening on ${path}`);
  unlinkSync(path);
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
