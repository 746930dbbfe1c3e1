import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ParamError, describeIssues, parseParams } from '../engine/params.ts';
import { engineRegistry } from '../presets/engineRegistry.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { decodeChunk, encodeChunk } from './audioChunk.ts';
import type { BridgeHost } from './bridgeHost.ts';
import { EngineInstance } from './engineInstance.ts';
import {
  type ClientMessage, CloseCode, type ErrorCode, PROTOCOL_NAME, PROTOCOL_VERSION, type RequestId, type ServerMessage,
  type StreamCounts, CHUNK_FRAMES, SAMPLE_RATES_HZ, clientMessageSchema,
} from './protocol.ts';
import { TokenBucket } from '../protocols/tokenBucket.ts';

interface Slot {
  id: number;
  engine: string;
  channels: number;
  instance: EngineInstance;
  /** The sequence number the next chunk should carry. */
  expectedSequence: number;
  counts: StreamCounts;
  paramRanges: readonly { min: number | null; max: number | null }[];
}

/** Same length digests, so the comparison takes the same time whatever the guess. */
function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(token));
}

/**
 * One client's WebSocket: the handshake, the control messages (each validated by the protocol's zod
 * schema before anything is done), the audio chunks with their sequence accounting, the chunk rate
 * bucket and the instances this client loaded (unloaded when it goes). A bad message is answered with
 * an ERROR and counted; the connection stays up — except for the bad handshakes and the slow consumer,
 * closed with the codes in protocol.ts. No handler throws past `onMessage`.
 */
export class BridgeConnection {
  private greeted = false;
  private readonly slots = new Map<number, Slot>();
  /** One second's worth of chunks at most; a chunk, a control message or a SET_PARAM takes one. */
  private readonly rate: TokenBucket;
  readonly counts: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly helloTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly ws: WebSocket, private readonly host: BridgeHost, private readonly ownOrigin: boolean, private readonly peer: string) {
    this.rate = new TokenBucket(host.limits.maxChunksPerSecond);
    this.helloTimer = setTimeout(() => {
      if (!this.greeted) this.close(CloseCode.helloTimeout, 'no HELLO', 'hello-timeout');
    }, host.helloTimeoutMs);
    this.helloTimer.unref();
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', (err) => {
      // ws reports a frame over maxPayload (and other protocol violations) here, then closes with 1009/1002.
      this.host.log.reject(/max payload/i.test(err.message) ? 'too-big' : 'protocol-violation', `${this.peer}: ${err.message}`);
    });
  }

  private count(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    this.host.log.count('messagesHandled');
    try {
      if (isBinary) this.onChunk(data);
      else this.onText(data);
    } catch (err) {
      this.host.log.reject('internal-error', `${this.peer}: ${(err as Error).stack ?? String(err)}`);
      this.count('internalErrors');
    }
  }

  private send(m: ServerMessage): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.host.maxBufferedBytes) {
      this.close(CloseCode.slowConsumer, 'replies not read', 'slow-consumer');
      return;
    }
    this.ws.send(JSON.stringify(m));
  }

  private error(code: ErrorCode, message: string, extra: { id?: RequestId; instance?: number; sequence?: number } = {}): void {
    this.count(`error.${code}`);
    this.host.log.reject(code, `${this.peer}: ${message}`);
    this.send({ type: 'ERROR', code, message, ...extra });
  }

  private close(code: number, reason: string, counted: string): void {
    this.host.log.reject(counted, `${this.peer}: closing (${code} ${reason})`);
    this.count(counted);
    this.ws.close(code, reason);
    this.dispose();
  }

  private onText(data: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch (err) {
      this.error('malformed-json', `not JSON: ${(err as Error).message}`);
      return;
    }
    const parsed = clientMessageSchema.safeParse(json);
    const id = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { id?: unknown }).id : undefined;
    const echo = typeof id === 'string' && id.length <= 64 ? id : typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
    if (!parsed.success) {
      this.error('invalid-message', describeIssues(parsed.error, json).join('; '), { id: echo });
      return;
    }
    const m = parsed.data;
    if (m.type === 'HELLO') return void this.hello(m);
    if (!this.greeted) return void this.error('hello-required', `${m.type} before HELLO`, { id: m.id });
    if (m.type !== 'SET_PARAM' && this.host.checkRate && !this.rate.take()) {
      return void this.error('rate-limited', `more than ${this.host.limits.maxChunksPerSecond} chunks and control messages per second`, { id: m.id });
    }
    switch (m.type) {
      case 'LIST_PLUGINS':
        return void this.send({ type: 'PLUGINS', id: m.id, ...this.host.plugins() });
      case 'LOAD_PLUGIN':
        return void this.settle(this.load(m), m.id);
      case 'SET_PARAM':
        return void this.setParam(m);
      case 'GET_STATE':
      case 'SET_STATE':
        return void this.settle(this.state(m), m.id);
      case 'UNLOAD':
        return void this.settle(this.unload(m.instance, m.id), m.id);
      case 'STATS':
        return void this.send({ type: 'STATS', id: m.id, connection: { ...this.counts }, bridge: this.host.stats(), instances: Object.fromEntries([...this.slots].map(([k, s]) => [k, { ...s.counts, lateParams: s.instance.lateParams }])) });
    }
  }

  /** An asynchronous handler's unexpected failure is logged and counted like a synchronous one's: never an unhandled rejection. */
  private settle(work: Promise<void>, id: RequestId): void {
    work.catch((err: unknown) => {
      this.host.log.reject('internal-error', `${this.peer}: ${(err as Error)?.stack ?? String(err)}`);
      this.count('internalErrors');
      this.send({ type: 'ERROR', id, code: 'invalid-message', message: 'the bridge could not answer this request (logged)' });
    });
  }

  private hello(m: Extract<ClientMessage, { type: 'HELLO' }>): void {
    if (this.greeted) return void this.error('already-greeted', 'HELLO was already answered', { id: m.id });
    if (m.protocol !== PROTOCOL_NAME || m.version !== PROTOCOL_VERSION) {
      const message = `this bridge speaks ${PROTOCOL_NAME} version ${PROTOCOL_VERSION}; the client asked for ${m.protocol} version ${m.version}`;
      this.error('version-mismatch', message, { id: m.id });
      this.close(CloseCode.versionMismatch, 'protocol version mismatch', 'version-mismatch');
      return;
    }
    if (!this.ownOrigin && this.host.checkToken && !tokenMatches(m.token, this.host.token)) {
      const missing = m.token === undefined;
      this.send({ type: 'ERROR', id: m.id, code: missing ? 'token-required' : 'wrong-token', message: missing ? 'the pairing token is required (printed by `rig bridge` as "token: …")' : 'wrong pairing token' });
      this.close(CloseCode.badToken, m.token === undefined ? 'token required' : 'wrong token', 'token');
      return;
    }
    this.greeted = true;
    clearTimeout(this.helloTimer);
    this.send({
      type: 'WELCOME', id: m.id, protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION, bridgeVersion: this.host.bridgeVersion,
      sampleRates: SAMPLE_RATES_HZ, chunkFrames: CHUNK_FRAMES, limits: this.host.limits,
    });
  }

  private onChunk(data: Buffer): void {
    if (!this.greeted) return void this.error('hello-required', 'an audio chunk before HELLO');
    const chunk = decodeChunk(data);
    if (typeof chunk === 'string') return void this.error('malformed-chunk', chunk);
    if (this.host.checkRate && !this.rate.take()) {
      return void this.error('rate-limited', `more than ${this.host.limits.maxChunksPerSecond} chunks per second`, { instance: chunk.instance, sequence: chunk.sequence });
    }
    const slot = this.slots.get(chunk.instance);
    if (!slot) return void this.error('unknown-instance', `no instance ${chunk.instance} on this connection`, { instance: chunk.instance, sequence: chunk.sequence });
    if (chunk.channels !== slot.channels) {
      return void this.error('channel-mismatch', `instance ${slot.id} was loaded with ${slot.channels} channels; the chunk has ${chunk.channels}`, { instance: slot.id, sequence: chunk.sequence });
    }
    if (chunk.sequence < slot.expectedSequence) {
      slot.counts.duplicates++;
      return void this.error('duplicate-chunk', `sequence ${chunk.sequence} after ${slot.expectedSequence - 1}: not processed`, { instance: slot.id, sequence: chunk.sequence });
    }
    if (slot.instance.inFlight >= this.host.limits.maxChunksInFlight) {
      return void this.error('instance-busy', `instance ${slot.id} has ${slot.instance.inFlight} chunks in flight`, { instance: slot.id, sequence: chunk.sequence });
    }
    if (chunk.sequence > slot.expectedSequence) {
      slot.counts.sequenceGaps += chunk.sequence - slot.expectedSequence;
      this.count('sequenceGaps');
    }
    slot.expectedSequence = chunk.sequence + 1;
    slot.counts.chunksIn++;
    slot.instance.process(chunk.sequence, chunk.frames, chunk.channels, chunk.samples);
  }

  private async load(m: Extract<ClientMessage, { type: 'LOAD_PLUGIN' }>): Promise<void> {
    const entry = engineRegistry[m.engine];
    if (!entry) return void this.error('unknown-engine', `no engine "${m.engine}"; known: ${Object.keys(engineRegistry).sort().join(', ')}`, { id: m.id });
    let config: unknown;
    try {
      const base = m.preset === undefined ? {} : loadPreset(m.engine, m.preset).params;
      config = mergeParams(base, m.params ?? {});
      parseParams(entry.paramsSchema, config, `LOAD_PLUGIN ${m.engine} params`);
    } catch (err) {
      if (!(err instanceof ParamError)) throw err;
      return void this.error(m.preset !== undefined && !(err.source.startsWith('LOAD_PLUGIN')) ? 'unknown-preset' : 'invalid-params', err.message, { id: m.id });
    }
    const id = this.host.reserveInstance();
    if (id === null) return void this.error('too-many-instances', `the bridge holds ${this.host.limits.maxInstances} instances already`, { id: m.id });
    let instance: EngineInstance;
    try {
      instance = await EngineInstance.start(
        { engine: m.engine, modulePath: this.host.modulePathOf(m.engine), config, sampleRate: m.sampleRate, channels: m.channels, realtimePriority: this.host.instancePriority },
        this.host.limits.watchdogMs,
        { output: (seq, frames, samples) => this.output(id, seq, frames, samples), failed: (reason, message) => this.failed(id, reason, message) },
      );
    } catch (err) {
      this.host.releaseInstance(id);
      return void this.error('instance-failed', `${m.engine} did not start: ${(err as Error).message}`, { id: m.id });
    }
    const source = instance.workerSource;
    if (source.kind === 'sources') {
      this.host.log.count('instancesFromSources');
      this.host.log.note(`instance ${id} (${m.engine}) runs the TypeScript sources through tsx: ${source.reason}`);
    } else if (source.rebuilt) this.host.log.note(`rebuilt the instance worker bundle (${source.rebuilt}) before instance ${id}`);
    if (this.closed) {
      await instance.stop();
      this.host.releaseInstance(id);
      return;
    }
    const ranges = this.host.paramRanges(m.engine, instance.paramNames);
    this.slots.set(id, {
      id, engine: m.engine, channels: m.channels, instance, expectedSequence: 0, paramRanges: ranges,
      counts: { chunksIn: 0, chunksOut: 0, sequenceGaps: 0, duplicates: 0, lateParams: 0 },
    });
    this.send({
      type: 'LOADED', id: m.id, instance: id, engine: m.engine, preset: m.preset ?? null, sampleRate: m.sampleRate, channels: m.channels,
      numInputs: instance.numInputs, numOutputs: instance.numOutputs, paramNames: instance.paramNames, latencyFrames: 0,
    });
  }

  private output(id: number, sequence: number, frames: number, samples: Float32Array): void {
    const slot = this.slots.get(id);
    if (!slot || this.closed) return;
    slot.counts.chunksOut++;
    if (this.ws.bufferedAmount > this.host.maxBufferedBytes) {
      this.close(CloseCode.slowConsumer, 'replies not read', 'slow-consumer');
      return;
    }
    this.ws.send(encodeChunk({ instance: id, sequence, frames, channels: slot.instance.numOutputs }, samples));
  }

  private failed(id: number, reason: 'threw' | 'hung' | 'exited', message: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    this.slots.delete(id);
    this.host.releaseInstance(id);
    this.host.log.reject(`instance-${reason}`, `${this.peer}: instance ${id} (${slot.engine}) ${reason}: ${message}; unloaded`);
    this.count(`instance.${reason}`);
    this.send({ type: 'INSTANCE_FAILED', instance: id, reason, message, counts: { ...slot.counts, lateParams: slot.instance.lateParams } });
  }

  private setParam(m: Extract<ClientMessage, { type: 'SET_PARAM' }>): void {
    const slot = this.slots.get(m.instance);
    if (!slot) return void this.error('unknown-instance', `no instance ${m.instance} on this connection`, { id: m.id, instance: m.instance });
    if (this.host.checkRate && !this.rate.take()) return void this.error('rate-limited', `more than ${this.host.limits.maxChunksPerSecond} chunks and parameter changes per second`, { id: m.id, instance: m.instance });
    const index = slot.instance.paramNames.indexOf(m.name);
    if (index < 0) return void this.error('unknown-parameter', `${slot.engine} has no parameter "${m.name}"; known: ${slot.instance.paramNames.join(', ')}`, { id: m.id, instance: m.instance });
    const { min, max } = slot.paramRanges[index];
    if ((min !== null && m.value < min) || (max !== null && m.value > max)) {
      return void this.error('parameter-out-of-range', `${m.name}: got ${m.value}, expected ${min ?? '−∞'}…${max ?? '∞'}`, { id: m.id, instance: m.instance });
    }
    slot.instance.setParam(index, m.value, m.frame ?? null);
    this.host.log.count('paramsSet');
    this.send({ type: 'PARAM_SET', id: m.id, instance: m.instance, name: m.name, value: m.value, frame: m.frame ?? null });
  }

  private async state(m: Extract<ClientMessage, { type: 'GET_STATE' | 'SET_STATE' }>): Promise<void> {
    const slot = this.slots.get(m.instance);
    if (!slot) return void this.error('unknown-instance', `no instance ${m.instance} on this connection`, { id: m.id, instance: m.instance });
    try {
      if (m.type === 'GET_STATE') this.send({ type: 'STATE', id: m.id, instance: m.instance, state: await slot.instance.getState() });
      else {
        await slot.instance.setState(m.state);
        this.send({ type: 'STATE_SET', id: m.id, instance: m.instance });
      }
    } catch (err) {
      if (slot.instance.alive) this.error('invalid-state', (err as Error).message, { id: m.id, instance: m.instance });
    }
  }

  private async unload(id: number, request: RequestId): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot) return void this.error('unknown-instance', `no instance ${id} on this connection`, { id: request, instance: id });
    this.slots.delete(id);
    await slot.instance.stop();
    this.host.releaseInstance(id);
    this.send({ type: 'UNLOADED', id: request, instance: id, counts: { ...slot.counts, lateParams: slot.instance.lateParams } });
  }

  /** The connection is gone: its instances go with it. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.helloTimer);
    for (const slot of this.slots.values()) {
      void slot.instance.stop();
      this.host.releaseInstance(slot.id);
    }
    this.slots.clear();
    this.host.forget(this);
  }
}

/** `over` laid on `base`: plain objects merged key by key, anything else replaced. */
export function mergeParams(base: unknown, over: unknown): unknown {
  const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isPlain(base) || !isPlain(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // defineProperty: a "__proto__" key from JSON stays a key (and the schema refuses it), never a prototype.
    Object.defineProperty(out, k, { value: Object.hasOwn(base, k) ? mergeParams(base[k], v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
