import { type Socket, createSocket } from 'node:dgram';
import { type OscMessage, type OscPacket, isBundle, readOscPacket } from '../protocols/osc/oscCodec.ts';

/**
 * A UDP port that collects the OSC messages sent to it (bundles flattened), for tests and probes:
 * `next(address)` resolves with the next message at that address (or one already received and not yet
 * taken), with the time it arrived (performance.now()).
 */
export class OscListener {
  readonly received: { msg: OscMessage; atMs: number }[] = [];
  private waiters: { address: string; resolve: (m: { msg: OscMessage; atMs: number }) => void }[] = [];

  private constructor(private readonly socket: Socket, readonly port: number) {
    socket.on('message', (data) => {
      const atMs = performance.now();
      const flat: OscMessage[] = [];
      const walk = (p: OscPacket) => { if (isBundle(p)) p.packets.forEach(walk); else flat.push(p); };
      try { walk(readOscPacket(data)); } catch { return; }
      for (const msg of flat) {
        const i = this.waiters.findIndex((w) => w.address === msg.address);
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve({ msg, atMs });
        else this.received.push({ msg, atMs });
      }
    });
  }

  static async open(port = 0): Promise<OscListener> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(port, '127.0.0.1', () => resolve()); });
    return new OscListener(socket, socket.address().port);
  }

  /** The next message at `address` (already received, or the next to arrive within `timeoutMs`). */
  next(address: string, timeoutMs = 3000): Promise<{ msg: OscMessage; atMs: number }> {
    const i = this.received.findIndex((r) => r.msg.address === address);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { address, resolve: (m: { msg: OscMessage; atMs: number }) => { clearTimeout(t); resolve(m); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${address} within ${timeoutMs} ms (received: ${this.received.map((r) => r.msg.address).join(', ') || 'nothing'})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Forgets what was received and not taken. */
  clear(): void {
    this.received.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
