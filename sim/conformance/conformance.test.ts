import { describe, expect, it } from 'vitest';
import { at } from '../../src/engine/events.ts';
import {
  type ConformanceSubject, checkBlockSizeInvariance, checkDeterminism, checkFiniteNormal,
  checkNoAllocation, checkStateRoundTrip,
} from './checks.ts';
import { describeConformance } from './describeConformance.ts';
import { AllocatingToy, BlockDependentToy, EventAtBlockStartToy, ForgetfulToy, NanToy, RandomToy, ToyFilter } from './toyEngines.ts';

const gainChanges = (sampleRate: number) => [at.param(Math.round(0.05 * sampleRate) + 3, 0, 0.5), at.param(Math.round(0.2 * sampleRate) + 5, 0, 2)];
const subject = (create: () => ToyFilter): ConformanceSubject => ({ name: create().name, create, events: gainChanges });

describeConformance(subject(() => new ToyFilter()));

describe('each conformance check fails on an engine with the defect it looks for', () => {
  it('the allocation check catches an engine that allocates in process()', async () => {
    const r = await checkNoAllocation(subject(() => new AllocatingToy()));
    expect(r.ok, r.detail).toBe(false);
  });
  it('the determinism check catches unseeded randomness', () => {
    expect(checkDeterminism(subject(() => new RandomToy()), 48000).ok).toBe(false);
  });
  it('the block-size check catches a per-block effect', () => {
    expect(checkBlockSizeInvariance(subject(() => new BlockDependentToy()), 48000).ok).toBe(false);
  });
  it('the block-size check catches events applied at the block start instead of their sample', () => {
    expect(checkBlockSizeInvariance(subject(() => new EventAtBlockStartToy()), 48000).ok).toBe(false);
  });
  it('the finite/normal check catches a subnormal output', () => {
    expect(checkFiniteNormal(subject(() => new NanToy()), 48000).ok).toBe(false);
  });
  it('the state check catches state that is not saved', () => {
    expect(checkStateRoundTrip(subject(() => new ForgetfulToy()), 48000).ok).toBe(false);
  });
});
