import { readWav } from '../../io/readWav.ts';
import { computeSpectrogram, spectrogramPng } from '../../plot/spectrogram.ts';
import type { OscMessage } from '../../protocols/osc/oscCodec.ts';
import { snapshotFileIn } from '../../host/snapshotPath.ts';

/** Units of the metrics `rig serve` pushes (src/host/README.md); a name not listed is shown without a unit. */
export const METRIC_UNITS: Readonly<Record<string, string>> = {
  rms: 'FS', peak: 'FS', rms_dbfs: 'dBFS', peak_dbfs: 'dBFS', crest_factor: 'dB',
  spectral_centroid: 'Hz', bandwidth: 'Hz', flatness: '', rt60_estimate: 's',
};

/** One metrics push as the dashboard gets it (`rigMetrics` notification). */
export interface RigMetrics {
  engine: string;
  /** Pushes received since the subscription started, and the wall-clock time of this one. */
  pushes: number;
  receivedEpochMs: number;
  values: Record<string, { value: number; unit: string }>;
}

/** The output's spectrogram of a fresh snapshot (`rigSpectrogram`). */
export interface RigSpectrogram {
  engine: string;
  /** PNG, base64 (rows = log frequency from the bottom, columns = time). */
  pngBase64: string;
  /** The snapshot's output file (inside the configured snapshots folder). */
  file: string;
  seconds: number;
  sampleRate: number;
  frequencyRangeHz: [number, number];
  takenEpochMs: number;
}

export interface EffectFeedOptions {
  engine: string;
  /** Sends one OSC message to the server. */
  send: (msg: OscMessage) => void;
  /** The UDP port our socket receives on: where the pushes are asked to go. */
  localPort: number;
  /** The server's `--snapshots` folder: a `snapshot_ready` reply may name only files in it. */
  snapshotsDir: string;
  /** Push interval asked for, ms (50…60000; default 250). */
  intervalMs?: number;
  onMetrics?: (m: RigMetrics) => void;
  log: (line: string) => void;
}

/** A snapshot asked at most this often; a request sooner gets the latest spectrogram (any number of pages cost one snapshot a second). */
export const SPECTROGRAM_MIN_INTERVAL_MS = 1000;
/** A `snapshot_ready` not in by then fails the request. */
const SNAPSHOT_TIMEOUT_MS = 4000;
/** Resubscribe when no push came for this many intervals (the server restarted and forgot us), at least 2 s. */
const SILENT_INTERVALS = 8;
/** Most metrics in one push that are kept (the server sends 9). */
const MAX_METRICS = 32;
const METRIC_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The effect side of the dashboard's link to a live `rig serve --engine <e>`: subscribes to the metrics
 * pushes (`/<e>/subscribe port interval_ms`, renewed when they stop coming, `/<e>/unsubscribe port` on
 * dispose), turns each push bundle into a RigMetrics, and on request asks for a snapshot
 * (`/<e>/request_snapshot s`) and draws its output's spectrogram (src/plot, channel 0, log frequency).
 * Replies that are not what they should be are counted in `bad` and logged (escaped), never thrown.
 */
export class EffectFeed {
  readonly engine: string;
  private readonly prefix: string;
  private pushes = 0;
  private lastPushMs: number | null = null;
  private subscribedAtMs = 0;
  private pending: { resolve: (files: [string, string]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private inFlight: Promise<RigSpectrogram> | null = null;
  private latest: RigSpectrogram | null = null;
  /** Replies or pushes that could not be read. */
  bad = 0;

  constructor(private readonly o: EffectFeedOptions) {
    this.engine = o.engine;
    this.prefix = `/${o.engine}/`;
  }

  private get intervalMs(): number {
    return this.o.intervalMs ?? 250;
  }

  subscribe(): void {
    this.subscribedAtMs = Date.now();
    this.o.send({ address: `${this.prefix}subscribe`, args: [{ type: 'i', value: this.o.localPort }, { type: 'f', value: this.intervalMs }] });
  }

  /** Called with every status poll: resubscribes when the pushes stopped (a restarted server forgot the subscription). */
  keepAlive(nowMs = Date.now()): void {
    const silentMs = Math.max(2000, SILENT_INTERVALS * this.intervalMs);
    if (nowMs - Math.max(this.lastPushMs ?? 0, this.subscribedAtMs) > silentMs) this.subscribe();
  }

  /** `/<e>/unsubscribe port`: the server stops pushing to us. */
  unsubscribeMessage(): OscMessage {
    return { address: `${this.prefix}unsubscribe`, args: [{ type: 'i', value: this.o.localPort }] };
  }

  /** Unsubscribes (unless the caller sends `unsubscribeMessage` itself) and fails a snapshot in flight. */
  dispose(unsubscribe = true): void {
    if (unsubscribe) this.o.send(this.unsubscribeMessage());
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(new Error('the rig attachment stopped'));
      this.pending = null;
    }
  }

  private complain(what: string): void {
    this.bad++;
    if (this.bad <= 10 || this.bad % 1000 === 0) this.o.log(`rig attachment: ${JSON.stringify(what.slice(0, 300))} (bad replies: ${this.bad})`);
  }

  /** Takes the messages of one datagram that are the effect's own; true when they were (consumed, even if bad). */
  handle(messages: OscMessage[]): boolean {
    const mine = messages.filter((m) => typeof m?.address === 'string' && m.address.startsWith(this.prefix) && !m.address.startsWith(`${this.prefix}status/`));
    if (mine.length === 0) return false;
    if (mine.some((m) => m.address.startsWith(`${this.prefix}metrics/`))) {
      this.metrics(mine);
      return true;
    }
    for (const m of mine) {
      const verb = m.address.slice(this.prefix.length);
      const args = Array.isArray(m.args) ? m.args : [];
      if (verb === 'snapshot_ready') this.snapshotReady(args.map((a) => a?.value));
      else if (verb === 'error') {
        const text = String(args[0]?.value ?? '');
        if (this.pending && /snapshot/.test(text)) this.settle(new Error(`the server refused the snapshot: ${text.slice(0, 300)}`));
        else this.o.log(`rig attachment: the server says ${JSON.stringify(text.slice(0, 300))}`);
      } else if (verb !== 'subscribed' && verb !== 'unsubscribed') this.complain(`unexpected reply ${m.address}`);
    }
    return true;
  }

  private metrics(messages: OscMessage[]): void {
    const values: RigMetrics['values'] = {};
    for (const m of messages.slice(0, MAX_METRICS)) {
      const name = m.address.slice(`${this.prefix}metrics/`.length);
      const v = m.args?.[0]?.value;
      if (!METRIC_NAME.test(name) || typeof v !== 'number' || !Number.isFinite(v)) {
        this.complain(`bad metric ${m.address} ${String(v)}`);
        continue;
      }
      values[name] = { value: v, unit: METRIC_UNITS[name] ?? '' };
    }
    if (Object.keys(values).length === 0) return;
    this.pushes++;
    this.lastPushMs = Date.now();
    this.o.onMetrics?.({ engine: this.engine, pushes: this.pushes, receivedEpochMs: this.lastPushMs, values });
  }

  private snapshotReady(args: unknown[]): void {
    if (!this.pending) {
      this.complain('snapshot_ready nobody asked for');
      return;
    }
    if (args.length !== 2 || typeof args[0] !== 'string' || typeof args[1] !== 'string') {
      this.complain(`snapshot_ready with ${args.length} argument(s), expected two file names`);
      this.settle(new Error('the server named no snapshot files'));
      return;
    }
    const p = this.pending;
    clearTimeout(p.timer);
    this.pending = null;
    p.resolve([args[0], args[1]]);
  }

  private settle(err: Error): void {
    const p = this.pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.pending = null;
    p.reject(err);
  }

  /**
   * The output's spectrogram over the last `seconds` (a fresh snapshot), at most one snapshot per
   * SPECTROGRAM_MIN_INTERVAL_MS and one in flight: callers in between share it or get the latest.
   */
  spectrogram(seconds: number): Promise<RigSpectrogram> {
    if (this.inFlight) return this.inFlight;
    if (this.latest && Date.now() - this.latest.takenEpochMs < SPECTROGRAM_MIN_INTERVAL_MS) return Promise.resolve(this.latest);
    this.inFlight = this.snapshot(seconds).finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  private async snapshot(seconds: number): Promise<RigSpectrogram> {
    const files = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(new Error(`no ${this.prefix}snapshot_ready within ${SNAPSHOT_TIMEOUT_MS} ms (is the server's --reply-port the dev server's?)`)), SNAPSHOT_TIMEOUT_MS);
      this.pending = { resolve, reject, timer };
      this.o.send({ address: `${this.prefix}request_snapshot`, args: [{ type: 'f', value: seconds }] });
    });
    let file: string;
    try {
      file = snapshotFileIn(this.o.snapshotsDir, files[1]);
    } catch (err) {
      this.complain((err as Error).message);
      throw err;
    }
    const audio = readWav(file);
    const samples = audio.channels[0];
    if (!samples || samples.length < 1024) throw new Error(`${file}: ${samples?.length ?? 0} frames, too short for a spectrogram`);
    const s = computeSpectrogram(samples, audio.sampleRate, { frameSize: 1024, frequencyScale: 'log', logRows: 160, maxColumns: 320 });
    this.latest = {
      engine: this.engine, pngBase64: Buffer.from(spectrogramPng(s)).toString('base64'), file, seconds: samples.length / audio.sampleRate,
      sampleRate: audio.sampleRate, frequencyRangeHz: s.frequencyRangeHz, takenEpochMs: Date.now(),
    };
    return this.latest;
  }
}
