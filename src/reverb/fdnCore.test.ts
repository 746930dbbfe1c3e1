import { describe, expect, it } from 'vitest';
import { createFeedbackMatrix } from '../dsp/feedbackMatrix.ts';
import { FdnCore } from './fdnCore.ts';

/**
 * The chunk kernels must compute x[n] = Q·s[n] + input with Q the registry's matrix: a network whose
 * lines are all longer than the test and whose gains are 1 turns one impulse per line into one
 * write per line, which is read back from the state.
 */
describe('FdnCore mixing', () => {
  for (const [kind, n] of [['hadamard', 4], ['hadamard', 8], ['hadamard', 16], ['hadamard', 32], ['householder', 8], ['randomOrthogonal', 8]] as const) {
    it(`applies the registry's ${kind} matrix of size ${n} (within 1e-14 per element)`, () => {
      const delays = Array.from({ length: n }, (_, i) => 10 + i);
      const dense = createFeedbackMatrix(kind, n, 5).toDense();
      for (let column = 0; column < n; column++) {
        const core = new FdnCore(delays, kind, 5, 'cubic');
        core.coefficients.b0Target.fill(1);
        core.coefficients.startRamp(0);
        const state = core.getState();
        state.rings[column][(0 - delays[column]) & (state.rings[0].length - 1)] = 1;
        core.setState(state);
        const zeros = new Float64Array(1);
        core.process(zeros, zeros, new Float64Array(1), new Float64Array(1), 1);
        const written = core.getState().rings.map((r) => r[0]);
        for (let row = 0; row < n; row++) expect(Math.abs(written[row] - dense[row * n + column])).toBeLessThan(1e-14);
      }
    });
  }
});

describe('FdnCore shelved kernels', () => {
  for (const [kind, n] of [['hadamard', 4], ['hadamard', 8], ['hadamard', 16], ['householder', 8]] as const) {
    it(`the grouped and the per-line shelved reads give the same bits (${kind}, ${n} lines)`, () => {
      const delays = Array.from({ length: n }, (_, i) => 101 + 12 * i);
      const make = (rampFrames: number) => {
        const core = new FdnCore(delays, kind, 3, 'cubic');
        core.setShelved(true);
        const c = core.coefficients;
        for (let i = 0; i < n; i++) {
          c.poleTarget[i] = 0.3 + 0.02 * i;
          c.b0Target[i] = 0.8 * (1 - c.poleTarget[i]); // loop gain ≤ 0.8 × the shelf's 1.2 at DC
          c.shelfTarget[0][i] = 1.05;
          c.shelfTarget[1][i] = -0.93;
          c.shelfTarget[2][i] = 0.9 - 0.005 * i;
        }
        c.startRamp(0);
        // A ramp to the same values (steps of 0) sends every chunk through the per-line reads.
        c.startRamp(rampFrames);
        return core;
      };
      const grouped = make(0);
      const perLine = make(1 << 30);
      const chunk = grouped.maxChunkFrames;
      const input = Float64Array.from({ length: chunk }, (_, k) => Math.sin(0.37 * k) * (k < 16 ? 1 : 0));
      const zeros = new Float64Array(chunk);
      const out = [new Float64Array(chunk), new Float64Array(chunk), new Float64Array(chunk), new Float64Array(chunk)];
      for (let block = 0; block < 40; block++) {
        grouped.process(block === 0 ? input : zeros, zeros, out[0], out[1], chunk);
        perLine.process(block === 0 ? input : zeros, zeros, out[2], out[3], chunk);
        expect(out[0]).toEqual(out[2]);
        expect(out[1]).toEqual(out[3]);
      }
      expect(Math.max(...out[0].map(Math.abs))).toBeGreaterThan(0);
    });
  }
});

