import { describe, expect, it } from 'vitest';
import { sine } from '../testSignals/sine.ts';
import { fitZeroedRun } from './zeroedRun.ts';

const FS = 48000;

describe('fitZeroedRun', () => {
  it('returns the exact run of a 37-frame zeroed block in a 440 Hz tone, explaining > 99 % of the residual', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    capture.fill(0, 1000, 1037);

    const run = fitZeroedRun(capture, (n) => expected[n], 900, 1100, 16, 1e-4);

    expect(run).toMatchObject({ startFrame: 1000, endFrame: 1037, silent: true });
    expect(run.explained).toBeGreaterThan(0.99);
  });

  it('does not call a phase-inverted stretch silent, though silence explains 75 % of its residual', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    for (let n = 1000; n < 1200; n++) capture[n] = -expected[n];

    const run = fitZeroedRun(capture, (n) => expected[n], 900, 1300, 16, 1e-4);

    expect(run.silent).toBe(false);
  });
});
