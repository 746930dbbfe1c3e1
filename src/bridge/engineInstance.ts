import type { Worker } from 'node:worker_threads';
import { type WorkerSource, instanceWorkerSource, startInstanceWorker } from './instanceWorkerModule.ts';
import type { FromWorker, InstanceWorkerData, ToWorker } from './instanceWorker.ts';

export type FailureReason = 'threw' | 'hung' | 'exited';

export interface EngineInstanceEvents {
  /** A processed chunk: `samples` holds numOutputs × frames, planar. */
  output(sequence: number, frames: number, samples: Float32Array): void;
  /** The instance stopped working (it has been terminated; do not use it again). */
  failed(reason: FailureReason, message: string): void;
}

/** How long a worker may take to build its engine (its module loads first: tsx and the sources when there is no bundle). */
const START_TIMEOUT_MS = 60_000;

/**
 * One loaded instance, isolated in a worker thread of its own (instanceWorker.ts): an engine that
 * throws, or hangs, takes down only its worker. Chunks go to the worker in order and come back in order;
 * the watchdog checks the oldest unanswered request, and one older than `watchdogMs` ends the worker
 * ('hung'). A throw inside the engine ('threw'), an uncaught error or an exit of the worker ('exited')
 * end it too; `failed` is called once.
 */
export class EngineInstance {
  numInputs = 0;
  numOutputs = 0;
  paramNames: readonly string[] = [];
  /** Where the worker's module came from: the prebuilt bundle (rebuilt first if stale), or the sources and why. */
  workerSource: WorkerSource = { kind: 'sources', reason: 'not started' };
  /** How the worker thread is scheduled ("SCHED_RR 5", or "normal scheduling (why)"). */
  scheduling = '';
  /** Send times (performance.now()) of the chunks and state requests not answered yet, oldest first. */
  private readonly waiting: number[] = [];
  private readonly stateRequests = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextRequest = 1;
  private watchdog: NodeJS.Timeout | undefined;
  private ended = false;
  lateParams = 0;
  droppedParams = 0;

  private constructor(private readonly worker: Worker, private readonly watchdogMs: number, private readonly events: EngineInstanceEvents) {}

  /** Starts the worker and waits for its engine; rejects with the worker's own message when it cannot build it. */
  static async start(data: InstanceWorkerData, watchdogMs: number, events: EngineInstanceEvents): Promise<EngineInstance> {
    const source = await instanceWorkerSource();
    const worker = startInstanceWorker(source, data);
    const instance = new EngineInstance(worker, watchdogMs, events);
    instance.workerSource = source;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { void worker.terminate(); reject(new Error(`the instance did not start within ${START_TIMEOUT_MS} ms`)); }, START_TIMEOUT_MS);
      const settle = (err?: Error) => {
        clearTimeout(timer);
        worker.off('message', first);
        if (err) {
          void worker.terminate();
          reject(err);
        } else resolve();
      };
      const first = (m: FromWorker) => {
        if (m.type === 'ready') {
          instance.numInputs = m.numInputs;
          instance.numOutputs = m.numOutputs;
          instance.paramNames = m.paramNames;
          instance.scheduling = m.scheduling;
          settle();
        } else if (m.type === 'failed') settle(new Error(m.message));
      };
      worker.on('message', first);
      worker.once('error', (err) => settle(err));
      worker.once('exit', (code) => settle(new Error(`the instance's worker exited (${code}) before it was ready`)));
    });
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    instance.listen();
    return instance;
  }

  private listen(): void {
    this.worker.on('message', (m: FromWorker) => {
      if (this.ended) return;
      if (m.type === 'out') {
        this.waiting.shift();
        this.lateParams = m.lateParams;
        this.droppedParams = m.droppedParams;
        this.events.output(m.sequence, m.frames, m.samples);
      } else if (m.type === 'state') {
        this.waiting.shift();
        const r = this.stateRequests.get(m.request);
        this.stateRequests.delete(m.request);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve(m.state);
      } else if (m.type === 'failed') this.fail('threw', m.message);
    });
    this.worker.on('error', (err) => this.fail('threw', err.message));
    this.worker.on('exit', (code) => this.fail('exited', `the worker exited with code ${code}`));
    const period = Math.max(5, Math.min(100, this.watchdogMs / 4));
    this.watchdog = setInterval(() => {
      if (this.waiting.length > 0 && performance.now() - this.waiting[0] > this.watchdogMs) {
        this.fail('hung', `no answer for ${Math.round(performance.now() - this.waiting[0])} ms (watchdog ${this.watchdogMs} ms)`);
      }
    }, period);
    this.watchdog.unref();
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.waiting.length;
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Sends one chunk (its buffer is transferred: the caller must not use `samples` again). */
  process(sequence: number, frames: number, channels: number, samples: Float32Array): void {
    this.waiting.push(performance.now());
    this.send({ type: 'chunk', sequence, frames, channels, samples }, [samples.buffer as ArrayBuffer]);
  }

  setParam(index: number, value: number, frame: number | null): void {
    this.send({ type: 'param', index, value, frame });
  }

  getState(): Promise<unknown> {
    return this.stateRequest((request) => ({ type: 'getState', request }));
  }

  setState(state: unknown): Promise<unknown> {
    return this.stateRequest((request) => ({ type: 'setState', request, state }));
  }

  private stateRequest(make: (request: number) => ToWorker): Promise<unknown> {
    if (this.ended) return Promise.reject(new Error('the instance has stopped'));
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.stateRequests.set(request, { resolve, reject });
      this.waiting.push(performance.now());
      this.send(make(request));
    });
  }

  private send(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (!this.ended) this.worker.postMessage(m, transfer);
  }

  private fail(reason: FailureReason, message: string): void {
    if (this.ended) return;
    this.end();
    this.events.failed(reason, message);
  }

  private end(): void {
    this.ended = true;
    clearInterval(this.watchdog);
    for (const r of this.stateRequests.values()) r.reject(new Error('the instance has stopped'));
    this.stateRequests.clear();
    void this.worker.terminate();
  }

  /** Stops the worker (UNLOAD, a closed connection, the bridge stopping); `failed` is not called. */
  async stop(): Promise<void> {
    if (this.ended) return;
    this.end();
  }
}
