import { describe, expect, it } from 'vitest';
import {
  type ConformanceSubject, SAMPLE_RATES, checkBlockSizeInvariance, checkDeterminism,
  checkFiniteNormal, checkNoAllocation, checkReset, checkStateRoundTrip,
} from './checks.ts';

/**
 * The shared engine contract suite, called once for every engine (as Tone.js calls BasicTests and
 * pluginval runs every plugin through rates × block sizes).
 */
export function describeConformance(subject: ConformanceSubject): void {
  describe(`${subject.name} conforms to the engine contract`, () => {
    for (const sampleRate of SAMPLE_RATES) {
      it(`renders the same bits at block sizes 1, 17, 64, 128, 512, 1024 as in one block at ${sampleRate} Hz`, () => {
        const r = checkBlockSizeInvariance(subject, sampleRate);
        expect(r.ok, r.detail).toBe(true);
      });
      it(`writes no NaN, Inf or subnormal at ${sampleRate} Hz`, () => {
        const r = checkFiniteNormal(subject, sampleRate);
        expect(r.ok, r.detail).toBe(true);
      });
    }
    it('is deterministic across runs', () => {
      const r = checkDeterminism(subject, 48000);
      expect(r.ok, r.detail).toBe(true);
    });
    it('round-trips its state exactly and continues bit-identically after a restore', () => {
      const r = checkStateRoundTrip(subject, 48000);
      expect(r.ok, r.detail).toBe(true);
    });
    it('renders like a fresh engine after reset()', () => {
      const r = checkReset(subject, 48000);
      expect(r.ok, r.detail).toBe(true);
    });
    it('allocates nothing in process()', async () => {
      const r = await checkNoAllocation(subject);
      expect(r.ok, r.detail).toBe(true);
    });
  });
}
