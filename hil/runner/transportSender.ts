import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type Socket, connect } from 'node:net';
import type { PlannedCommand } from './plannedCommands.ts';
import { type OscMessage, type OscPacket, isBundle, readOscPacket, writeOscPacket } from '../../src/protocols/osc/oscCodec.ts';
import { encodeCommandFrame } from '../../src/protocols/ipc/ipcFrame.ts';
import { escapeForLog } from '../../src/host/logText.ts';

/** How long `open` waits for the server's answers to its warm-up status requests, ms (it goes on without them). */
const WARM_UP_TIMEOUT_MS = 1000;

/** OSC error replies kept per scenario (the rest are not recorded). */
const MAX_REPLIES = 100;

/** The messages of a packet, bundles opened. */
function messagesOf(p: OscPacket): OscMessage[] {
  return isBundle(p) ? p.packets.flatMap(messagesOf) : [p];
}

/** Wall-clock milliseconds on the clock the server stamps arrivals with (performance.timeOrigin-based). */
export const epochNowMs = (): number => performance.timeOrigin + performance.now();

/**
 * The harness's side of the transports: one UDP socket for OSC and one connection to the server's
 * Unix socket, opened once per scenario. `send` returns the wall-clock time at which the bytes were
 * handed to the operating system — where the measured event-to-transducer latency starts.
 */
export class TransportSender {
  /** The `…/error` replies the server sent back over OSC (effect bridges answer the sender), escaped, at most MAX_REPLIES. */
  readonly errorReplies: string[] = [];

  private constructor(
    private readonly udp: UdpSocket,
    private readonly socket: Socket,
  ) {}

  /**
   * Opens both transports, then asks the server for its status over each and waits for the answers (up to
   * WARM_UP_TIMEOUT_MS): the first send on a socket runs cold paths on both sides (measured on jack-native:
   * the first command of each transport 0.7 ms slower than the next), which would be counted as the first
   * event's transport. `oscStatusAddress`: '/haptic/status' for the instrument, '/status' for an effect's bridge.
   */
  static async open(oscAddress: string, socketPath: string, oscStatusAddress = '/haptic/status'): Promise<TransportSender> {
    const [host, port] = [oscAddress.slice(0, oscAddress.lastIndexOf(':')), Number(oscAddress.slice(oscAddress.lastIndexOf(':') + 1))];
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.connect(port, host, () => { udp.off('error', reject); resolve(); });
    });
    const socket = connect(socketPath);
    socket.setNoDelay?.(true);
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const socketAnswered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.on('data', () => { /* status replies are not used here */ });
    const opened = new TransportSender(udp, socket);
    const oscAnswered = new Promise<void>((resolve) => udp.once('message', () => resolve()));
    udp.on('message', (data) => opened.onReply(data));
    udp.send(writeOscPacket({ address: oscStatusAddress, args: [] }));
    socket.write(encodeCommandFrame({ type: 'status' }));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([socketAnswered, oscAnswered]), new Promise((r) => { timer = setTimeout(r, WARM_UP_TIMEOUT_MS); })]);
    clearTimeout(timer);
    return opened;
  }

  /**
   * Sends one command; with `timestampFor`, stamped with the wall-clock time it returns for this send
   * time (scheduled sending). Returns the send time (epoch ms).
   */
  send(p: PlannedCommand, timestampFor?: (sendEpochMs: number) => number): number {
    const t = epochNowMs();
    const bytes = timestampFor ? p.stamp(timestampFor(t)) : p.bytes;
    if (p.wire === 'osc') this.udp.send(bytes);
    else this.socket.write(bytes);
    return t;
  }

  /** Keeps the server's `…/error` replies (the only ones the runner reports). */
  private onReply(data: Uint8Array): void {
    if (this.errorReplies.length >= MAX_REPLIES) return;
    try {
      for (const m of messagesOf(readOscPacket(data))) {
        if (m.address.endsWith('/error')) this.errorReplies.push(escapeForLog(`${m.address} ${m.args.map((a) => String(a.value)).join(' ')}`));
      }
    } catch {
      this.errorReplies.push('an OSC reply that could not be decoded');
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.socket.end(() => r()));
  }
}
