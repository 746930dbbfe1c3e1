import { describe, expect, it } from 'vitest';
import type { ConformanceSubject } from '../../src/conformance/checks.ts';
import { SAMPLE_RATES } from '../../src/conformance/checks.ts';
import { type ConformanceSelection, selectChecks } from '../../src/conformance/conformanceSuite.ts';
import { setPrepareWarmUp } from '../../src/engine/prepareWarmUp.ts';

/**
 * The shared engine contract suite as vitest cases, called once for every engine (as Tone.js calls
 * BasicTests and pluginval runs every plugin through rates × block sizes): one case per registered
 * check (src/conformance/conformanceSuite.ts) of the selected level, per sample rate where the check
 * is per rate.
 */
export function describeConformance(subject: ConformanceSubject, selection: ConformanceSelection = {}): void {
  describe(`${subject.name} conforms to the engine contract`, () => {
    for (const check of selectChecks(selection)) {
      for (const sampleRate of check.perSampleRate ? SAMPLE_RATES : [48000]) {
        it(`${check.name} (level ${check.level}): ${check.description}${check.perSampleRate ? ` at ${sampleRate} Hz` : ''}`, async () => {
          // Only the allocation check needs the engines' prepare() warm-ups (they change no output:
          // src/engine/prepareWarmUp.test.ts); they were 62 % of the FDN file's CPU.
          const warmUp = setPrepareWarmUp(check.needs.includes('v8-heap'));
          try {
            const r = await check.run(subject, sampleRate);
            expect(r.ok, r.detail).toBe(true);
          } finally {
            setPrepareWarmUp(warmUp);
          }
        });
      }
    }
  });
}
