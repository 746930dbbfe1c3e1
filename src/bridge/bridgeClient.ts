import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { type AudioChunk, chunkChannel, decodeChunk, encodeChannels } from './audioChunk.ts';
import { CHUNK_FRAMES, PROTOCOL_NAME, PROTOCOL_VERSION, type ServerMessage } from './protocol.ts';

const MAX_KEPT_ERRORS = 100;

type Reply<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface BridgeClientOptions {
  token?: string;
  /** Sent as the Origin header (a browser always sends one; a Node client need not). */
  origin?: string;
  /** Overrides the Host header (tests of the Host check). */
  host?: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Protocol version to ask for (tests of the version check); default the current one. */
  version?: number;
}

/** A request or a HELLO the bridge refused: the ERROR message, or how the connection ended. */
export class BridgeError extends Error {
  constructor(message: string, readonly code: string, readonly closeCode?: number) {
    super(message);
    this.name = 'BridgeError';
  }
}

/**
 * The bridge's Node client (tests, the benchmark, scripts): HELLO on connect, one promise per request
 * (matched by `id`), audio chunks sent as binary frames and their replies matched by (instance,
 * sequence). Messages nobody asked for — INSTANCE_FAILED, ERRORs about chunks — are emitted as
 * 'instanceFailed' and 'bridgeError', and kept in `errors`.
 * Events: 'chunk' (AudioChunk), 'instanceFailed', 'bridgeError', 'close' (code, reason).
 */
export class BridgeClient extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: ServerMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly chunkWaiters = new Map<string, (c: AudioChunk) => void>();
  /** The last MAX_KEPT_ERRORS unsolicited ERRORs (all are counted in `errorCount`). */
  readonly errors: Reply<'ERROR'>[] = [];
  errorCount = 0;
  welcome: Reply<'WELCOME'> | undefined;
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket, private readonly timeoutMs: number) {
    super();
    ws.on('message', (data, isBinary) => (isBinary ? this.onBinary(data as Buffer) : this.onText(data.toString())));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new BridgeError(`connection closed (${code} ${reason.toString()})`, 'closed', code));
      }
      this.pending.clear();
      this.emit('close', code, reason.toString());
    });
  }

  /** Opens the WebSocket and greets; rejects with a BridgeError when the upgrade or the HELLO is refused. */
  static async connect(url: string, o: BridgeClientOptions = {}): Promise<BridgeClient> {
    const headers: Record<string, string> = {};
    if (o.host) headers.host = o.host;
    const ws = new WebSocket(url, { headers, origin: o.origin, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        reject(new BridgeError(`upgrade refused: HTTP ${res.statusCode}`, `http-${res.statusCode}`));
        ws.terminate();
      });
      ws.once('error', (err) => reject(new BridgeError(err.message, 'connect')));
    });
    const client = new BridgeClient(ws, o.timeoutMs ?? 10_000);
    try {
      client.welcome = (await client.request({ type: 'HELLO', protocol: PROTOCOL_NAME, version: o.version ?? PROTOCOL_VERSION, token: o.token })) as Reply<'WELCOME'>;
    } catch (err) {
      // A refused HELLO is followed by the close that says why (4001, 4002): wait for it, briefly.
      if (!client.closed) await Promise.race([new Promise((r) => ws.once('close', r)), new Promise((r) => setTimeout(r, 1000))]);
      const e = err as BridgeError;
      throw new BridgeError(e.message, e.code, client.closed?.code);
    }
    return client;
  }

  private onText(text: string): void {
    const m = JSON.parse(text) as ServerMessage;
    const id = 'id' in m ? m.id : undefined;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (p) {
      this.pending.delete(id as number);
      clearTimeout(p.timer);
      if (m.type === 'ERROR') p.reject(new BridgeError(m.message, m.code));
      else p.resolve(m);
      return;
    }
    if (m.type === 'ERROR') {
      this.errorCount++;
      if (this.errors.push(m) > MAX_KEPT_ERRORS) this.errors.shift();
      this.emit('bridgeError', m);
    } else if (m.type === 'INSTANCE_FAILED') this.emit('instanceFailed', m);
  }

  private onBinary(data: Buffer): void {
    const chunk = decodeChunk(data);
    if (typeof chunk === 'string') throw new Error(`the bridge sent a malformed chunk: ${chunk}`);
    const key = `${chunk.instance}:${chunk.sequence}`;
    const waiter = this.chunkWaiters.get(key);
    if (waiter) {
      this.chunkWaiters.delete(key);
      waiter(chunk);
    }
    this.emit('chunk', chunk);
  }

  /** Sends a control message (an `id` is added) and resolves with its reply; an ERROR reply rejects. */
  request<T extends ServerMessage['type'] = ServerMessage['type']>(message: Record<string, unknown>): Promise<Reply<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BridgeError(`no reply to ${String(message.type)} within ${this.timeoutMs} ms`, 'timeout'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (m: ServerMessage) => void, reject, timer });
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  listPlugins() { return this.request<'PLUGINS'>({ type: 'LIST_PLUGINS' }); }
  load(engine: string, o: { preset?: string; params?: Record<string, unknown>; sampleRate?: number; channels?: number } = {}) {
    return this.request<'LOADED'>({ type: 'LOAD_PLUGIN', engine, preset: o.preset, params: o.params, sampleRate: o.sampleRate ?? 48000, channels: o.channels ?? 2 });
  }
  setParam(instance: number, name: string, value: number, frame?: number) { return this.request<'PARAM_SET'>({ type: 'SET_PARAM', instance, name, value, frame }); }
  getState(instance: number) { return this.request<'STATE'>({ type: 'GET_STATE', instance }); }
  setState(instance: number, state: unknown) { return this.request<'STATE_SET'>({ type: 'SET_STATE', instance, state }); }
  unload(instance: number) { return this.request<'UNLOADED'>({ type: 'UNLOAD', instance }); }
  stats() { return this.request<'STATS'>({ type: 'STATS' }); }

  /** Sends one chunk (one array per channel, `frames` each). */
  sendChunk(instance: number, sequence: number, channels: readonly Float32Array[], frames = CHUNK_FRAMES): void {
    this.ws.send(encodeChannels(instance, sequence, channels, frames));
  }

  /** Resolves with the reply chunk of (instance, sequence) when it arrives. */
  nextChunk(instance: number, sequence: number, timeoutMs = this.timeoutMs): Promise<AudioChunk> {
    return new Promise((resolve, reject) => {
      const key = `${instance}:${sequence}`;
      const timer = setTimeout(() => {
        this.chunkWaiters.delete(key);
        reject(new BridgeError(`no reply chunk ${key} within ${timeoutMs} ms`, 'timeout'));
      }, timeoutMs);
      this.chunkWaiters.set(key, (c) => { clearTimeout(timer); resolve(c); });
    });
  }

  /** One chunk there and back. */
  async roundTrip(instance: number, sequence: number, channels: readonly Float32Array[], frames = CHUNK_FRAMES): Promise<AudioChunk> {
    const reply = this.nextChunk(instance, sequence);
    this.sendChunk(instance, sequence, channels, frames);
    return reply;
  }

  /**
   * Streams a whole signal through an instance in 128-frame chunks, keeping up to `depth` chunks in
   * flight, and returns the output (one array per output channel). `beforeChunk(sequence, startFrame)`
   * may send control messages that must reach the bridge before that chunk (they are ordered on the socket).
   */
  async processSignal(instance: number, input: readonly Float32Array[], frames: number, o: { depth?: number; firstSequence?: number; beforeChunk?: (sequence: number, startFrame: number) => void } = {}): Promise<Float32Array[]> {
    const depth = o.depth ?? 4;
    const first = o.firstSequence ?? 0;
    const chunks = Math.ceil(frames / CHUNK_FRAMES);
    const outputs: Float32Array[] = [];
    const inFlight: Promise<AudioChunk>[] = [];
    const collect = (c: AudioChunk) => {
      const start = (c.sequence - first) * CHUNK_FRAMES;
      for (let ch = 0; ch < c.channels; ch++) {
        outputs[ch] ??= new Float32Array(frames);
        outputs[ch].set(chunkChannel(c, ch), start);
      }
    };
    for (let k = 0; k < chunks; k++) {
      const start = k * CHUNK_FRAMES;
      const n = Math.min(CHUNK_FRAMES, frames - start);
      o.beforeChunk?.(first + k, start);
      const slice = input.map((ch) => {
        const s = new Float32Array(n);
        s.set(ch.subarray(start, Math.min(start + n, ch.length)));
        return s;
      });
      inFlight.push(this.nextChunk(instance, first + k));
      this.sendChunk(instance, first + k, slice, n);
      if (inFlight.length >= depth) collect(await (inFlight.shift() as Promise<AudioChunk>));
    }
    for (const p of inFlight) collect(await p);
    return outputs;
  }

  /** Closes the socket and waits for it to be closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
