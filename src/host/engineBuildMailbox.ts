/**
 * Where the control thread asks a worker host for the next engine of a structural change, and the worker
 * answers (shared memory: the render thread never posts a message, statusSlot.ts says why). One request at a
 * time: the control side writes the request, then bumps `requestSeq`; the worker handles it between cycles
 * (workerEngineBuilds.ts) and sets `doneSeq` to it, with an error text or none. The worker also publishes,
 * every cycle, whether its engine slot is busy (a build under way, an engine staged for its Swap, a fade
 * running) and what its last build cost.
 */
export const BuildRequest = { build: 1, unstage: 2 } as const;

const I = { requestSeq: 0, kind: 1, id: 2, requestBytes: 3, doneSeq: 4, errorBytes: 5, busy: 6, steps: 7, cycles: 8, SLOTS: 9 } as const;
const F = { wallMs: 0, stepsMs: 1, maxSliceMs: 2, SLOTS: 3 } as const;
/** The request's payload (the parameters as JSON): a reverb's with 32 lines of damping is ~1 KB. */
export const REQUEST_BYTES = 64 * 1024;
const ERROR_BYTES = 1024;

export interface EngineBuildMailboxBuffers {
  ints: SharedArrayBuffer;
  floats: SharedArrayBuffer;
  request: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

/** What the worker's last finished build cost (published with its answer). */
export interface EngineBuildCost {
  /** From the build's start (its engine created) to the engine prepared, ms of wall time. */
  wallMs: number;
  /** The build's own time, ms: the sum of its slices. */
  stepsMs: number;
  /** The longest slice, ms: what one cycle gave the build at most (its budget plus the step that crossed it). */
  maxSliceMs: number;
  /** Steps (prepareInSteps) and cycles the build took. */
  steps: number;
  cycles: number;
}

export class EngineBuildMailbox {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly request: Uint8Array;
  private readonly error: Uint8Array;

  static create(): EngineBuildMailbox {
    const mailbox = new EngineBuildMailbox({
      ints: new SharedArrayBuffer(4 * I.SLOTS), floats: new SharedArrayBuffer(8 * F.SLOTS),
      request: new SharedArrayBuffer(REQUEST_BYTES), error: new SharedArrayBuffer(ERROR_BYTES),
    });
    mailbox.floats.fill(Number.NaN);
    return mailbox;
  }

  constructor(readonly buffers: EngineBuildMailboxBuffers) {
    this.ints = new Int32Array(buffers.ints);
    this.floats = new Float64Array(buffers.floats);
    this.request = new Uint8Array(buffers.request);
    this.error = new Uint8Array(buffers.error);
  }

  // Control side.

  /** True while a request is waiting for its answer. */
  get pending(): boolean {
    return Atomics.load(this.ints, I.requestSeq) !== Atomics.load(this.ints, I.doneSeq);
  }

  /** Posts a request; an error text when one is still pending or the payload does not fit. */
  post(kind: (typeof BuildRequest)[keyof typeof BuildRequest], id: number, payload = ''): string | undefined {
    if (this.pending) return 'an engine build is still under way';
    const bytes = new TextEncoder().encode(payload);
    if (bytes.length > REQUEST_BYTES) return `the parameters take ${bytes.length} bytes as JSON, more than the ${REQUEST_BYTES} a build request holds`;
    this.request.set(bytes);
    Atomics.store(this.ints, I.kind, kind);
    Atomics.store(this.ints, I.id, id);
    Atomics.store(this.ints, I.requestBytes, bytes.length);
    Atomics.add(this.ints, I.requestSeq, 1);
    return undefined;
  }

  /** The answer to the last request once there is one: `{ error }` (undefined when it succeeded); undefined while pending. */
  answer(): { error: string | undefined } | undefined {
    if (this.pending) return undefined;
    const n = Atomics.load(this.ints, I.errorBytes);
    return { error: n > 0 ? new TextDecoder().decode(this.error.slice(0, n)) : undefined };
  }

  /** The worker's engine slot is busy (a build, a staged engine or a fade); a request is pending counts too. */
  get busy(): boolean {
    return this.pending || Atomics.load(this.ints, I.busy) === 1;
  }

  /** What the last finished build cost (NaN before the first). */
  get lastCost(): EngineBuildCost {
    const f = this.floats;
    return { wallMs: f[F.wallMs], stepsMs: f[F.stepsMs], maxSliceMs: f[F.maxSliceMs], steps: Atomics.load(this.ints, I.steps), cycles: Atomics.load(this.ints, I.cycles) };
  }

  // Worker side.

  /** The sequence number of the newest request (a new one when it differs from the last handled). */
  requestSeq(): number {
    return Atomics.load(this.ints, I.requestSeq);
  }

  /** The request posted with `requestSeq()` (allocates: read when a new one has come). */
  readRequest(): { kind: number; id: number; payload: string } {
    const n = Atomics.load(this.ints, I.requestBytes);
    return { kind: Atomics.load(this.ints, I.kind), id: Atomics.load(this.ints, I.id), payload: new TextDecoder().decode(this.request.slice(0, n)) };
  }

  /** Answers request `seq`: ok, or the error text (cut to what fits). */
  done(seq: number, error?: string, cost?: EngineBuildCost): void {
    let n = 0;
    if (error !== undefined) {
      const bytes = new TextEncoder().encode(error).subarray(0, ERROR_BYTES);
      this.error.set(bytes);
      n = Math.max(1, bytes.length);
    }
    if (cost) {
      this.floats[F.wallMs] = cost.wallMs;
      this.floats[F.stepsMs] = cost.stepsMs;
      this.floats[F.maxSliceMs] = cost.maxSliceMs;
      Atomics.store(this.ints, I.steps, cost.steps);
      Atomics.store(this.ints, I.cycles, cost.cycles);
    }
    Atomics.store(this.ints, I.errorBytes, n);
    Atomics.store(this.ints, I.doneSeq, seq);
  }

  /** Publishes whether the slot is busy (every cycle: an Atomics.store, nothing allocated). */
  setBusy(busy: boolean): void {
    Atomics.store(this.ints, I.busy, busy ? 1 : 0);
  }
}
