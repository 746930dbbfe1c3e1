import type { OscMessage } from '../protocols/osc/oscCodec.ts';
import type { OscPeer, OscSend } from './effectBridge.ts';
import { type LiveMetricValues, estimateRt60Seconds, levelAndSpectrum } from './liveMetrics.ts';
import type { SignalRing } from './signalRing.ts';

/** Subscribers served at once; a further one is refused (answered) until one unsubscribes. */
export const MAX_SUBSCRIBERS = 8;
export const DEFAULT_INTERVAL_MS = 200;
/** Fastest and slowest push interval, ms: 8 subscribers at 50 ms are 160 pushes/s, within the reply budget. */
export const MIN_INTERVAL_MS = 50;
export const MAX_INTERVAL_MS = 60_000;
/** The RT60 estimate is recomputed at most this often (it costs tens of ms) and pushed as last computed. */
const RT60_EVERY_MS = 1000;
/** Input and output analysed for the RT60 estimate, seconds. */
const RT60_WINDOW_SECONDS = 2.7;

interface Subscriber {
  peer: OscPeer;
  intervalMs: number;
  /** performance.now() of the next push (a fixed grid from the subscription: no drift). */
  nextMs: number;
  timer: NodeJS.Timeout | undefined;
  /** Push times (performance.now()), the newest 256, for the jitter figure. */
  pushTimesMs: number[];
}

export interface MetricsSubscribersOptions {
  engine: string;
  input: SignalRing;
  output: SignalRing;
  sampleRate: number;
  send: OscSend;
}

/**
 * Metrics pushes to subscribed clients, each at its own interval: every push is one bundle of
 * `/<engine>/metrics/<name> f` messages (liveMetrics.ts), computed on the control thread from the
 * output ring over the subscriber's last interval (at least 100 ms) — never on the audio side. Each
 * subscriber's pushes follow a fixed grid start + k·interval (a late timer does not push the next one
 * later). At most MAX_SUBSCRIBERS; a peer (address and port) subscribing again changes its interval.
 */
export class MetricsSubscribers {
  private readonly subs = new Map<string, Subscriber>();
  private rt60: { atMs: number; value: number | null } = { atMs: -Infinity, value: null };

  constructor(private readonly o: MetricsSubscribersOptions) {}

  get count(): number {
    return this.subs.size;
  }

  /** Push times of a peer's subscription (performance.now() ms), for tests and the jitter probe. */
  pushTimes(peer: OscPeer): readonly number[] {
    return this.subs.get(key(peer))?.pushTimesMs ?? [];
  }

  subscribe(peer: OscPeer, intervalMs = DEFAULT_INTERVAL_MS): { intervalMs: number } | string {
    if (!(Number.isInteger(peer.port) && peer.port >= 1 && peer.port <= 65535)) {
      return `subscribe: port ${peer.port} out of range; allowed 1…65535 (whole numbers)`;
    }
    if (!(Number.isFinite(intervalMs) && intervalMs >= MIN_INTERVAL_MS && intervalMs <= MAX_INTERVAL_MS)) {
      return `subscribe: interval_ms ${intervalMs} out of range; allowed ${MIN_INTERVAL_MS}…${MAX_INTERVAL_MS}`;
    }
    const k = key(peer);
    const existing = this.subs.get(k);
    if (!existing && this.subs.size >= MAX_SUBSCRIBERS) {
      return `subscribe: ${MAX_SUBSCRIBERS} subscribers already; unsubscribe one first`;
    }
    if (existing) clearTimeout(existing.timer);
    const s: Subscriber = { peer, intervalMs, nextMs: performance.now() + intervalMs, timer: undefined, pushTimesMs: [] };
    this.subs.set(k, s);
    this.schedule(s);
    return { intervalMs };
  }

  unsubscribe(peer: OscPeer): boolean {
    const s = this.subs.get(key(peer));
    if (!s) return false;
    clearTimeout(s.timer);
    this.subs.delete(key(peer));
    return true;
  }

  close(): void {
    for (const s of this.subs.values()) clearTimeout(s.timer);
    this.subs.clear();
  }

  /** The metrics over the newest `windowMs` of the output (and the cached RT60 estimate). */
  compute(windowMs: number): LiveMetricValues {
    const frames = Math.round((Math.max(100, windowMs) * this.o.sampleRate) / 1000);
    const m = levelAndSpectrum(this.o.output.readLast(frames).channels, this.o.sampleRate);
    const now = performance.now();
    if (now - this.rt60.atMs >= RT60_EVERY_MS) {
      const n = Math.round(RT60_WINDOW_SECONDS * this.o.sampleRate);
      const x = this.o.input.readLast(n).channels[0];
      const y = this.o.output.readLast(n).channels[0];
      this.rt60 = { atMs: now, value: x && y ? estimateRt60Seconds(x, y, this.o.sampleRate) : null };
    }
    if (this.rt60.value !== null) m.rt60_estimate = this.rt60.value;
    return m;
  }

  private schedule(s: Subscriber): void {
    s.timer = setTimeout(() => this.push(s), Math.max(0, s.nextMs - performance.now()));
  }

  private push(s: Subscriber): void {
    if (this.subs.get(key(s.peer)) !== s) return;
    const now = performance.now();
    s.pushTimesMs.push(now);
    if (s.pushTimesMs.length > 256) s.pushTimesMs.shift();
    const m = this.compute(s.intervalMs);
    const packets: OscMessage[] = Object.entries(m).map(([name, v]) => ({ address: `/${this.o.engine}/metrics/${name}`, args: [{ type: 'f', value: v }] }));
    this.o.send({ timeTag: { raw: [0, 1] }, packets }, s.peer);
    // The next slot on the grid after now (a push that ran very late skips the slots it missed).
    do s.nextMs += s.intervalMs; while (s.nextMs <= now);
    this.schedule(s);
  }
}

const key = (p: OscPeer) => `${p.address}:${p.port}`;
