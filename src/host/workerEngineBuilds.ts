import type { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { PrepareOptions } from '../engine/engine.ts';
import { parseParams } from '../engine/params.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';
import { BuildRequest, type EngineBuildMailbox } from './engineBuildMailbox.ts';
import type { HostClock } from './hostClock.ts';
import { SlicedBuild, buildError } from './slicedBuild.ts';

/**
 * How long the render thread builds between two cycles, ms: after its block, before it sleeps. A period is
 * 1.33 ms at 64 frames / 48 kHz and the render-ahead cushion 2 ms on the native JACK rig; a block of fdn16
 * takes ~0.05–0.2 ms. A slice ends at the first step that crosses this, so it lasts the budget plus one step.
 */
export const BUILD_SLICE_MS = 0.2;

interface Build {
  seq: number;
  id: number;
  build: SlicedBuild;
}

/**
 * The worker host's side of a structural change (the control side: StructuralChanges with a mailbox
 * builder, engineBuildMailbox.ts): between cycles, on the render thread, it takes the control thread's
 * request, builds the engine from the parameters (the entry's `create`) and prepares it a slice at a
 * time (prepareInSteps: at most BUILD_SLICE_MS plus one step a cycle), then stages it in the live
 * CrossfadeEngine and answers; the control side then queues the Swap event through the command ring as
 * the in-thread host does. The engine is built where it will run because an object cannot move between
 * threads; built whole it would stall the thread 2–60 ms (a reverb's prepare()), building it in slices
 * spreads that over tens to hundreds of cycles.
 *
 * `poll()` with nothing to do reads one shared word and writes one (whether the slot is busy): nothing is
 * allocated. A build allocates (the engine, its buffers, the JSON of its parameters): it is a rare event,
 * not the steady state the allocation tests hold.
 */
export class WorkerEngineBuilds {
  private handledSeq = 0;
  private build: Build | undefined;

  constructor(
    private readonly mailbox: EngineBuildMailbox,
    private readonly entry: EngineEntry,
    private readonly slot: CrossfadeEngine,
    private readonly prepare: PrepareOptions,
    private readonly clock: HostClock,
    private readonly sliceMs = BUILD_SLICE_MS,
  ) {}

  /** Between cycles: takes a new request, runs the build under way for one slice, publishes whether the slot is busy. */
  poll(): void {
    if (this.build === undefined) {
      const seq = this.mailbox.requestSeq();
      if (seq !== this.handledSeq) this.take(seq);
    }
    if (this.build !== undefined) this.slice(this.build);
    this.mailbox.setBusy(this.build !== undefined || this.slot.busy);
  }

  private take(seq: number): void {
    this.handledSeq = seq;
    const request = this.mailbox.readRequest();
    if (request.kind === BuildRequest.unstage) {
      this.slot.unstage(request.id);
      this.mailbox.done(seq);
      return;
    }
    try {
      const params = parseParams(this.entry.paramsSchema, JSON.parse(request.payload), `${this.entry.engine} structural change`);
      this.build = { seq, id: request.id, build: new SlicedBuild(this.entry.create(params), this.prepare, this.clock) };
    } catch (err) {
      this.fail(seq, err);
    }
  }

  private slice(b: Build): void {
    let finished: boolean;
    try {
      finished = b.build.slice(this.sliceMs);
    } catch (err) {
      this.build = undefined;
      this.fail(b.seq, err);
      return;
    }
    if (!finished) return;
    this.build = undefined;
    const refused = this.slot.stage(b.id, b.build.engine);
    this.mailbox.setBusy(refused === undefined || this.slot.busy);
    this.mailbox.done(b.seq, refused, b.build.cost);
  }

  private fail(seq: number, err: unknown): void {
    this.mailbox.done(seq, buildError(this.entry, err));
  }
}
