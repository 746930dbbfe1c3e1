import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adsr } from '../../src/dsp/adsr.ts';

const FS = 48000;
const parameters = fc.record({
  attackSeconds: fc.double({ min: 0, max: 0.05, noNaN: true }),
  decaySeconds: fc.double({ min: 0, max: 0.05, noNaN: true }),
  sustainLevel: fc.double({ min: 0, max: 1, noNaN: true }),
  releaseSeconds: fc.double({ min: 0, max: 0.05, noNaN: true }),
});
/** Gate changes: [samples to run before the change, gate on?]. */
const gates = fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.boolean()), { maxLength: 12 });

describe('ADSR properties', () => {
  it('for any parameters and gate sequence the level stays in [0, 1], never steps more than one segment step, and is silent release·fs samples after the last gate-off', () => {
    fc.assert(
      fc.property(parameters, gates, (p, sequence) => {
        const env = new Adsr(FS, p);
        const steps = [p.attackSeconds, p.releaseSeconds].map((s) => 1 / Math.max(1, Math.round(s * FS)));
        steps.push((1 - p.sustainLevel) / Math.max(1, Math.round(p.decaySeconds * FS)));
        const maxStep = Math.max(...steps) + 1e-12;
        let previous = 0;
        let worstStep = 0;
        // The first level outside [0, 1] (NaN included), checked once per run: an expect per sample made
        // this one property 10 s of the suite.
        let outOfRange: { sample: number; level: number } | undefined;
        let sample = 0;
        const runFor = (frames: number): void => {
          for (let i = 0; i < frames; i++, sample++) {
            const v = env.next();
            if (!(v >= 0 && v <= 1)) outOfRange ??= { sample, level: v };
            worstStep = Math.max(worstStep, Math.abs(v - previous));
            previous = v;
          }
        };
        for (const [frames, on] of sequence) {
          runFor(frames);
          if (on) env.gateOn();
          else env.gateOff();
        }
        env.gateOff();
        runFor(Math.max(1, Math.round(p.releaseSeconds * FS)));
        expect(outOfRange).toBeUndefined();
        expect(env.isIdle).toBe(true);
        expect(previous).toBe(0);
        expect(worstStep).toBeLessThanOrEqual(maxStep);
      }),
      { numRuns: 60 },
    );
  });
});
