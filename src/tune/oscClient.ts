import { createSocket, type Socket } from 'node:dgram';
import { isBundle, type OscArg, type OscMessage, type OscPacket, readOscPacket, writeOscPacket } from '../protocols/osc/oscCodec.ts';

/** Where the OSC bridge of `rig serve` listens and where it replies (the defaults). */
export interface OscEndpoint {
  /** The server's address and port (default 127.0.0.1:9000). */
  host?: string;
  port?: number;
  /** The local port the server replies to (default 9001; 0 = any free port, for a server that answers the sender). */
  replyPort?: number;
  /** How long a request waits for its reply (default DEFAULT_REPLY_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** An error reply of the server (`/<engine>/error "message"`), or no reply in time. */
export class OscReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OscReplyError';
  }
}

function errorText(m: OscMessage): string {
  return String(m.args[0]?.value ?? 'an error without a message');
}

/** How long a request waits for its reply when the endpoint does not say (ms). */
export const DEFAULT_REPLY_TIMEOUT_MS = 2000;

/** Most messages kept while nobody waits (pushed metrics): the oldest are dropped beyond it. */
const MAX_UNCLAIMED = 256;

/**
 * A small OSC client for the rig server's bridge: sends from the reply port (so a server that answers
 * the sender and one that answers the configured reply port both reach it), and matches replies by
 * address. Requests run one at a time; messages nobody asked for (pushed metrics) are ignored.
 */
export class OscClient {
  private socket: Socket | null = null;
  private waiter: { addresses: readonly string[]; resolve(parts: OscMessage[]): void } | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly unclaimed: OscMessage[] = [];
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;

  constructor(private readonly endpoint: OscEndpoint = {}) {
    this.host = endpoint.host ?? '127.0.0.1';
    this.port = endpoint.port ?? 9000;
    this.timeoutMs = endpoint.timeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  }

  /** Binds the reply port on loopback. */
  async open(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (data) => this.receive(data));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.endpoint.replyPort ?? 9001, '127.0.0.1', () => { socket.off('error', reject); resolve(); });
    }).catch((e: NodeJS.ErrnoException) => {
      socket.close();
      throw new OscReplyError(`cannot listen for replies on 127.0.0.1:${this.endpoint.replyPort ?? 9001} (${e.code ?? e.message}); choose another reply port`);
    });
    this.socket = socket;
  }

  /** The local port replies arrive on. */
  get replyPort(): number {
    return this.socket?.address().port ?? 0;
  }

  private receive(data: Buffer): void {
    let packet: OscPacket;
    try {
      packet = readOscPacket(data);
    } catch {
      return; // not OSC: not ours to answer
    }
    const messages = isBundle(packet) ? packet.packets.filter((p): p is OscMessage => !isBundle(p)) : [packet];
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (this.waiter?.addresses.includes(m.address)) {
        const w = this.waiter;
        this.waiter = null;
        // A long reply is one bundle of several messages at its address: they answer together.
        const parts = [m];
        while (i + 1 < messages.length && messages[i + 1].address === m.address) parts.push(messages[++i]);
        w.resolve(parts);
      } else {
        this.unclaimed.push(m);
        if (this.unclaimed.length > MAX_UNCLAIMED) this.unclaimed.shift();
      }
    }
  }

  /** Sends one message and expects no reply. */
  send(address: string, args: OscArg[] = []): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new OscReplyError('the OSC client is closed'));
    const bytes = writeOscPacket({ address, args });
    return new Promise((resolve, reject) => socket.send(bytes, this.port, this.host, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * Sends `address` and waits for a message at one of `replies`. An `errorAddress` message rejects with
   * the server's message: at once, or — with `alwaysReplies` (the request is always answered, e.g.
   * `params/get`, and the error belongs to a message sent before it) — once the reply has arrived, so a
   * late reply is never taken for the next request's. Requests are serialised; `timeoutMs` defaults to
   * the client's.
   */
  async request(address: string, args: OscArg[], replies: readonly string[], errorAddress: string, options: { timeoutMs?: number; alwaysReplies?: boolean } = {}): Promise<OscMessage> {
    return (await this.requestParts(address, args, replies, errorAddress, options))[0];
  }

  /**
   * As `request`, resolving with every part of the reply: the first message at a reply address and the
   * messages at the same address that follow it in the same bundle (a `params` reply of more than 100
   * pairs is split so; effectBridge.ts).
   */
  requestParts(address: string, args: OscArg[], replies: readonly string[], errorAddress: string, options: { timeoutMs?: number; alwaysReplies?: boolean } = {}): Promise<OscMessage[]> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const run = async () => {
      // An error that arrived since the last request answers a message sent without a reply (a parameter set).
      const errors = this.unclaimed.filter((m) => m.address === errorAddress).map(errorText);
      this.unclaimed.length = 0;
      const reply = new Promise<OscMessage[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          reject(new OscReplyError(`no reply to ${address} from ${this.host}:${this.port} within ${timeoutMs} ms (expected ${replies.join(' or ')}); is rig serve running with this engine and these ports?`));
        }, timeoutMs);
        const wait = () => {
          this.waiter = {
            addresses: [...replies, errorAddress],
            resolve: (parts) => {
              if (parts[0].address === errorAddress && options.alwaysReplies) {
                errors.push(...parts.map(errorText));
                wait();
                return;
              }
              clearTimeout(timer);
              resolve(parts);
            },
          };
        };
        wait();
      });
      await this.send(address, args);
      const parts = await reply;
      if (parts[0].address === errorAddress) errors.push(...parts.map(errorText));
      if (errors.length) throw new OscReplyError(`the server answered: ${errors.join('; ')}`);
      return parts;
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
