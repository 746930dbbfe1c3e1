import { describe, expect, it } from 'vitest';
import type { BudgetBreakdown } from '../report/runReport.ts';
import { latencyBudgetAdvice } from './budgetAdvice.ts';

/** The jack rig at 48 kHz / 128 frames as measured: buffering one period, output path 1.33 ms. */
const jack128: BudgetBreakdown = { transportMs: 0.1, schedulingMs: 1.2, bufferingMs: 2.667, pathMs: 1.333, totalMs: 5.3, budgetMs: 5 };

describe('latencyBudgetAdvice', () => {
  it('names the 128-frame bound and the period that fits a 5 ms budget', () => {
    expect(latencyBudgetAdvice(5, 128, 48000, jack128)).toBe(
      "the 128-frame path's bound is 6.67 ms (up to one period waiting for the next block 2.67 ms + stream buffering 2.67 ms + output path 1.33 ms), above the 5 ms budget; use ≤ 64-frame periods (bound 3.33 ms)",
    );
  });

  it('points at transport and scheduling when the bound fits and the budget still failed', () => {
    expect(latencyBudgetAdvice(8, 128, 48000, { ...jack128, transportMs: 0.4 })).toMatch(/bound is 6\.67 ms .*inside the 8 ms budget: the excess is transport \(0\.40 ms\) and scheduling \(1\.20 ms\)/);
  });

  it('takes the render delay off the wait for the next block (64 frames, fill 2, delay 16 frames)', () => {
    const native64: BudgetBreakdown = { transportMs: 0.3, schedulingMs: 0.4, bufferingMs: 2.667, pathMs: 0.667, totalMs: 4.0, budgetMs: 5 };
    expect(latencyBudgetAdvice(4, 64, 48000, native64, 16)).toBe(
      "the 64-frame path's bound is 4.33 ms (up to one period less the render delay waiting for the next block 1.33 ms − 0.33 ms + stream buffering 2.67 ms + output path 0.67 ms), above the 4 ms budget; use ≤ 32-frame periods (bound 2.17 ms)",
    );
    expect(latencyBudgetAdvice(5, 64, 48000, native64, 16)).toMatch(/bound is 4\.33 ms .*inside the 5 ms budget/);
  });

  it('says so when no period fits, and nothing when the path was not measured', () => {
    expect(latencyBudgetAdvice(0.1, 128, 48000, jack128)).toMatch(/no period of 16 frames or more fits it/);
    expect(latencyBudgetAdvice(5, 128, 48000, { ...jack128, pathMs: null })).toBeUndefined();
  });
});
