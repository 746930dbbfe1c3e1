import { createSocket } from 'node:dgram';
import { type Socket, connect } from 'node:net';
import { FrameReader } from '../protocols/ipc/frameReader.ts';
import type { DecodedFrame } from '../protocols/ipc/ipcFrame.ts';

/** A loopback UDP port nobody listens on right now (bound and closed; for a reply port given to a server before its client binds it). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Small clients for tests and the scenario runner: send one UDP datagram; talk frames on the socket. */
export function sendUdp(port: number, data: Uint8Array, host = '127.0.0.1'): Promise<void> {
  const s = createSocket('udp4');
  return new Promise((resolve, reject) => s.send(data, port, host, (err) => {
    s.close();
    if (err) reject(err); else resolve();
  }));
}

export interface FrameClient {
  socket: Socket;
  send(bytes: Uint8Array): Promise<void>;
  /** Resolves with the next frame the server sends. */
  nextFrame(timeoutMs?: number): Promise<DecodedFrame>;
  close(): Promise<void>;
}

export async function connectFrames(path: string): Promise<FrameClient> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const reader = new FrameReader();
  const queue: DecodedFrame[] = [];
  const waiters: ((f: DecodedFrame) => void)[] = [];
  socket.on('data', (chunk) => {
    for (const f of reader.push(chunk).frames) {
      const w = waiters.shift();
      if (w) w(f); else queue.push(f);
    }
  });
  return {
    socket,
    send: (bytes) => new Promise((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve()))),
    nextFrame: (timeoutMs = 2000) => {
      const f = queue.shift();
      if (f) return Promise.resolve(f);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no frame from server')), timeoutMs);
        waiters.push((fr) => { clearTimeout(t); resolve(fr); });
      });
    },
    close: () => new Promise((resolve) => { socket.end(() => resolve()); }),
  };
}

/** How long `until` polls at every turn of the event loop before it polls every 1 ms timer, ms. */
const UNTIL_EVERY_TURN_MS = 2;

/**
 * Polls until `predicate` is true (I/O interleaves between polls): at every turn of the event loop for the first
 * UNTIL_EVERY_TURN_MS (setImmediate: libuv polls for I/O before each, so a datagram or a socket write of this
 * thread is seen a turn or two after it was sent), then every 1 ms timer, so a wait on another thread or process
 * does not keep a core busy. Timers alone cost every such wait a timer turn (1–1.5 ms here): inputFlood's 200
 * one-at-a-time datagrams waited 0.30 s in them.
 */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  const everyTurnUntil = performance.now() + UNTIL_EVERY_TURN_MS;
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => (performance.now() < everyTurnUntil ? setImmediate(r) : setTimeout(r, 1)));
  }
}
