import type { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';

export interface StructuralChangesOptions {
  /** The live engine's slot (the in-thread host's engine). */
  slot: CrossfadeEngine;
  entry: EngineEntry;
  sampleRate: number;
  periodFrames: number;
  /** Queues the Swap event for `id` through the host's command ring; an error text when refused. */
  submitSwitch: (id: number) => string | undefined;
  /** A change that failed after it was accepted (a deferred one): logged and counted by the caller. */
  onLateError: (message: string) => void;
}

/** How often a deferred change checks whether the slot is free again, ms. */
const RETRY_MS = 5;

/**
 * The control side of a structural change (a parameter the engine is built with: the FDN's lines,
 * delays, per-line damping, matrix…): builds the new engine from a validated parameter set and calls
 * its `prepare()` here, on the control thread — never in the audio callback — then stages it in the
 * CrossfadeEngine's preallocated slot and queues the Swap event; the audio path crossfades at that
 * event's sample (crossfadeEngine.ts). One switch at a time: while one is staged or fading, a new
 * change waits (the newest wins; those in between are skipped, as a knob's intermediate values would
 * be) and is built when the slot is free, within RETRY_MS. `lastBuildMs` is what building and
 * preparing the last engine took (the JIT warm-up of a reverb included).
 */
export class StructuralChanges {
  private nextId = 1;
  private waiting: unknown = undefined;
  private timer: NodeJS.Timeout | undefined;
  lastBuildMs = Number.NaN;
  /** Changes built and queued, and changes superseded while waiting. */
  readonly counts = { switches: 0, superseded: 0 };

  constructor(private readonly o: StructuralChangesOptions) {}

  /** Asks for an engine built with `params` (parsed by the entry's schema); an error text when refused now. */
  request(params: unknown): string | undefined {
    if (!this.o.slot.busy) return this.build(params);
    if (this.waiting !== undefined) this.counts.superseded++;
    this.waiting = params;
    this.timer ??= setInterval(() => this.retry(), RETRY_MS);
    return undefined;
  }

  /** Stops waiting (the server stops). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
  }

  private retry(): void {
    if (this.o.slot.busy || this.waiting === undefined) return;
    const params = this.waiting;
    this.close();
    const error = this.build(params);
    if (error) this.o.onLateError(error);
  }

  private build(params: unknown): string | undefined {
    const t0 = performance.now();
    let engine: Engine;
    try {
      engine = this.o.entry.create(params);
      engine.prepare({ sampleRate: this.o.sampleRate, maxBlockFrames: this.o.periodFrames });
    } catch (err) {
      return `cannot build ${this.o.entry.engine} with these parameters: ${(err as Error).message}`;
    }
    this.lastBuildMs = performance.now() - t0;
    const id = this.nextId++;
    const staged = this.o.slot.stage(id, engine);
    if (staged) return staged;
    const refused = this.o.submitSwitch(id);
    if (refused) {
      this.o.slot.unstage(id);
      return refused;
    }
    this.counts.switches++;
    return undefined;
  }
}
