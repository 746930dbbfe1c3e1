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
        core.b0Target.fill(1);
        core.startCoefficientRamp(0);
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
