import type { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';
import { SlicedBuild, buildError } from './slicedBuild.ts';
import { performanceClock } from './hostClock.ts';
import { BuildRequest, type EngineBuildCost, type EngineBuildMailbox } from './engineBuildMailbox.ts';

/**
 * Where the next engine of a structural change is built and staged for its Swap event: on this thread
 * beside an in-thread host's slot (slotBuilder), or by a worker host's render thread, asked through shared
 * memory (mailboxBuilder).
 */
export interface EngineBuilder {
  /** A build is under way, an engine is staged for its Swap, or a fade is running: the next change must wait. */
  readonly busy: boolean;
  /** Builds an engine from `params` for switch `id` and stages it; `done` with an error text, or none once staged (perhaps at once). */
  build(id: number, params: unknown, done: (error: string | undefined) => void): void;
  /** Takes back the engine staged for `id` (its Swap could not be queued). */
  unstage(id: number): void;
  /** Stops answering (the server stops). */
  close(): void;
  /** What the last finished build cost; undefined before the first. */
  readonly lastCost: EngineBuildCost | undefined;
}

export interface StructuralChangesOptions {
  builder: EngineBuilder;
  /** Queues the Swap event for `id` through the host's command ring; an error text when refused. */
  submitSwitch: (id: number) => string | undefined;
  /** A change that failed after it was accepted (a deferred one, or a worker's build): logged and counted by the caller. */
  onLateError: (message: string) => void;
}

/** How often a deferred change checks whether the slot is free again, and a worker's build whether it is done, ms. */
const RETRY_MS = 5;

/**
 * The control side of a structural change (a parameter the engine is built with: the FDN's lines,
 * delays, per-line damping, matrix…): has the builder build the new engine from a validated parameter
 * set — never in the audio callback's block, a slice at a time: on this thread between the rig's callbacks
 * for an in-thread host, between the render thread's cycles for a worker host — staged in the CrossfadeEngine's preallocated
 * slot, then queues the Swap event; the audio path crossfades at that event's sample
 * (crossfadeEngine.ts). One switch at a time: while one is building, staged or fading, a new change
 * waits (the newest wins; those in between are skipped, as a knob's intermediate values would be) and
 * is built when the slot is free, within RETRY_MS.
 */
export class StructuralChanges {
  private nextId = 1;
  private waiting: unknown = undefined;
  /** Where the waiting change's late error goes (its requester), when it gave one. */
  private waitingOnError: ((message: string) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Changes built and queued, and changes superseded while waiting. */
  readonly counts = { switches: 0, superseded: 0 };

  constructor(private readonly o: StructuralChangesOptions) {}

  /** What the last finished build cost (EngineBuilder.lastCost). */
  get lastBuildCost(): EngineBuildCost | undefined {
    return this.o.builder.lastCost;
  }

  /**
   * Asks for an engine built with `params` (parsed by the entry's schema); an error text when refused now. An
   * error that comes later (a build that fails, the switch refused) goes to `onLateError` — the requester's
   * answer — or else to the options' one.
   */
  request(params: unknown, onLateError?: (message: string) => void): string | undefined {
    if (!this.o.builder.busy) return this.build(params, onLateError);
    if (this.waiting !== undefined) this.counts.superseded++;
    this.waiting = params;
    this.waitingOnError = onLateError;
    this.timer ??= setInterval(() => this.retry(), RETRY_MS);
    return undefined;
  }

  /** Stops waiting (the server stops). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
    this.waitingOnError = undefined;
    this.o.builder.close();
  }

  private retry(): void {
    if (this.o.builder.busy || this.waiting === undefined) return;
    const params = this.waiting;
    const onLateError = this.waitingOnError ?? this.o.onLateError;
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
    this.waitingOnError = undefined;
    const error = this.build(params, onLateError);
    if (error) onLateError(error);
  }

  /** Builds and, once staged, queues the switch; the error when the builder answered at once, else undefined (a later one goes to `onLateError`). */
  private build(params: unknown, onLateError = this.o.onLateError): string | undefined {
    const id = this.nextId++;
    let now = true;
    let immediate: string | undefined;
    this.o.builder.build(id, params, (error) => {
      const failed = error ?? this.submit(id);
      if (now) immediate = failed;
      else if (failed) onLateError(failed);
    });
    now = false;
    return immediate;
  }

  private submit(id: number): string | undefined {
    const refused = this.o.submitSwitch(id);
    if (refused) {
      this.o.builder.unstage(id);
      return refused;
    }
    this.counts.switches++;
    return undefined;
  }
}

/** How long an in-thread host's build runs before it yields to the event loop (the rig's callbacks run on this thread), ms. */
export const IN_THREAD_SLICE_MS = 1;

/**
 * An in-thread host's builder: builds the engine here, on the control thread — which is also where the
 * rig's callbacks run (the virtual rig; naudiodon, which waits for JavaScript to write each period) — so it
 * prepares it a slice of IN_THREAD_SLICE_MS at a time (prepareInSteps), yielding to the event loop between
 * slices (setImmediate: after the I/O callbacks), then stages it in `slot`. Whole, a reverb's prepare()
 * (warm-up included) held the thread 10–60 ms.
 */
export function slotBuilder(slot: CrossfadeEngine, entry: EngineEntry, sampleRate: number, periodFrames: number, sliceMs = IN_THREAD_SLICE_MS): EngineBuilder {
  let lastCost: EngineBuildCost | undefined;
  let building = false;
  let pending: NodeJS.Immediate | undefined;
  return {
    get lastCost() { return lastCost; },
    get busy() { return building || slot.busy; },
    build(id, params, done) {
      const fail = (err: unknown) => { building = false; done(buildError(entry, err)); };
      let build: SlicedBuild;
      try {
        build = new SlicedBuild(entry.create(params), { sampleRate, maxBlockFrames: periodFrames }, performanceClock());
      } catch (err) {
        fail(err);
        return;
      }
      building = true;
      const slice = () => {
        pending = undefined;
        let finished: boolean;
        try {
          finished = build.slice(sliceMs);
        } catch (err) {
          fail(err);
          return;
        }
        if (!finished) {
          pending = setImmediate(slice);
          return;
        }
        building = false;
        lastCost = build.cost;
        done(slot.stage(id, build.engine));
      };
      slice();
    },
    unstage(id) { slot.unstage(id); },
    close() {
      if (pending) clearImmediate(pending);
      pending = undefined;
      building = false;
    },
  };
}

/**
 * A worker host's builder: posts the parameters (as JSON) to the render thread through `mailbox`
 * (workerEngineBuilds.ts builds and stages the engine there between cycles) and waits for the answer,
 * checking every RETRY_MS. `lastCost` is what the worker's last build took (wall time, its own time, its
 * longest slice, steps and cycles).
 */
export function mailboxBuilder(mailbox: EngineBuildMailbox): EngineBuilder {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => { clearInterval(timer); timer = undefined; };
  const ask = (kind: (typeof BuildRequest)[keyof typeof BuildRequest], id: number, payload: string, done: (error: string | undefined) => void) => {
    const refused = mailbox.post(kind, id, payload);
    if (refused) { done(refused); return; }
    stop();
    timer = setInterval(() => {
      const answer = mailbox.answer();
      if (answer === undefined) return;
      stop();
      done(answer.error);
    }, RETRY_MS);
  };
  return {
    get busy() { return mailbox.busy; },
    get lastCost() { const c = mailbox.lastCost; return Number.isNaN(c.wallMs) ? undefined : c; },
    build(id, params, done) { ask(BuildRequest.build, id, JSON.stringify(params), done); },
    unstage(id) { ask(BuildRequest.unstage, id, '', () => {}); },
    close: stop,
  };
}
