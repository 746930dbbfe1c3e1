import { ParamError } from '../engine/params.ts';
import type { OscArg, OscMessage } from '../protocols/osc/oscCodec.ts';
import { snapshotFileIn } from '../host/snapshotPath.ts';
import { readWav } from '../io/wavFile.ts';
import { findImpulseInInput } from './impulseInInput.ts';
import { OscClient, type OscEndpoint, OscReplyError } from './oscClient.ts';
import { type TunableValues, tunableParams } from './tunableParams.ts';
import type { TunerBackend } from './tunerBackend.ts';
import type { TuningCapture } from './tuningMetrics.ts';
import { wetResponse } from './wetResponse.ts';

export interface LiveBackendOptions {
  engine: string;
  osc: OscEndpoint & { settleMs?: number };
  windowSeconds: number;
  /** The engine's dry path, taken out of the response for the decay figures (reverbs); null: no decay figures. */
  dryGain: ((values: TunableValues) => number) | null;
  noDecayReason: string;
  /** Loaded on the server when connecting. */
  preset?: string;
  /**
   * The server's snapshots folder (`rig serve --snapshots`): a `snapshot_ready` reply must name files
   * in it (a name, or an absolute path whose folder is it; snapshotPath.ts). Anything else is refused
   * unread, so a reply cannot make the tuner read another file.
   */
  snapshotsDir: string;
}

/** Time a snapshot takes to be written and announced, beyond the request's own timeout (3 s of stereo: ≤ 50 ms targeted). */
const SNAPSHOT_TIMEOUT_MS = 10_000;

/**
 * The decimal a float32 OSC argument most likely stood for: the shortest one (≤ 9 significant digits)
 * that rounds to the same float32, so 0.2 sent as 'f' reads back as 0.2, not 0.20000000298023224.
 */
export function shortestFloat32(v: number): number {
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return v;
}

/**
 * The name/value pairs of a `/<engine>/params` reply — (name s, value) repeated, values of any type
 * (f/d/i numbers; s, T/F and N for enums, booleans and unset values): numbers are kept, the rest are
 * null here (the tuner sets numbers only). Float32 values read back as the decimal they stood for.
 * A long reply comes as several `/params` messages in one bundle (at most 100 pairs each): every part
 * is read, in order.
 */
export function parseParamsReply(parts: OscMessage | readonly OscMessage[]): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const m of Array.isArray(parts) ? parts : [parts as OscMessage]) {
    if (m.args.length % 2 !== 0) throw new OscReplyError(`${m.address}: expected name/value pairs, got ${m.args.length} arguments`);
    for (let i = 0; i + 1 < m.args.length; i += 2) {
      const [name, value] = [m.args[i], m.args[i + 1]];
      if (name.type !== 's') throw new OscReplyError(`${m.address}: argument ${i + 1} should be a parameter name (s), got type '${name.type}'`);
      values.set(String(name.value), typeof value.value !== 'number' ? null : value.type === 'f' ? shortestFloat32(value.value) : value.value);
    }
  }
  return values;
}

/**
 * The live tuner: a client of `rig serve`'s OSC bridge, nothing more. Sets parameters with
 * `/<engine>/param/<name> v` and confirms them with `/<engine>/params/get`; loads and saves presets
 * with `/<engine>/preset/load|save "name"` (→ `/<engine>/preset/loaded|saved "name" "file"`); captures with `/<engine>/request_snapshot <seconds>` and reads
 * the two WAVs of `/<engine>/snapshot_ready`. After a change it waits `settleMs` (default: the window
 * plus the last measured T30, at least 1 s: the snapshot then holds only audio processed after the
 * change and its ramp, and no tail of the audio before it) before asking.
 * The server's `/<engine>/error "message"` becomes an error naming it.
 */
export class LiveBackend implements TunerBackend {
  readonly mode = 'live';
  private lastChangeMs = 0;
  /** Values this tuner set: OSC carries float32, so a value read back equal in float32 is reported as set. */
  private readonly sent = new Map<string, number>();
  private constructor(private readonly options: LiveBackendOptions, private readonly client: OscClient) {}

  /** How long after a change a snapshot holds only audio processed after it: the window and the old tail (≥ 1 s), or `settleMs`. */
  private settleMs(tailSeconds = 0): number {
    return this.options.osc.settleMs ?? (this.options.windowSeconds + Math.min(30, Math.max(1, tailSeconds))) * 1000;
  }

  static async connect(options: LiveBackendOptions): Promise<LiveBackend> {
    const client = new OscClient(options.osc);
    await client.open();
    const backend = new LiveBackend(options, client);
    try {
      await backend.readParams();
      if (options.preset !== undefined) await backend.loadPreset(options.preset);
    } catch (e) {
      await client.close();
      throw e;
    }
    backend.lastChangeMs = Date.now();
    return backend;
  }

  private address(tail: string): string {
    return `/${this.options.engine}/${tail}`;
  }

  private async request(tail: string, args: OscArg[], reply: string, options?: { timeoutMs?: number; alwaysReplies?: boolean }): Promise<OscMessage> {
    return (await this.requestParts(tail, args, reply, options))[0];
  }

  /** A request whose reply may come in parts (every message at the reply address of one packet). */
  private requestParts(tail: string, args: OscArg[], reply: string, options?: { timeoutMs?: number; alwaysReplies?: boolean }): Promise<OscMessage[]> {
    return this.client.requestParts(this.address(tail), args, [this.address(reply)], this.address('error'), options);
  }

  /** The server's values; any error it sent for the messages before (sets, preset load/save) is thrown here. */
  private async readParams(): Promise<Map<string, number | null>> {
    return parseParamsReply(await this.requestParts('params/get', [], 'params', { alwaysReplies: true }));
  }

  async setValues(values: TunableValues): Promise<void> {
    const integer = new Set(tunableParams(this.options.engine).filter((p) => p.integer).map((p) => p.name));
    for (const [name, value] of Object.entries(values)) {
      if (value === null) throw new ParamError(`${this.options.engine} parameters`, [`${name}: null cannot be sent over OSC live; give a number`]);
      await this.client.send(this.address(`param/${name}`), [{ type: integer.has(name) ? 'i' : 'f', value }]);
      this.sent.set(name, value);
    }
    const now = await this.readParams(); // the server's errors for the sets arrive first
    for (const [name, value] of Object.entries(values)) {
      const got = now.get(name);
      if (got === undefined) throw new OscReplyError(`the server's ${this.address('params')} reply has no ${name}`);
      if (got !== null && Math.fround(got) !== Math.fround(value as number)) {
        throw new OscReplyError(`${name}: set to ${value}, but the server reports ${got}`);
      }
    }
    this.lastChangeMs = Date.now();
  }

  async getValues(): Promise<TunableValues> {
    const now = await this.readParams();
    const out: TunableValues = {};
    for (const p of tunableParams(this.options.engine)) {
      const v = now.get(p.name) ?? null;
      const sent = this.sent.get(p.name);
      out[p.name] = v !== null && sent !== undefined && Math.fround(sent) === Math.fround(v) ? sent : v;
    }
    return out;
  }

  async loadPreset(name: string): Promise<void> {
    await this.request('preset/load', [{ type: 's', value: name }], 'preset/loaded');
    this.sent.clear();
    this.lastChangeMs = Date.now();
  }

  async capture(hint: { tailSeconds?: number } = {}): Promise<TuningCapture> {
    const wait = this.lastChangeMs + this.settleMs(hint.tailSeconds) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const reply = await this.request('request_snapshot', [{ type: 'f', value: this.options.windowSeconds }], 'snapshot_ready', { timeoutMs: this.client.timeoutMs + SNAPSHOT_TIMEOUT_MS });
    const names = reply.args.map((a) => (a.type === 's' ? String(a.value) : ''));
    if (names.length !== 2 || !names[0] || !names[1]) throw new OscReplyError(`${this.address('snapshot_ready')} should name two WAV files (s s), got ${reply.args.length} arguments`);
    const [inPath, outPath] = names.map((name) => {
      try {
        return snapshotFileIn(this.options.snapshotsDir, name);
      } catch (e) {
        throw new OscReplyError(`${this.address('snapshot_ready')}: ${(e as Error).message}; allowed: a snapshot WAV in ${this.options.snapshotsDir} (the server's --snapshots folder; the tuner's --snapshots)`);
      }
    });
    const dryAudio = readWav(inPath);
    const wetAudio = readWav(outPath);
    if (dryAudio.sampleRate !== wetAudio.sampleRate) throw new OscReplyError(`snapshot ${inPath} is at ${dryAudio.sampleRate} Hz but ${outPath} at ${wetAudio.sampleRate} Hz`);
    const frames = Math.min(dryAudio.channels[0]?.length ?? 0, wetAudio.channels[0]?.length ?? 0);
    const tail = (x: Float32Array) => x.slice(x.length - frames);
    const dry = dryAudio.channels.map(tail);
    const wet = wetAudio.channels.map(tail);
    const sampleRate = wetAudio.sampleRate;
    let impulseResponse: TuningCapture['impulseResponse'] = { reason: this.options.noDecayReason, notApplicable: true };
    const { dryGain } = this.options;
    const gain = dryGain ? dryGain(await this.getValues()) : null;
    if (gain !== null) {
      const found = findImpulseInInput(dry, sampleRate);
      const cut = (x: Float32Array) => (found.ok ? x.slice(found.startFrame, found.endFrame) : x);
      impulseResponse = found.ok
        ? {
          channels: wetResponse(wet.map(cut), dry.map(cut), gain),
          source: `wet response to the impulse at ${(found.startFrame / sampleRate).toFixed(3)} s of the live snapshot (${((found.endFrame - found.startFrame) / sampleRate).toFixed(2)} s)`,
        }
        : { reason: found.reason };
    }
    return { sampleRate, dry, wet, dryGain: gain, impulseResponse };
  }

  /** `/<engine>/preset/save "name" ["force"]` → `/<engine>/preset/saved "name" "file"`: the file the server wrote. */
  async savePreset(name: string, force: boolean): Promise<string> {
    const args: OscArg[] = [{ type: 's', value: name }];
    if (force) args.push({ type: 's', value: 'force' });
    const saved = await this.request('preset/save', args, 'preset/saved');
    return String(saved.args[1]?.value ?? `${this.options.engine}/${name}`);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
