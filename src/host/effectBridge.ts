import { ParamError, parseParams } from '../engine/params.ts';
import type { OscArg, OscMessage } from '../protocols/osc/oscCodec.ts';
import type { EffectRequest } from '../protocols/osc/effectOsc.ts';
import { LiveParams } from './liveParams.ts';
import type { LivePresets } from './livePresets.ts';
import type { MetricsSubscribers } from './metricsSubscribers.ts';
import type { RigServer } from './rigServer.ts';
import { statusToOscMessages } from './serverStatus.ts';
import type { SnapshotWriter } from './snapshotWriter.ts';
import type { StructuralChanges } from './structuralChanges.ts';

/** Where a reply goes: a UDP address and port. */
export interface OscPeer {
  address: string;
  port: number;
}

/** Sends one OSC packet (a message, or a bundle of them) within the transport's reply budget. */
export type OscSend = (packet: OscMessage | { timeTag: { raw: [number, number] }; packets: OscMessage[] }, to: OscPeer) => void;

export interface EffectBridgeOptions {
  /** Replies go here; 'sender' = back to the datagram's source address and port. Default 127.0.0.1:9001. */
  replyTo?: OscPeer | 'sender';
  presets?: LivePresets;
  snapshots?: SnapshotWriter;
  subscribers?: MetricsSubscribers;
  /** Structural changes (a new engine, crossfaded in): without it they are refused, naming why. */
  structure?: StructuralChanges;
}

/** Replies per packet of `/params`: at most this many name/value pairs in one message (a datagram stays < 8 KiB). */
const PAIRS_PER_MESSAGE = 100;

/**
 * The OSC bridge of a live effect (`/<engine>/…`, protocols/osc/effectOsc.ts): sets parameters through
 * the server's command ring (so the engine's own smoothing applies them at a period's sample), answers
 * `params/get` from LiveParams, loads and saves presets (livePresets.ts), writes snapshots of the
 * signal rings (snapshotWriter.ts) and registers metrics subscribers (metricsSubscribers.ts) — all on
 * the control thread; the audio side only ever sees Param events. Every refusal is answered with
 * `/<engine>/error s`, counted in the server's counts and logged (escaped) by `server.report`.
 */
export class EffectBridge {
  readonly prefix: string;

  constructor(
    private readonly server: RigServer,
    readonly params: LiveParams,
    private readonly send: OscSend,
    private readonly options: EffectBridgeOptions = {},
  ) {
    this.prefix = `/${params.engineName}`;
  }

  /** Where replies to `sender` go. */
  replyPeer(sender: OscPeer): OscPeer {
    const r = this.options.replyTo ?? { address: '127.0.0.1', port: 9001 };
    return r === 'sender' ? sender : r;
  }

  /** Answers `message` with `/<engine>/error s`, counted under `counter` and logged. */
  error(message: string, sender: OscPeer, counter?: keyof RigServer['counts']): void {
    if (counter) this.server.counts[counter]++;
    this.server.report('osc', `udp ${sender.address}:${sender.port}`, message);
    this.send({ address: `${this.prefix}/error`, args: [{ type: 's', value: message.slice(0, 512) }] }, this.replyPeer(sender));
  }

  /** Handles one decoded request from `sender`. Never throws. */
  handle(req: EffectRequest, sender: OscPeer): void {
    try {
      this.dispatch(req, sender);
    } catch (err) {
      this.error(`${req.kind}: ${(err as Error).message}`, sender);
    }
  }

  private dispatch(req: EffectRequest, sender: OscPeer): void {
    const to = this.replyPeer(sender);
    switch (req.kind) {
      case 'param': { this.setParam(req.name, req.values, sender, req.epochMs); return; }
      case 'paramsGet': { this.sendParams(to); return; }
      case 'status': {
        const peer = `udp ${sender.address}:${sender.port}`;
        this.send({ timeTag: { raw: [0, 1] }, packets: statusToOscMessages(this.server.status(peer), this.prefix) }, to);
        return;
      }
      case 'presetLoad': {
        const presets = this.options.presets;
        if (!presets) { this.error('preset/load: no preset library on this server', sender, 'presetErrors'); return; }
        const lateError = (message: string) => this.error(`preset/load: ${req.name}: ${message}`, sender, 'presetErrors');
        const rebuild = this.options.structure ? (params: unknown) => this.options.structure?.request(params, lateError) : undefined;
        const r = presets.load(req.name, (name, value) => this.queueParam(name, value, sender), rebuild);
        if (typeof r === 'string') { this.error(r, sender, 'presetErrors'); return; }
        this.send({ address: `${this.prefix}/preset/loaded`, args: [str(r.name), str(r.file)] }, to);
        return;
      }
      case 'presetSave': {
        const presets = this.options.presets;
        if (!presets) { this.error('preset/save: no preset library on this server', sender, 'presetErrors'); return; }
        void presets.save(req.name, this.params.snapshot(), req.force).then((r) => {
          if (typeof r === 'string') this.error(r, sender, 'presetErrors');
          else this.send({ address: `${this.prefix}/preset/saved`, args: [str(req.name), str(r.file)] }, to);
        });
        return;
      }
      case 'snapshot': {
        const snapshots = this.options.snapshots;
        if (!snapshots) { this.error('request_snapshot: no snapshot rings on this server', sender, 'snapshotErrors'); return; }
        const problem = snapshots.check(req.seconds);
        if (problem) { this.error(problem, sender, 'snapshotErrors'); return; }
        void snapshots.write(req.seconds).then((r) => {
          if (typeof r === 'string') this.error(r, sender, 'snapshotErrors');
          else this.send({ address: `${this.prefix}/snapshot_ready`, args: [str(r.input), str(r.output)] }, to);
        });
        return;
      }
      case 'subscribe': {
        const subs = this.options.subscribers;
        if (!subs) { this.error('subscribe: no metrics on this server', sender, 'refusedSubscriptions'); return; }
        const port = req.port ?? to.port;
        const r = subs.subscribe({ address: sender.address, port }, req.intervalMs);
        if (typeof r === 'string') { this.error(r, sender, 'refusedSubscriptions'); return; }
        this.send({ address: `${this.prefix}/subscribed`, args: [{ type: 'i', value: port }, { type: 'f', value: r.intervalMs }] }, to);
        return;
      }
      case 'unsubscribe': {
        const subs = this.options.subscribers;
        const port = req.port ?? to.port;
        const removed = subs?.unsubscribe({ address: sender.address, port }) ?? false;
        if (!removed) { this.error(`unsubscribe: no subscription for ${sender.address}:${port}`, sender); return; }
        this.send({ address: `${this.prefix}/unsubscribed`, args: [{ type: 'i', value: port }] }, to);
        return;
      }
    }
  }

  /** `/param/<name> v…`: checked against LiveParams, queued as a Param event, recorded as current. */
  private setParam(name: string, values: number[], sender: OscPeer, epochMs?: number): void {
    const key = this.options.structure ? this.params.structuralKey(name) : undefined;
    if (key !== undefined) { this.setStructural(key, values, sender); return; }
    const p = this.params.resolve(name);
    if (typeof p === 'string') { this.error(p, sender, 'badParamValues'); return; }
    const problem = this.params.check(p, values);
    if (problem) { this.error(problem, sender, 'badParamValues'); return; }
    this.queueParam(p.name, values[0], sender, epochMs);
  }

  /**
   * A structural parameter (`/param/lines 16`, `/param/damping_coeffs d0 d1 …`: an array as several
   * arguments, one number for all lines): the whole parameter set with this change is validated by the
   * engine's schema (the refusal names the parameter, the value and what is allowed), then a new engine
   * is built and crossfaded in (structuralChanges.ts). Applied at the next period, not at a bundle's time.
   */
  private setStructural(key: string, values: number[], sender: OscPeer): void {
    const value = values.length === 1 ? values[0] : values;
    const candidate = { ...this.params.snapshot(), [key]: value };
    let parsed: unknown;
    try {
      parsed = parseParams(this.entrySchema(), candidate, `${this.params.engineName} ${key}`);
    } catch (err) {
      const issues = err instanceof ParamError ? err.issues.join('; ') : (err as Error).message;
      // The schema's text names the key and what is allowed; the value too when it is the key's own.
      this.error(issues.includes('got ') ? issues : `${key}: got ${JSON.stringify(value).slice(0, 200)}; ${issues}`, sender, 'badParamValues');
      return;
    }
    const refused = this.options.structure?.request(parsed, (message) => this.error(`${key}: ${message}`, sender, 'badParamValues'));
    if (refused) { this.error(`${key}: ${refused}`, sender, 'badParamValues'); return; }
    this.params.replace(parsed);
  }

  private entrySchema() {
    const schema = this.server.effect?.options.entry.paramsSchema;
    if (!schema) throw new Error('no parameter schema for this engine');
    return schema;
  }

  /** Queues one Param event for the engine's own parameter `name`; false (answered) when refused. */
  private queueParam(name: string, value: number, sender: OscPeer, epochMs?: number): boolean {
    const p = this.params.resolve(name);
    if (typeof p === 'string') {
      this.error(p, sender, 'badParamValues');
      return false;
    }
    const cmd = { type: 'param' as const, name: p.name, value, ...(epochMs === undefined ? {} : { timestamp: { kind: 'epochMs' as const, epochMs } }) };
    const r = this.server.submit(cmd, 'osc', `udp ${sender.address}:${sender.port}`);
    if (!r.ok) {
      this.send({ address: `${this.prefix}/error`, args: [str(r.error)] }, this.replyPeer(sender));
      return false;
    }
    this.params.set(p, value);
    return true;
  }

  /** `/params`: every current value as name/value pairs (several messages in one bundle when long). */
  private sendParams(to: OscPeer): void {
    const pairs = this.params.flat();
    const messages: OscMessage[] = [];
    for (let i = 0; i < pairs.length; i += PAIRS_PER_MESSAGE) {
      const args: OscArg[] = [];
      for (const [name, value] of pairs.slice(i, i + PAIRS_PER_MESSAGE)) args.push(str(name), oscValue(value));
      messages.push({ address: `${this.prefix}/params`, args });
    }
    if (messages.length === 1) this.send(messages[0], to);
    else this.send({ timeTag: { raw: [0, 1] }, packets: messages }, to);
  }
}

const str = (value: string): OscArg => ({ type: 's', value });

/** A parameter value as an OSC argument: f for numbers (d for whole numbers past float32's 2^24), s, T/F, N. */
function oscValue(v: number | string | boolean | null): OscArg {
  if (v === null) return { type: 'N', value: null };
  if (typeof v === 'boolean') return { type: v ? 'T' : 'F', value: v };
  if (typeof v === 'string') return { type: 's', value: v };
  if (Number.isInteger(v) && Math.abs(v) > 2 ** 24) return { type: 'd', value: v };
  return { type: 'f', value: v };
}

export { LiveParams };
