import type { Worker } from 'node:worker_threads';
import type { OscPeer } from './effectBridge.ts';
import type { MetricsWorkerData, MetricsWorkerMessage } from './metricsWorker.ts';
import type { SignalRing } from './signalRing.ts';
import { startTsWorker } from './tsWorker.ts';

/** Posted once by a metrics worker when it has loaded and compiled what it runs (warmUp waits for it). */
export const METRICS_WORKER_READY = 'metrics-worker-ready';

/** Subscribers served at once; a further one is refused (answered) until one unsubscribes. */
export const MAX_SUBSCRIBERS = 8;
export const DEFAULT_INTERVAL_MS = 200;
/** Fastest and slowest push interval, ms: 8 subscribers at 50 ms are at most 160 pushes a second. */
export const MIN_INTERVAL_MS = 50;
export const MAX_INTERVAL_MS = 60_000;
/** The RT60 estimate is recomputed this often while anyone subscribes (it costs 90–370 ms of its worker) and pushed as last computed. */
const RT60_EVERY_MS = 2000;

export interface MetricsSubscribersOptions {
  engine: string;
  input: SignalRing;
  output: SignalRing;
  sampleRate: number;
  /**
   * SCHED_FIFO priority for the push worker, asked when it starts (0 = normal): a worker host on a native
   * JACK rig raises it to 1 while its control thread runs raised (workerHostRunner.ts), so a push does not
   * wait for a CFS slice behind normal threads.
   */
  pushPriority?: () => number;
}

/**
 * Metrics pushes to subscribed clients, each at its own interval: every push is one bundle of
 * `/<engine>/metrics/<name> f` messages (liveMetrics.ts: levels and spectrum over the subscriber's last
 * interval, at least 100 ms, of the output ring, and the latest RT60 estimate). This side validates and
 * bounds the subscriptions (at most MAX_SUBSCRIBERS; a peer subscribing again changes its interval);
 * the pushes are timed, computed and sent by a worker (metricsWorker.ts, role 'push') reading the
 * rings in place, and the RT60 estimate is computed every 2 s by a second worker (role 'rt60'), so
 * neither ever waits behind the other, the audio side or this thread. Pushes leave from the push
 * worker's own UDP socket; their rate is bounded by construction (8 × 20 a second), outside the
 * transport's reply budget.
 */
export class MetricsSubscribers {
  private readonly subs = new Map<string, { peer: OscPeer; intervalMs: number }>();
  private readonly workers: { push?: Worker; rt60?: Worker } = {};
  private rt60Timer: NodeJS.Timeout | undefined;
  private rt60Busy = false;
  private nextId = 1;

  constructor(private readonly o: MetricsSubscribersOptions) {}

  get count(): number {
    return this.subs.size;
  }

  /**
   * Starts the workers and waits until both have loaded (a few hundred ms; at most `timeoutMs`), so the
   * first pushes are on time — and so that no thread is created while the stream runs: a new worker maps
   * its heap under the process's memory-map lock, which stalls a real-time thread of ours that faults
   * meanwhile (measured: 66 ms of underruns on jack-native when they started after the stream).
   */
  async warmUp(timeoutMs = 10_000): Promise<void> {
    const ready = (w: Worker) => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const done = () => { clearTimeout(timer); w.off('message', onMessage); resolve(); };
      const onMessage = (m: unknown) => { if (m === METRICS_WORKER_READY) done(); };
      w.on('message', onMessage);
      w.once('error', done);
      w.once('exit', done);
    });
    await Promise.all([ready(this.worker('push')), ready(this.worker('rt60'))]);
  }

  /** Raises the push worker to its real-time priority (pushPriority), once the stream runs. */
  raisePriority(): void {
    const p = this.o.pushPriority?.() ?? 0;
    if (p > 0) this.post('push', { type: 'priority', value: p });
  }

  subscribe(peer: OscPeer, intervalMs = DEFAULT_INTERVAL_MS): { intervalMs: number } | string {
    if (!(Number.isInteger(peer.port) && peer.port >= 1 && peer.port <= 65535)) {
      return `subscribe: port ${peer.port} out of range; allowed 1…65535 (whole numbers)`;
    }
    if (!(Number.isFinite(intervalMs) && intervalMs >= MIN_INTERVAL_MS && intervalMs <= MAX_INTERVAL_MS)) {
      return `subscribe: interval_ms ${intervalMs} out of range; allowed ${MIN_INTERVAL_MS}…${MAX_INTERVAL_MS}`;
    }
    const k = key(peer);
    if (!this.subs.has(k) && this.subs.size >= MAX_SUBSCRIBERS) {
      return `subscribe: ${MAX_SUBSCRIBERS} subscribers already; unsubscribe one first`;
    }
    this.subs.set(k, { peer, intervalMs });
    this.post('push', { type: 'subscribe', key: k, address: peer.address, port: peer.port, intervalMs });
    this.rt60Timer ??= setInterval(() => this.estimateRt60(), RT60_EVERY_MS);
    this.rt60Timer.unref();
    if (this.subs.size === 1) this.estimateRt60();
    return { intervalMs };
  }

  unsubscribe(peer: OscPeer): boolean {
    const k = key(peer);
    if (!this.subs.delete(k)) return false;
    this.post('push', { type: 'unsubscribe', key: k });
    if (this.subs.size === 0) {
      clearInterval(this.rt60Timer);
      this.rt60Timer = undefined;
    }
    return true;
  }

  close(): void {
    this.subs.clear();
    clearInterval(this.rt60Timer);
    this.rt60Timer = undefined;
    for (const w of Object.values(this.workers)) void w?.terminate();
    this.workers.push = this.workers.rt60 = undefined;
  }

  /** One RT60 estimate on its worker (skipped while one is running), handed to the push worker. */
  private estimateRt60(): void {
    if (this.rt60Busy) return;
    this.rt60Busy = true;
    this.post('rt60', { type: 'estimate', id: this.nextId++ });
  }

  private post(which: 'push' | 'rt60', m: MetricsWorkerMessage): void {
    this.worker(which).postMessage(m);
  }

  private worker(which: 'push' | 'rt60'): Worker {
    const existing = this.workers[which];
    if (existing) return existing;
    const data: MetricsWorkerData = {
      engine: this.o.engine, input: this.o.input.buffers, output: this.o.output.buffers, sampleRate: this.o.sampleRate, role: which,
      realtimePriority: which === 'push' ? (this.o.pushPriority?.() ?? 0) : 0,
    };
    const w = startTsWorker(new URL('./metricsWorker.ts', import.meta.url), data);
    w.unref();
    if (which === 'rt60') {
      w.on('message', (m: { value: number | null } | typeof METRICS_WORKER_READY) => {
        if (m === METRICS_WORKER_READY) return;
        this.rt60Busy = false;
        this.workers.push?.postMessage({ type: 'rt60', value: m.value } satisfies MetricsWorkerMessage);
      });
    }
    w.on('error', () => {
      if (this.workers[which] === w) this.workers[which] = undefined;
      if (which === 'rt60') this.rt60Busy = false;
    });
    this.workers[which] = w;
    return w;
  }
}

const key = (p: OscPeer) => `${p.address}:${p.port}`;
