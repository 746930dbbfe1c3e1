import type { OscArg, OscMessage } from './oscCodec.ts';
import { OscCommandError, argNumber, decodeOscMessages } from './oscCommands.ts';

/**
 * The OSC bridge of a live engine `<e>` (the engine served: `reverb`, `lossy`, …), UDP, one packet per
 * datagram; a bundle's time tag (epoch ms) times the parameter changes inside it.
 *
 * | address                        | arguments                          | reply (to the reply address)            |
 * |--------------------------------|------------------------------------|-----------------------------------------|
 * | /<e>/param/<name>              | value… (numbers: i, f, d or h)     | — (`/<e>/error s` when refused)         |
 * | /<e>/params/get                | —                                  | /<e>/params (name, value)…              |
 * | /<e>/preset/load               | name (s)                           | /<e>/preset/loaded name                 |
 * | /<e>/preset/save               | name (s) [, force (i 1 / T / "force")] | /<e>/preset/saved name file         |
 * | /<e>/request_snapshot          | [seconds (number)]                 | /<e>/snapshot_ready in.wav out.wav      |
 * | /<e>/subscribe                 | [port (i) [, interval_ms (number)]] | /<e>/subscribed port interval_ms       |
 * | /<e>/unsubscribe               | [port (i)]                         | /<e>/unsubscribed port                  |
 * | /status, /<e>/status           | —                                  | the status bundle (serverStatus.ts)     |
 *
 * `<name>` is the engine's own parameter name or an alias (liveParams.ts); a structural one (`lines`,
 * `damping_coeffs` with one value per line as several arguments) rebuilds the engine (effectBridge.ts,
 * structuralChanges.ts). Decoding checks types and
 * arity only; ranges, names and files are the bridge's (effectBridge.ts).
 */
export type EffectRequest =
  | { kind: 'param'; name: string; values: number[]; epochMs?: number }
  | { kind: 'paramsGet' }
  | { kind: 'presetLoad'; name: string }
  | { kind: 'presetSave'; name: string; force: boolean }
  | { kind: 'snapshot'; seconds?: number }
  | { kind: 'subscribe'; port?: number; intervalMs?: number }
  | { kind: 'unsubscribe'; port?: number }
  | { kind: 'status' };

export interface EffectDecodeResult {
  requests: EffectRequest[];
  errors: OscCommandError[];
}

/** Decodes one datagram for engine `engine`; never throws (every problem is an error with its kind). */
export function decodeEffectDatagram(data: Uint8Array, engine: string): EffectDecodeResult {
  const { items, errors } = decodeOscMessages(data, (msg, tagMs) => effectRequest(msg, engine, tagMs));
  return { requests: items, errors };
}

const bad = (address: string, message: string) => new OscCommandError('badArguments', `${address}: ${message}`, address);

/** One message as a request; throws OscCommandError. */
export function effectRequest(msg: OscMessage, engine: string, tagMs?: number): EffectRequest {
  const address = typeof msg.address === 'string' ? msg.address : '';
  const args: OscArg[] = Array.isArray(msg.args) ? msg.args : [];
  const prefix = `/${engine}/`;
  if (address === '/status' || address === `${prefix}status`) {
    if (args.length) throw bad(address, `expects no arguments, got ${args.length}`);
    return { kind: 'status' };
  }
  if (!address.startsWith(prefix)) throw new OscCommandError('unknownAddress', `unknown OSC address "${address}" (this server runs ${engine}: expected ${prefix}…)`, address);
  const verb = address.slice(prefix.length);
  const arity = (min: number, max: number, what: string) => {
    if (args.length < min || args.length > max) throw bad(address, `expects ${what}, got ${args.length} argument(s)`);
  };
  const num = (i: number, what: string) => {
    const n = argNumber(args[i]);
    if (n === undefined) throw bad(address, `argument ${i + 1} (${what}) must be a number, got type '${args[i]?.type}'`);
    return n;
  };
  const str = (i: number, what: string) => {
    const v = args[i];
    if (v?.type !== 's' || typeof v.value !== 'string') throw bad(address, `argument ${i + 1} (${what}) must be a string, got type '${v?.type}'`);
    return v.value;
  };
  if (verb.startsWith('param/') && verb.length > 'param/'.length) {
    if (args.length === 0) throw bad(address, 'expects one value or more (an array as several arguments), got none');
    if (args.length > 64) throw bad(address, `expects at most 64 values, got ${args.length}`);
    const values = args.map((_, i) => num(i, 'value'));
    const r: EffectRequest = { kind: 'param', name: verb.slice('param/'.length), values };
    if (tagMs !== undefined) r.epochMs = tagMs;
    return r;
  }
  switch (verb) {
    case 'params/get':
      arity(0, 0, 'no arguments');
      return { kind: 'paramsGet' };
    case 'preset/load':
      arity(1, 1, 'a preset name (s)');
      return { kind: 'presetLoad', name: str(0, 'name') };
    case 'preset/save': {
      arity(1, 2, 'a preset name (s) [, force]');
      const f = args[1];
      const force = f === undefined ? false
        : f.type === 'T' ? true : f.type === 'F' ? false
        : f.type === 's' ? f.value === 'force' : argNumber(f) === 1;
      if (f !== undefined && !force && !(f.type === 'F' || argNumber(f) === 0)) throw bad(address, 'argument 2 (force) must be 1, T or "force" (0 or F for no)');
      return { kind: 'presetSave', name: str(0, 'name'), force };
    }
    case 'request_snapshot':
      arity(0, 1, '[seconds]');
      return args.length ? { kind: 'snapshot', seconds: num(0, 'seconds') } : { kind: 'snapshot' };
    case 'subscribe': {
      arity(0, 2, '[port [, interval_ms]]');
      const r: EffectRequest = { kind: 'subscribe' };
      if (args.length > 0) r.port = num(0, 'port');
      if (args.length > 1) r.intervalMs = num(1, 'interval_ms');
      return r;
    }
    case 'unsubscribe':
      arity(0, 1, '[port]');
      return args.length ? { kind: 'unsubscribe', port: num(0, 'port') } : { kind: 'unsubscribe' };
    default:
      throw new OscCommandError('unknownAddress', `unknown OSC address "${address}" (known: ${prefix}param/<name>, params/get, preset/load, preset/save, request_snapshot, subscribe, unsubscribe, status)`, address);
  }
}
