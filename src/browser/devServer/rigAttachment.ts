import { type Socket, createSocket } from 'node:dgram';
import { type HapticConfig, type PointM, layoutCentre, transducerPositions } from '../../haptic/hapticConfig.ts';
import type { ServerStatus } from '../../host/serverStatus.ts';
import { ParamError } from '../../engine/params.ts';
import { type OscMessage, type OscPacket, isBundle, readOscPacket, writeOscPacket } from '../../protocols/osc/oscCodec.ts';
import { EffectFeed, type RigMetrics, type RigSpectrogram } from './effectFeed.ts';
import type { MeterFrame } from './syntheticMeters.ts';

/** The connection to a running `rig serve`, as the dashboard shows it. */
export type RigConnectionState = 'connecting' | 'connected' | 'lost';

/** One dashboard frame: what the last status reply said, with the layout it applies to. */
export interface RigView {
  state: RigConnectionState;
  target: string;
  /** Status replies received, and the wall-clock time of the latest (null before the first). */
  replies: number;
  lastReplyEpochMs: number | null;
  /** Transducer positions from the engine configuration (metres), in output-channel order. */
  positionsM: PointM[];
  /** Pool capacities of the configuration (the status says how many are active). */
  pools: { travelling: number; standing: number };
  /** The whole configuration the dashboard was started with (`rig dev --config`), shown read-only. */
  config: HapticConfig;
  status: ServerStatus | null;
  /** The engine the server runs as its OSC prefix says (`haptic`, `reverb`, `lossy`), null before the first status. */
  engine: string | null;
}

export interface RigAttachmentOptions {
  host: string;
  port: number;
  /** The haptic configuration the server runs (`rig serve --config`): positions and the MPE range. */
  config: HapticConfig;
  /** Status requests per second (the dashboard's frame rate; default 30, at least 20 wanted). */
  pollHz?: number;
  /** No reply for this long → 'lost' (the server stopped or restarted; polling goes on). */
  lostAfterMs?: number;
  onView?: (view: RigView) => void;
  /**
   * Effects (`rig serve --engine reverb|lossy`) answer to their `--reply-port` (default 9001), not to
   * the sender: the attachment's UDP socket binds this port (default 0 = any, enough for the haptic
   * server, which answers the sender). With `anyPortIfTaken`, a taken port falls back to any (logged).
   */
  replyPort?: number;
  anyPortIfTaken?: boolean;
  /** The effect server's `--snapshots` folder: the only folder a spectrogram's snapshot is read from. */
  snapshotsDir?: string;
  /** Metrics pushes of an effect server (`/<e>/metrics/…`), as they come. */
  onMetrics?: (m: RigMetrics) => void;
  /** The push interval asked of an effect server, ms (default 250). */
  metricsIntervalMs?: number;
  log?: (line: string) => void;
}

const osc = (address: string, ...args: { type: string; value: unknown }[]): OscMessage => ({ address, args });
const f = (value: number) => ({ type: 'f', value });
const i = (value: number) => ({ type: 'i', value });
/** The OSC "immediately" time tag: a bundle's messages are applied in order at the next block. */
const IMMEDIATE: [number, number] = [0, 1];
/** Status requests per second for BURST_MS after a note (the server answers at most 200 replies a second). */
const BURST_HZ = 100;
const BURST_MS = 500;
/** No reply for this long → also ask the other kind of server (`/status` of an effect, `/haptic/status`), at most this often. */
const PROBE_MS = 300;
/** The status address of the server's OSC prefix (`/haptic/status/json`, `/reverb/status/json`). */
const STATUS_JSON = /^\/([A-Za-z][\w-]{0,39})\/status\/json$/;

/**
 * Talks to a running rig server over its own transport (OSC over UDP, src/host/README.md): polls
 * `/haptic/status` at `pollHz` from one UDP socket (so the server keeps one meter cursor for us and each
 * reply's levels cover the periods since the previous request), and sends notes, MPE glides, panic and
 * parameters as the server's OSC commands. UDP has no connection: the state is 'connected' while
 * replies come, 'lost' when none came for `lostAfterMs`, and a restarted server is found again by the
 * next poll (automatic reconnection).
 */
export class RigAttachment {
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly glides = new Set<NodeJS.Timeout>();
  private state: RigConnectionState = 'connecting';
  private burstUntilMs = 0;
  private replies = 0;
  private lastReplyEpochMs: number | null = null;
  private status: ServerStatus | null = null;
  private engine: string | null = null;
  private startedMs = 0;
  private lastProbeMs = 0;
  private effect: EffectFeed | null = null;
  /** The prefix an effect server named in its `/<e>/error` answer to our `/haptic/status`: asked next. */
  private hintedEngine: string | null = null;
  private lastMetrics: RigMetrics | null = null;
  readonly positionsM: PointM[];
  private readonly centre: PointM;
  private readonly log: (line: string) => void;
  /** Replies that were not a status bundle (counted, never thrown). */
  badReplies = 0;

  constructor(private readonly o: RigAttachmentOptions) {
    this.positionsM = transducerPositions(o.config);
    this.centre = layoutCentre(this.positionsM);
    this.log = o.log ?? (() => {});
  }

  get target(): string {
    return `${this.o.host}:${this.o.port}`;
  }

  /** The UDP port replies and metrics pushes come to (after start). */
  get localPort(): number {
    return this.socket?.address().port ?? 0;
  }

  async start(): Promise<void> {
    const v6 = this.o.host.includes(':');
    const bind = (port: number) => new Promise<Socket>((resolve, reject) => {
      const socket = createSocket(v6 ? 'udp6' : 'udp4');
      socket.once('error', reject);
      socket.bind(port, v6 ? '::1' : '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
    let socket: Socket;
    try {
      socket = await bind(this.o.replyPort ?? 0);
    } catch (err) {
      if (!this.o.anyPortIfTaken) throw err;
      this.log(`rig attachment: reply port ${this.o.replyPort} is taken (${(err as Error).message}); listening on any port: a live effect's replies will not reach the dashboard`);
      socket = await bind(0);
    }
    socket.on('message', (data) => this.receive(data));
    socket.on('error', (err) => this.log(`rig attachment: ${err.message}`));
    this.socket = socket;
    this.startedMs = Date.now();
    this.poll();
  }

  async stop(): Promise<void> {
    const effect = this.effect;
    this.effect = null;
    clearTimeout(this.timer);
    if (effect && this.socket) {
      // Sent and flushed before the socket closes, so the server stops pushing to our port.
      const s = this.socket;
      await new Promise<void>((resolve) => s.send(writeOscPacket(effect.unsubscribeMessage()), this.o.port, this.o.host, () => resolve()));
      effect.dispose(false);
    }
    for (const t of this.glides) clearTimeout(t);
    this.glides.clear();
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private send(packet: Parameters<typeof writeOscPacket>[0]): void {
    try {
      this.socket?.send(writeOscPacket(packet), this.o.port, this.o.host);
    } catch (err) {
      this.log(`rig attachment: cannot send: ${(err as Error).message}`);
    }
  }

  /**
   * Asks for the status every 1/pollHz s — every 1/BURST_HZ s for BURST_MS after a note or glide, so
   * the wave's arrival across the plate (tens of ms) is resolved on the grid — then schedules the next.
   */
  private poll(): void {
    if (!this.socket) return;
    const periodMs = Date.now() < this.burstUntilMs ? 1000 / BURST_HZ : 1000 / (this.o.pollHz ?? 30);
    this.timer = setTimeout(() => this.poll(), periodMs);
    const lostAfterMs = this.o.lostAfterMs ?? 500;
    if (this.state === 'connected' && this.lastReplyEpochMs !== null && Date.now() - this.lastReplyEpochMs > lostAfterMs) {
      this.state = 'lost';
      this.log(`rig attachment: no status from ${this.target} for ${lostAfterMs} ms; still asking`);
      this.o.onView?.(this.view());
    }
    const effect = this.effect?.engine ?? this.hintedEngine;
    this.send(osc(effect ? `/${effect}/status` : '/haptic/status'));
    // Nobody answers: perhaps the other kind of server (or one restarted as another engine).
    const now = Date.now();
    if (this.state !== 'connected' && now - (this.lastReplyEpochMs ?? this.startedMs) > PROBE_MS && now - this.lastProbeMs > PROBE_MS) {
      this.lastProbeMs = now;
      this.send(osc(effect ? '/haptic/status' : '/status'));
    }
    if (this.state === 'connected') this.effect?.keepAlive(now);
  }

  private bad(what: string): void {
    this.badReplies++;
    if (this.badReplies <= 10 || this.badReplies % 1000 === 0) this.log(`rig attachment: ${JSON.stringify(what.slice(0, 300))} (bad replies: ${this.badReplies})`);
  }

  private receive(data: Buffer): void {
    let messages: OscMessage[];
    try {
      const flat = (p: OscPacket): OscMessage[] => (isBundle(p) ? p.packets.flatMap(flat) : [p]);
      messages = flat(readOscPacket(data));
    } catch (err) {
      this.bad(`unreadable OSC reply: ${(err as Error).message}`);
      return;
    }
    let status: ServerStatus | undefined;
    let prefix: string | undefined;
    for (const m of messages) {
      const hit = typeof m.address === 'string' ? STATUS_JSON.exec(m.address) : null;
      const json = m.args?.[0]?.value;
      if (!hit || typeof json !== 'string') continue;
      try {
        status = JSON.parse(json) as ServerStatus;
        prefix = hit[1];
      } catch { /* counted below */ }
    }
    if (!status || !prefix) {
      if (this.effect?.handle(messages)) return;
      const error = messages.find((m) => typeof m.address === 'string' && m.address.endsWith('/error'));
      const hinted = error && !this.effect ? /^\/([A-Za-z][\w-]{0,39})\/error$/.exec(error.address)?.[1] : undefined;
      if (hinted && hinted !== 'haptic' && /unknown OSC address "\/haptic\/status"/.test(String(error?.args?.[0]?.value))) {
        // The same answer to a /haptic/status polled before the first one arrived (the poll asks every
        // 33 ms; a reply slower than that crossed it): already heard, not a bad reply.
        if (this.hintedEngine === hinted) return;
        // An effect server answering our haptic status request (to its reply port): ask it its own way.
        this.hintedEngine = hinted;
        this.log(`rig attachment: the server runs ${hinted}; asking /${hinted}/status`);
        return;
      }
      this.bad(error ? `the server says ${String(error.args?.[0]?.value)}` : `not a status reply: ${messages.map((m) => String(m.address)).join(', ')}`);
      return;
    }
    if (!Array.isArray(status.levels?.peakDbfs) || !Array.isArray(status.levels?.rmsDbfs) || typeof status.clock?.frameIndex !== 'number') {
      this.bad(`a ${prefix} status without levels or clock`);
      return;
    }
    if (prefix !== 'haptic' && this.effect?.engine !== prefix) {
      this.effect?.dispose();
      this.effect = new EffectFeed({
        engine: prefix, send: (msg) => this.send(msg), localPort: this.localPort, snapshotsDir: this.o.snapshotsDir ?? '', intervalMs: this.o.metricsIntervalMs, log: this.log,
        onMetrics: (m) => { this.lastMetrics = m; this.o.onMetrics?.(m); },
      });
      this.effect.subscribe();
      this.log(`rig attachment: ${prefix} is an effect; subscribed to its metrics every ${this.o.metricsIntervalMs ?? 250} ms`);
    } else if (prefix === 'haptic' && this.effect) {
      this.effect.dispose();
      this.effect = null;
      this.lastMetrics = null;
    }
    this.engine = prefix;
    this.hintedEngine = null;
    this.status = status;
    this.replies++;
    this.lastReplyEpochMs = Date.now();
    if (this.state !== 'connected') this.log(`rig attachment: connected to ${this.target} (${this.status.engine} on ${this.status.rig.name})`);
    this.state = 'connected';
    this.o.onView?.(this.view());
  }

  view(): RigView {
    return { state: this.state, target: this.target, replies: this.replies, lastReplyEpochMs: this.lastReplyEpochMs, positionsM: this.positionsM, pools: { travelling: this.o.config.pools.travelling, standing: this.o.config.pools.standing }, config: this.o.config, status: this.status, engine: this.engine };
  }

  /** The latest metrics push of an effect server (null for the haptic engine or before the first). */
  metrics(): RigMetrics | null {
    return this.effect ? this.lastMetrics : null;
  }

  /** Replies or pushes that could not be read, the attachment's and the effect feed's. */
  get badReplyCount(): number {
    return this.badReplies + (this.effect?.bad ?? 0);
  }

  /** The output spectrogram of a fresh `seconds`-long snapshot of the effect (rate-limited: effectFeed.ts). */
  spectrogram(seconds: number): Promise<RigSpectrogram> {
    if (!this.effect) return Promise.reject(new Error(`the attached server runs ${this.engine ?? 'nothing yet'}: a spectrogram needs a live effect (rig serve --engine reverb|lossy)`));
    if (!this.o.snapshotsDir) return Promise.reject(new Error('no snapshots folder configured (rig dev --snapshots: the server\'s --snapshots)'));
    return this.effect.spectrogram(seconds);
  }

  /** The latest levels as a meter frame (null before the first reply). */
  meterFrame(): MeterFrame | null {
    const s = this.status;
    return s ? { peakDb: s.levels.peakDbfs, rmsDb: s.levels.rmsDbfs, frame: s.clock.frameIndex, synthetic: false } : null;
  }

  /**
   * MPE bend and timbre that put a channel's source at `at` (hapticEngine: x = cx + bend·R,
   * y = cy + (2·timbre − 1)·R, R = positionRangeM). Throws when `at` is beyond the range.
   */
  mpeFor(at: PointM): { bend: number; timbre: number } {
    const r = this.o.config.positionRangeM;
    const bend = r > 0 ? (at.xM - this.centre.xM) / r : 0;
    const timbre = r > 0 ? ((at.yM - this.centre.yM) / r + 1) / 2 : 0.5;
    const eps = 1e-9;
    if (bend < -1 - eps || bend > 1 + eps || timbre < -eps || timbre > 1 + eps) {
      throw new ParamError('params.at', [`(${at.xM}, ${at.yM}) m is beyond the source's reach: centre (${+this.centre.xM.toFixed(6)}, ${+this.centre.yM.toFixed(6)}) m ± positionRangeM ${r} m`]);
    }
    return { bend: Math.max(-1, Math.min(1, bend)), timbre: Math.max(0, Math.min(1, timbre)) };
  }

  /** A note whose source sits at `at`: one bundle (MPE position, then note-on), a note-off after `durationMs`. */
  note(at: PointM, n: { note: number; velocity: number; durationMs: number; channel: number }): { sent: true; bend: number; timbre: number } {
    const { bend, timbre } = this.mpeFor(at);
    this.burstUntilMs = Date.now() + BURST_MS;
    this.send({ timeTag: { raw: IMMEDIATE }, packets: [osc('/haptic/mpe', i(n.channel), f(1), f(bend), f(timbre)), osc('/haptic/note_on', i(n.channel), i(n.note), i(n.velocity))] });
    this.later(n.durationMs, () => this.send(osc('/haptic/note_off', i(n.channel), i(n.note))));
    return { sent: true, bend, timbre };
  }

  /** A note gliding from `from` to `to` over `durationMs`: MPE updates every 20 ms, then note-off. */
  glide(from: PointM, to: PointM, g: { note: number; velocity: number; durationMs: number; channel: number }): { sent: true; steps: number } {
    const a = this.mpeFor(from);
    const b = this.mpeFor(to);
    this.burstUntilMs = Date.now() + BURST_MS;
    this.send({ timeTag: { raw: IMMEDIATE }, packets: [osc('/haptic/mpe', i(g.channel), f(1), f(a.bend), f(a.timbre)), osc('/haptic/note_on', i(g.channel), i(g.note), i(g.velocity))] });
    const steps = Math.max(1, Math.round(g.durationMs / 20));
    for (let k = 1; k <= steps; k++) {
      const u = k / steps;
      this.later((g.durationMs * k) / steps, () => this.send(osc('/haptic/mpe', i(g.channel), f(1), f(a.bend + (b.bend - a.bend) * u), f(a.timbre + (b.timbre - a.timbre) * u))));
    }
    this.later(g.durationMs + 20, () => this.send(osc('/haptic/note_off', i(g.channel), i(g.note))));
    return { sent: true, steps };
  }

  panic(): { sent: true } {
    for (const t of this.glides) clearTimeout(t);
    this.glides.clear();
    this.send(osc('/haptic/panic'));
    return { sent: true };
  }

  setParameter(name: string, value: number): void {
    this.send(osc(`/haptic/param/${name}`, f(value)));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => { this.glides.delete(t); fn(); }, ms);
    this.glides.add(t);
  }
}
