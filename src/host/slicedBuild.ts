import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { prepareInSteps } from '../engine/prepareInSteps.ts';
import type { EngineEntry } from '../presets/engineRegistry.ts';
import type { EngineBuildCost } from './engineBuildMailbox.ts';
import type { HostClock } from './hostClock.ts';

/**
 * A structural change's engine being prepared a slice at a time (prepareInSteps) on a thread that must not
 * stall — the worker's render thread between cycles (workerEngineBuilds.ts), an in-thread host's control thread
 * between the event loop's turns (structuralChanges.ts slotBuilder) — and what it has cost so far.
 */
export class SlicedBuild {
  private readonly steps: Generator<void, void, void>;
  private readonly startMs: number;
  private endMs = Number.NaN;
  private readonly tally = { stepsMs: 0, maxSliceMs: 0, steps: 0, cycles: 0 };

  constructor(readonly engine: Engine, prepare: PrepareOptions, private readonly clock: HostClock) {
    this.steps = prepareInSteps(engine, prepare);
    clock.read();
    this.startMs = clock.ms[0];
  }

  /**
   * Runs steps until the engine is prepared or `budgetMs` has passed (a slice ends at the first step that crosses
   * it, so it lasts the budget plus one step); true when prepared. Throws what the engine's prepare throws.
   */
  slice(budgetMs: number): boolean {
    const clock = this.clock;
    const t = this.tally;
    clock.read();
    const t0 = clock.ms[0];
    let finished = false;
    do {
      finished = this.steps.next().done === true;
      t.steps++;
      clock.read();
    } while (!finished && clock.ms[0] - t0 < budgetMs);
    const ms = clock.ms[0] - t0;
    t.stepsMs += ms;
    if (ms > t.maxSliceMs) t.maxSliceMs = ms;
    t.cycles++;
    if (finished) this.endMs = clock.ms[0];
    return finished;
  }

  /** What the build cost: its slices (steps, count, own time, the longest) and the wall time from its start to its end. */
  get cost(): EngineBuildCost {
    return { ...this.tally, wallMs: this.endMs - this.startMs };
  }
}

/** The answer to a change whose engine cannot be built (its create or prepare threw). */
export function buildError(entry: EngineEntry, err: unknown): string {
  return `cannot build ${entry.engine} with these parameters: ${(err as Error).message}`;
}
