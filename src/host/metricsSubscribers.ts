import type { OscMessage } from '../protocols/osc/oscCodec.ts';
import type { OscPeer, OscSend } from './effectBridge.ts';
import type { Worker } from 'node:worker_threads';
import { type LiveMetricValues, computeLiveMetrics } from './liveMetrics.ts';
import type { MetricsRequest, MetricsWorkerData } from './metricsWorker.ts';
import type { SignalRing } from './signalRing.ts';
import { startTsWorker } from './tsWorker.ts';

/** Subscribers served at once; a further one is refused (answered) until one unsubscribes. */
export const MAX_SUBSCRIBERS = 8;
export const DEFAULT_INTERVAL_MS = 200;
/** Fastest and slowest push interval, ms: 8 subscribers at 50 ms are 160 pushes/s, within the reply budget. */
export const MIN_INTERVAL_MS = 50;
export const MAX_INTERVAL_MS = 60_000;
/** The RT60 estimate is recomputed at most this often (it costs tens of ms) and pushed as last computed. */
const RT60_EVERY_MS = 1000;
/** A metrics computation the worker has not answered within this long is given up (the push is skipped). */
const WORKER_TIMEOUT_MS = 2000;

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
  /** Compute on a worker thread (default true); false computes on this thread (tests, probes). */
  worker?: boolean;
}

/**
 * Metrics pushes to subscribed clients, each at its own interval: every push is one bundle of
 * `/<engine>/metrics/<name> f` messages (liveMetrics.ts), computed from the output ring over the
 * subscriber's last interval (at least 100 ms) on a worker thread (metricsWorker.ts, started with the
 * first subscription) that reads the rings in place — never on the audio side, nor on the control
 * thread, which on the in-thread rigs runs the audio callback. Each
 * subscriber's pushes follow a fixed grid start + k·interval (a late timer does not push the next one
 * later). At most MAX_SUBSCRIBERS; a peer (address and port) subscribing again changes its interval.
 */
export class MetricsSubscribers {
  private readonly subs = new Map<string, Subscriber>();
  private rt60: { atMs: number; value: number | undefined } = { atMs: -Infinity, value: undefined };
  /** Two workers: the levels and spectrum of each push (milliseconds), and the RT60 estimate (tens of ms), so a push never waits behind an estimate. */
  private readonly workers: { levels?: Worker; rt60?: Worker } = {};
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: LiveMetricValues | undefined) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly o: MetricsSubscribersOptions) {}

  /** Starts the workers now (they take a few hundred ms to load), so the first pushes are on time. */
  warmUp(): void {
    if (this.o.worker === false) return;
    void this.request('levels', { id: this.nextId++, windowMs: 100, rt60: false });
  }

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
    this.warmUp();
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
    for (const w of this.waiting.values()) { clearTimeout(w.timer); w.resolve(undefined); }
    this.waiting.clear();
    for (const w of Object.values(this.workers)) void w?.terminate();
    this.workers.levels = this.workers.rt60 = undefined;
  }

  /**
   * The metrics over the newest `windowMs` of the output, with the latest RT60 estimate (started
   * afresh at most once a second on its own worker, and pushed from the next push after it is ready);
   * undefined when the worker did not answer in time.
   */
  async compute(windowMs: number): Promise<LiveMetricValues | undefined> {
    const now = performance.now();
    if (now - this.rt60.atMs >= RT60_EVERY_MS) {
      this.rt60.atMs = now;
      const estimate = this.o.worker === false
        ? Promise.resolve(computeLiveMetrics(this.o.input, this.o.output, this.o.sampleRate, 100, true))
        : this.request('rt60', { id: this.nextId++, windowMs: 100, rt60: true });
      void estimate.then((v) => { if (v) this.rt60.value = v.rt60_estimate; });
    }
    const values = this.o.worker === false
      ? computeLiveMetrics(this.o.input, this.o.output, this.o.sampleRate, windowMs, false)
      : await this.request('levels', { id: this.nextId++, windowMs, rt60: false });
    if (values && this.rt60.value !== undefined) values.rt60_estimate = this.rt60.value;
    return values;
  }

  private request(which: 'levels' | 'rt60', req: MetricsRequest): Promise<LiveMetricValues | undefined> {
    let worker = this.workers[which];
    if (!worker) {
      const data: MetricsWorkerData = { input: this.o.input.buffers, output: this.o.output.buffers, sampleRate: this.o.sampleRate };
      const w = startTsWorker(new URL('./metricsWorker.ts', import.meta.url), data);
      w.unref();
      w.on('message', (m: { id: number; values: LiveMetricValues }) => {
        const p = this.waiting.get(m.id);
        if (!p) return;
        clearTimeout(p.timer);
        this.waiting.delete(m.id);
        p.resolve(m.values);
      });
      w.on('error', () => { if (this.workers[which] === w) this.workers[which] = undefined; });
      this.workers[which] = w;
      worker = w;
    }
    const target = worker;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiting.delete(req.id); resolve(undefined); }, WORKER_TIMEOUT_MS);
      this.waiting.set(req.id, { resolve, timer });
      target.postMessage(req);
    });
  }

  private schedule(s: Subscriber): void {
    s.timer = setTimeout(() => this.push(s), Math.max(0, s.nextMs - performance.now()));
  }

  private push(s: Subscriber): void {
    if (this.subs.get(key(s.peer)) !== s) return;
    const started = performance.now();
    // The next slot on the grid after now (a push that ran very late skips the slots it missed).
    do s.nextMs += s.intervalMs; while (s.nextMs <= started);
    this.schedule(s);
    void this.compute(s.intervalMs).then((m) => {
      if (!m || this.subs.get(key(s.peer)) !== s) return;
      s.pushTimesMs.push(performance.now());
      if (s.pushTimesMs.length > 256) s.pushTimesMs.shift();
      const packets: OscMessage[] = Object.entries(m).map(([name, v]) => ({ address: `/${this.o.engine}/metrics/${name}`, args: [{ type: 'f', value: v }] }));
      this.o.send({ timeTag: { raw: [0, 1] }, packets }, s.peer);
    });
  }
}

const key = (p: OscPeer) => `${p.address}:${p.port}`;
