import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { type EngineEvent, at, makeEvent } from '../../src/engine/events.ts';
import { ToyFilter } from '../../src/conformance/brokenEngines.ts';
import { type ConformanceSubject, checkNoAllocation } from '../../src/conformance/checks.ts';
import { conformanceChecks, registerConformanceCheck, runConformance, selectChecks } from '../../src/conformance/conformanceSuite.ts';
import { describeConformance } from './describeConformance.ts';

const gainChanges = (sampleRate: number) => [at.param(Math.round(0.05 * sampleRate) + 3, 0, 0.5), at.param(Math.round(0.2 * sampleRate) + 5, 0, 2)];
const subject = (create: () => Engine): ConformanceSubject => ({ name: create().name, create, events: gainChanges });

describeConformance(subject(() => new ToyFilter()));

/**
 * The meta-test: every registered check is paired with at least one broken engine, and fails on each of
 * them at every rate it runs at — a check that has never been seen to fail proves nothing.
 */
describe('every conformance check fails on the broken engines paired with it', () => {
  for (const check of conformanceChecks()) {
    it(`${check.name} has a broken engine`, () => {
      expect(check.failsOn.length, `conformance check "${check.name}" has no broken engine in failsOn`).toBeGreaterThan(0);
    });
    for (const broken of check.failsOn) {
      it(`${check.name} fails on an engine that ${broken.defect}`, async () => {
        const r = await check.run(subject(broken.create), 48000);
        expect(r.ok, `${check.name} passed ${broken.create().name}: ${r.detail}`).toBe(false);
      });
    }
  }
  it('the finite/normal check names what it found', async () => {
    const [check] = selectChecks({ only: ['finite-normal'] });
    const details = await Promise.all(check.failsOn.map(async (b) => (await check.run(subject(b.create), 48000)).detail));
    expect(details).toEqual([
      expect.stringMatching(/^non-finite NaN at channel 1, frame 3$/),
      expect.stringMatching(/^non-finite -Infinity at channel 1, frame 3$/),
      expect.stringMatching(/^subnormal .* at channel 1, frame 3$/),
      expect.stringMatching(/silent/),
    ]);
  });
});

describe('selecting checks', () => {
  it('by level, as pluginval strictness: level 1 ⊂ level 2 ⊂ … ⊂ all', () => {
    const names = (level: number) => selectChecks({ level }).map((c) => c.name);
    expect(names(1)).toEqual(['finite-normal', 'determinism']);
    expect(names(2)).toEqual(['finite-normal', 'determinism', 'block-size-invariance', 'reset']);
    expect(names(4)).toEqual(conformanceChecks().map((c) => c.name));
    expect(selectChecks({ without: ['state', 'v8-heap'] }).map((c) => c.name)).not.toContain('state-round-trip');
  });
  it('refuses an unknown check name, listing the known ones', () => {
    expect(() => selectChecks({ only: ['nope'] })).toThrow(/unknown conformance check "nope"; known: finite-normal, determinism/);
  });
  it('refuses a second check of the same name', () => {
    expect(() => registerConformanceCheck({ ...conformanceChecks()[0] })).toThrow(/already registered/);
  });
  it('runConformance reports each check per rate, and a throwing engine as a failure', async () => {
    const outcomes = await runConformance(subject(() => new ToyFilter()), { level: 1, sampleRates: [44100, 96000] });
    expect(outcomes.map((o) => `${o.check}@${o.sampleRate}:${o.ok}`)).toEqual(['finite-normal@44100:true', 'finite-normal@96000:true', 'determinism@48000:true']);
    class ThrowingToy extends ToyFilter {
      override process(): void {
        throw new Error('boom');
      }
    }
    const bad = await runConformance(subject(() => new ThrowingToy()), { only: ['determinism'] });
    expect(bad).toMatchObject([{ check: 'determinism', ok: false, detail: 'threw: boom' }]);
  });
});

describe('the no-allocation check', () => {
  it('passes the engine events shaped as the hosts and render() pass them (makeEvent), not timeline records', async () => {
    const shapes = new Set<string>();
    class ShapeRecorder extends ToyFilter {
      override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
        for (let i = 0; i < eventCount; i++) shapes.add(Object.keys(events[i]).join());
        super.process(inputs, outputs, frames, events, eventCount);
      }
    }
    await checkNoAllocation(subject(() => new ShapeRecorder()), 48000, 64, 1);
    expect([...shapes]).toEqual([Object.keys(makeEvent()).join()]);
  });
});
