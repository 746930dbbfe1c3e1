import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type Socket, connect } from 'node:net';
import type { PlannedCommand } from './plannedCommands.ts';

/** Wall-clock milliseconds on the clock the server stamps arrivals with (performance.timeOrigin-based). */
export const epochNowMs = (): number => performance.timeOrigin + performance.now();

/**
 * The harness's side of the transports: one UDP socket for OSC and one connection to the server's
 * Unix socket, opened once per scenario. `send` returns the wall-clock time at which the bytes were
 * handed to the operating system — where the measured event-to-transducer latency starts.
 */
export class TransportSender {
  private constructor(
    private readonly udp: UdpSocket,
    private readonly socket: Socket,
  ) {}

  static async open(oscAddress: string, socketPath: string): Promise<TransportSender> {
    const [host, port] = [oscAddress.slice(0, oscAddress.lastIndexOf(':')), Number(oscAddress.slice(oscAddress.lastIndexOf(':') + 1))];
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.connect(port, host, () => { udp.off('error', reject); resolve(); });
    });
    const socket = connect(socketPath);
    socket.setNoDelay?.(true);
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    socket.on('data', () => { /* status replies are not used here */ });
    return new TransportSender(udp, socket);
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

  async close(): Promise<void> {
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.socket.end(() => r()));
  }
}
