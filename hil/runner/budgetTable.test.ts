import { describe, expect, it } from 'vitest';
import { type Budgets, budgetsSchema, expectationsSchema } from '../scenario/scenarioSchema.ts';
import { BUDGETS, type BudgetContext, checkBudgets } from './budgetTable.ts';
import { EXPECTATIONS } from './expectations.ts';

/** Every leaf of the budgets format with a distinct value, and the path each value stands for. */
function distinctBudgets() {
  const paths = new Map<number, string>();
  let next = 1;
  const leaf = (path: string) => {
    paths.set(next, path);
    return next++;
  };
  // Not parsed: the values only need to be told apart (some are out of their range).
  const budgets = ({
    latency: Object.fromEntries(Object.keys(budgetsSchema.shape.latency.unwrap().shape).map((k) => [k, leaf(`latency.${k}`)])),
    ...Object.fromEntries(Object.keys(budgetsSchema.shape).filter((k) => k !== 'latency').map((k) => [k, leaf(k)])),
  }) as Budgets;
  return { budgets, paths };
}

describe('the budget and expectation tables', () => {
  it('hold one row for every budget of the scenario format, each reading its own limit', () => {
    const { budgets, paths } = distinctBudgets();

    const read = BUDGETS.map((row) => paths.get(row.limit(budgets)!));

    expect(new Set(read).size).toBe(BUDGETS.length);
    expect([...read].sort()).toEqual([...paths.values()].sort());
  });

  it('check the server\'s underruns: the machine\'s are listed, one of the server\'s fails, heard or not', () => {
    const row = BUDGETS.filter((r) => r.key === 'serverUnderrunCount');
    const context = (attribution: object | undefined, underruns: number) => ({
      run: { loaded: { scenario: { budgets: { serverUnderruns: 0 } } }, status: { counts: { underruns } } },
      result: { dropoutAttribution: attribution, dropouts: [] }, periodFrames: 64, renderClippedSamples: null,
    }) as unknown as BudgetContext;
    const machines = { outputRingUnderrunCount: 3, machineUnderrunCount: 3, serverUnderrunCount: 0, serverUnderrunSlowBlockCount: 0, serverUnderrunLateStartCount: 0, serverUnderrunNoRecordCount: 0 };
    const [ok] = checkBudgets(context(machines, 3), row);
    expect(ok).toMatchObject({ name: "server's underruns", measured: 0, limit: 0, passed: true, detail: "3 underrun(s) of the output ring: 3 the machine's, 0 the server's (0 slow block(s), 0 late start(s), 0 without a record)" });
    const [one] = checkBudgets(context({ ...machines, machineUnderrunCount: 2, serverUnderrunCount: 1, serverUnderrunLateStartCount: 1 }, 3), row);
    expect(one).toMatchObject({ measured: 1, passed: false });
    // A rig with no record to tell them apart: every underrun counts.
    const [bare] = checkBudgets(context(undefined, 2), row);
    expect(bare).toMatchObject({ measured: 2, passed: false, detail: "2 underrun(s) of the output ring; no record to tell the machine's apart" });
  });

  it('hold one row for every expectation of the scenario format', () => {
    expect(EXPECTATIONS.map((r) => r.key).sort()).toEqual(Object.keys(expectationsSchema.shape).sort());
  });
});
