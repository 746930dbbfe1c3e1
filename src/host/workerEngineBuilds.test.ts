import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import type { Engine, PrepareOptions } from '../engine/engine.ts';
import type { EngineEntry } from '../engine/engineDefinition.ts';
import { BuildRequest, EngineBuildMailbox } from './engineBuildMailbox.ts';
import type { HostClock } from './hostClock.ts';
import { BUILD_SLICE_MS, WorkerEngineBuilds } from './workerEngineBuilds.ts';

/** A pass-through engine whose prepare comes in `steps` pieces of `stepMs` each on the fake clock (throwing at `failAt`). */
class SteppedEngine implements Engine {
  readonly name = 'stepped';
  readonly numInputs = 1;
  readonly numOutputs = 1;
  readonly paramNames = ['gain'] as const;
  stepsRun = 0;
  constructor(readonly p: { steps: number; stepMs: number; failAt: number }, private readonly clock: FakeClock) {}
  prepare(o: PrepareOptions): void { for (const _ of this.prepareSteps(o)); }
  *prepareSteps(_o: PrepareOptions): Generator<void, void, void> {
    for (let k = 0; k < this.p.steps; k++) {
      if (k === this.p.failAt) throw new Error(`step ${k} failed`);
      this.clock.now += this.p.stepMs;
      this.stepsRun++;
      yield;
    }
  }
  reset(): void {}
  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number): void { outputs[0].set(inputs[0].subarray(0, frames)); }
  getState(): unknown { return null; }
  setState(): void {}
}

interface FakeClock extends HostClock { now: number }
function fakeClock(): FakeClock {
  const ms = new Float64Array(1);
  const c = { ms, kind: 'native' as const, now: 0, read: () => { ms[0] = c.now; } };
  return c;
}

const schema = z.object({ steps: z.number().int(), stepMs: z.number(), failAt: z.number().int().default(-1), throwInCreate: z.boolean().default(false) });

function setUp() {
  const clock = fakeClock();
  const built: SteppedEngine[] = [];
  const entry: EngineEntry = {
    engine: 'stepped', kind: 'effect', version: '1', paramsSchema: schema,
    create: (raw) => {
      const p = raw as z.output<typeof schema>;
      if (p.throwInCreate) throw new Error('no such network');
      const e = new SteppedEngine(p, clock);
      built.push(e);
      return e;
    },
  };
  const slot = new CrossfadeEngine(new SteppedEngine({ steps: 0, stepMs: 0, failAt: -1 }, clock), { fadeMs: 1 });
  slot.prepare({ sampleRate: 48000, maxBlockFrames: 64 });
  const mailbox = EngineBuildMailbox.create();
  const builds = new WorkerEngineBuilds(new EngineBuildMailbox(mailbox.buffers), entry, slot, { sampleRate: 48000, maxBlockFrames: 64 }, clock);
  return { clock, built, slot, mailbox, builds };
}

describe('WorkerEngineBuilds: the next engine built on the render thread a slice per cycle', () => {
  it('builds in slices of the budget plus at most one step, stages the engine, then answers', () => {
    const { built, slot, mailbox, builds } = setUp();
    builds.poll();
    expect(mailbox.busy).toBe(false);
    expect(mailbox.post(BuildRequest.build, 7, JSON.stringify({ steps: 100, stepMs: 0.03 }))).toBeUndefined();
    expect(mailbox.busy).toBe(true);
    const stepsPerPoll: number[] = [];
    while (mailbox.pending) {
      const before = built[0]?.stepsRun ?? 0;
      builds.poll();
      stepsPerPoll.push(built[0].stepsRun - before);
      expect(stepsPerPoll.length).toBeLessThan(1000);
    }
    // 0.2 ms a slice: 7 steps of 0.03 ms (the 7th crosses it) — 15 slices for 100 steps (the last one ends the generator).
    expect(Math.ceil(BUILD_SLICE_MS / 0.03)).toBe(7);
    expect(Math.max(...stepsPerPoll)).toBe(7);
    expect(stepsPerPoll.length).toBe(15);
    expect(mailbox.answer()).toEqual({ error: undefined });
    expect(mailbox.busy).toBe(true); // staged: its Swap has not come yet
    expect(slot.unstage(7)).toBe(true);
    builds.poll();
    expect(mailbox.busy).toBe(false);
    const cost = mailbox.lastCost;
    expect(cost.steps).toBe(101);
    expect(cost.cycles).toBe(15);
    expect(cost.maxSliceMs).toBeCloseTo(0.21, 9);
    expect(cost.stepsMs).toBeCloseTo(3, 9);
  });

  it('the same build without a slice budget runs whole in one cycle (what the budget prevents)', () => {
    const { clock, slot, mailbox } = setUp();
    const entry = { engine: 'stepped', kind: 'effect' as const, version: '1', paramsSchema: schema, create: (p: unknown) => new SteppedEngine(p as z.output<typeof schema>, clock) };
    const whole = new WorkerEngineBuilds(mailbox, entry, slot, { sampleRate: 48000, maxBlockFrames: 64 }, clock, Number.POSITIVE_INFINITY);
    mailbox.post(BuildRequest.build, 1, JSON.stringify({ steps: 100, stepMs: 0.03 }));
    whole.poll();
    expect(mailbox.pending).toBe(false);
    expect(mailbox.lastCost.maxSliceMs).toBeCloseTo(3, 9);
  });

  it('answers an engine that cannot be built (in create, mid-prepare, bad parameters) with an error naming it, and stages nothing', () => {
    for (const [payload, text] of [
      [{ steps: 10, stepMs: 0.01, throwInCreate: true }, /cannot build stepped with these parameters: no such network/],
      [{ steps: 100, stepMs: 0.03, failAt: 40 }, /cannot build stepped with these parameters: step 40 failed/],
      [{ steps: 'many' }, /cannot build stepped.*steps/],
    ] as const) {
      const { slot, mailbox, builds } = setUp();
      mailbox.post(BuildRequest.build, 3, JSON.stringify(payload));
      for (let k = 0; k < 100 && mailbox.pending; k++) builds.poll();
      expect(mailbox.answer()?.error).toMatch(text);
      builds.poll();
      expect(slot.busy).toBe(false);
      expect(mailbox.busy).toBe(false);
    }
  });

  it('takes back a staged engine when asked (its Swap could not be queued)', () => {
    const { slot, mailbox, builds } = setUp();
    mailbox.post(BuildRequest.build, 5, JSON.stringify({ steps: 1, stepMs: 0.01 }));
    while (mailbox.pending) builds.poll();
    expect(slot.busy).toBe(true);
    expect(mailbox.post(BuildRequest.unstage, 5)).toBeUndefined();
    builds.poll();
    expect(mailbox.answer()).toEqual({ error: undefined });
    expect(slot.busy).toBe(false);
    expect(mailbox.busy).toBe(false);
  });

  it('refuses a second request while one is pending, and a payload larger than the mailbox', () => {
    const { mailbox } = setUp();
    expect(mailbox.post(BuildRequest.build, 1, '{}')).toBeUndefined();
    expect(mailbox.post(BuildRequest.build, 2, '{}')).toMatch(/still under way/);
    const fresh = EngineBuildMailbox.create();
    expect(fresh.post(BuildRequest.build, 1, 'x'.repeat(70_000))).toMatch(/70000 bytes as JSON, more than the 65536/);
  });
});
