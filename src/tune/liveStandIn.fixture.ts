import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../engine/render.ts';
import { LiveParams } from '../host/liveParams.ts';
import { ParamError } from '../engine/params.ts';
import { writeWavAtomic } from '../io/wavFile.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { isBundle, type OscArg, type OscMessage, readOscPacket, writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { applyTunableValues, checkTunableValues } from './tunableParams.ts';
import { type InputLoop, loopedInput } from './tunerInput.ts';
import { TunerPresets } from './tunerPresets.ts';

/** Every value of a parameter set as (name, value) pairs, as the server's `params` reply (LiveParams.flat): f/s/T/F/N. */
function flatPairs(params: unknown): OscArg[] {
  return new LiveParams('', [], undefined, params).flat().flatMap(([name, v]): OscArg[] => [
    { type: 's', value: name },
    v === null ? { type: 'N', value: null } : typeof v === 'boolean' ? { type: v ? 'T' : 'F', value: v } : typeof v === 'string' ? { type: 's', value: v } : { type: 'f', value: v },
  ]);
}

/**
 * A stand-in for `rig serve --engine <e>`'s OSC bridge, for tests of the live tuner: the addresses of
 * the issue's table (`/<e>/param/<name>`, `/<e>/params/get` → `/<e>/params`, `/<e>/preset/load|save`,
 * `/<e>/request_snapshot [s]` → `/<e>/snapshot_ready "in.wav" "out.wav"`, `/<e>/error "msg"`), replies to
 * a configured port. Instead of running in real time it renders its looped input through the engine
 * when asked for a snapshot (warm-up, then the snapshot), starting the loop at a seeded "arbitrary"
 * phase as a server that has run for a while would be at.
 */
export class LiveStandIn {
  private socket: Socket | null = null;
  private params: unknown;
  private readonly presets: TunerPresets;
  /** Where its snapshots are written (the tuner's `snapshotsDir`). */
  readonly snapshotsDir = mkdtempSync(join(tmpdir(), 'tune-standin-'));
  private snapshotCount = 0;
  readonly received: string[] = [];
  errors = 0;

  /**
   * `pairsPerMessage`: a `params` reply longer than this is a bundle of several messages (as the
   * server splits one past 100 pairs). `snapshotNames`: what `snapshot_ready` names instead of the
   * files written (a hostile or broken server).
   */
  constructor(private readonly o: {
    engine: string; preset?: string; input: InputLoop; replyPort: number; presetsDir: string; warmupSeconds?: number; phaseFrames?: number;
    pairsPerMessage?: number; snapshotNames?: [string, string];
  }) {
    this.presets = new TunerPresets(o.engine, { shippedDir: o.presetsDir, userDir: o.presetsDir });
    this.params = o.preset ? this.presets.load(o.preset).params : engineEntry(o.engine).paramsSchema.parse({});
  }

  async start(): Promise<number> {
    const socket = createSocket('udp4');
    // One message at a time, in arrival order, as the server's control thread handles them.
    socket.on('message', (data, rinfo) => { this.queue = this.queue.then(() => this.receive(data, rinfo.port)); });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.socket = socket;
    return socket.address().port;
  }

  private replyTo = 0;
  private queue: Promise<void> = Promise.resolve();

  /** Replies go to the configured port, or (replyPort 0) to the port the request came from. */
  private reply(address: string, args: OscArg[]): void {
    this.socket?.send(writeOscPacket({ address, args }), this.o.replyPort || this.replyTo, '127.0.0.1');
  }

  /** A reply of name/value pairs, split into a bundle of messages of at most `pairsPerMessage` pairs. */
  private replyPairs(address: string, args: OscArg[]): void {
    const per = 2 * (this.o.pairsPerMessage ?? Number.POSITIVE_INFINITY);
    if (args.length <= per) { this.reply(address, args); return; }
    const packets: OscMessage[] = [];
    for (let i = 0; i < args.length; i += per) packets.push({ address, args: args.slice(i, i + per) });
    this.socket?.send(writeOscPacket({ timeTag: { raw: [0, 1] }, packets }), this.o.replyPort || this.replyTo, '127.0.0.1');
  }

  private async receive(data: Buffer, fromPort: number): Promise<void> {
    this.replyTo = fromPort;
    const e = `/${this.o.engine}`;
    let m: OscMessage;
    try {
      const p = readOscPacket(data);
      if (isBundle(p)) throw new Error('bundles are not used by the tuner');
      m = p;
    } catch (err) {
      this.errors++;
      this.reply(`${e}/error`, [{ type: 's', value: `malformed OSC: ${(err as Error).message}` }]);
      return;
    }
    this.received.push(m.address);
    try {
      if (m.address.startsWith(`${e}/param/`)) {
        const name = m.address.slice(`${e}/param/`.length);
        const values = checkTunableValues(this.o.engine, { [name]: m.args[0]?.value }, m.address);
        this.params = applyTunableValues(this.o.engine, this.params, values, m.address);
      } else if (m.address === `${e}/params/get`) {
        this.replyPairs(`${e}/params`, flatPairs(this.params));
      } else if (m.address === `${e}/preset/load`) {
        const name = String(m.args[0]?.value);
        const preset = this.presets.load(name);
        this.params = preset.params;
        this.reply(`${e}/preset/loaded`, [{ type: 's', value: name }, { type: 's', value: preset.file }]);
      } else if (m.address === `${e}/preset/save`) {
        const name = String(m.args[0]?.value);
        const file = await this.presets.save(name, this.params, m.args[1]?.value === 'force');
        this.reply(`${e}/preset/saved`, [{ type: 's', value: name }, { type: 's', value: file }]);
      } else if (m.address === `${e}/request_snapshot`) {
        const written = this.snapshot(Number(m.args[0]?.value ?? 3));
        const names = this.o.snapshotNames;
        this.reply(`${e}/snapshot_ready`, names ? names.map((value): OscArg => ({ type: 's', value })) : written);
      } else {
        throw new ParamError(m.address, ['unknown address']);
      }
    } catch (err) {
      this.errors++;
      this.reply(`${e}/error`, [{ type: 's', value: (err as Error).message }]);
    }
  }

  private snapshot(seconds: number): OscArg[] {
    const sr = this.o.input.sampleRate;
    const warm = Math.round((this.o.warmupSeconds ?? 4) * sr);
    const frames = Math.round(seconds * sr);
    const dry = loopedInput(this.o.input, warm + frames, this.o.phaseFrames ?? 0);
    const wet = render(engineEntry(this.o.engine).create(this.params), { sampleRate: sr, blockFrames: 64, frames: warm + frames, input: dry });
    const n = ++this.snapshotCount;
    const inPath = join(this.snapshotsDir, `snapshot-${n}-in.wav`);
    const outPath = join(this.snapshotsDir, `snapshot-${n}-out.wav`);
    writeWavAtomic(inPath, { sampleRate: sr, channels: dry.map((x) => x.slice(warm)) });
    writeWavAtomic(outPath, { sampleRate: sr, channels: wet.map((x) => x.slice(warm)) });
    return [{ type: 's', value: inPath }, { type: 's', value: outPath }];
  }

  /** Closes its socket and removes its snapshots folder. */
  async stop(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    rmSync(this.snapshotsDir, { recursive: true, force: true });
  }
}
